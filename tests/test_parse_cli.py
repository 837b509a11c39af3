"""`python3 -m bot.bounce.cli` through a real subprocess: output contract and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOUNCE = (
    b"From: MAILER-DAEMON@mx.example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n"
    b"\r\nThis is the mail system at host mx.example.org.\r\n\r\n"
    b"<user@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 User unknown\r\n"
    b"    (in reply to RCPT TO command)\r\n"
)


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bot.bounce.cli", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_jsonl_in_order_and_bad_files(tmp_path: Path) -> None:
    good = tmp_path / "good.eml"
    good.write_bytes(BOUNCE)
    chat = tmp_path / "chat.txt"
    chat.write_bytes(b"Hi, lunch at 12?\n")
    missing = tmp_path / "missing.eml"
    proc = run(str(good), str(missing), str(chat))
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert [x["source"] for x in lines] == [str(good), str(missing), str(chat)]
    first = lines[0]
    assert first["error"] is None
    rec = first["recipients"][0]
    assert {"address", "status", "reply_code", "reason", "hard_bounce", "diagnostic"} <= set(rec)
    assert (
        rec["address"],
        rec["status"],
        rec["reply_code"],
        rec["reason"],
        rec["hard_bounce"],
    ) == ("user@example.net", "5.1.1", "550", "userunknown", True)
    assert lines[1]["error"] and lines[1]["recipients"] == []
    assert lines[2]["error"] is None and lines[2]["recipients"] == []


def test_stdin_and_text_format() -> None:
    proc = run("--format", "text", "-", stdin=BOUNCE)
    assert proc.returncode == 0
    out = proc.stdout.decode()
    assert out.startswith("== -\n")
    assert "Recipient: user@example.net" in out
    assert "Reason: userunknown" in out


def test_bad_usage_exits_2() -> None:
    assert run().returncode == 2
    assert run("--format", "xml", "x").returncode == 2


def test_no_slack_imports() -> None:
    code = (
        "import sys, runpy; sys.argv=['x','-']; import bot.bounce.cli as c; "
        "bad=[m for m in sys.modules if m.split('.')[0] in ('slack_bolt','slack_sdk',"
        "'aiohttp','uvicorn','handlers')]; print(bad)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=60, check=False
    )
    assert proc.stdout.strip() == b"[]", proc.stderr
