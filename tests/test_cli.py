"""The `smtpbot` command line, through a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )


def test_explain_text() -> None:
    result = run("explain", "554")
    assert result.returncode == 0
    assert "554" in result.stdout and "Transaction failed" in result.stdout
    assert "RFC 5321" in result.stdout


def test_explain_combined_json() -> None:
    result = run("explain", "550", "5.7.26", "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["type"] == "explanation"
    assert data["code"] == "550 5.7.26"
    assert [p["code"] for p in data["parts"]] == ["550", "5.7.26"]


def test_compare_text_and_json() -> None:
    result = run("compare", "211", "554")
    assert result.returncode == 0
    assert "Key difference" in result.stdout
    data = json.loads(run("compare", "421", "450", "451", "--format", "json").stdout)
    assert [i["code"] for i in data["items"]] == ["421", "450", "451"]


def test_search() -> None:
    result = run("search", "mailbox", "full", "--format", "json")
    assert result.returncode == 0
    codes = [hit["code"] for hit in json.loads(result.stdout)["hits"]]
    assert "552" in codes and "5.2.2" in codes


def test_malformed_code_is_usage_error_on_stderr() -> None:
    result = run("explain", "5.5")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "not a well-formed" in result.stderr


def test_bad_usage_exits_2() -> None:
    assert run().returncode == 2
    assert run("explain").returncode == 2
    assert run("frobnicate").returncode == 2


def test_search_without_hits_exits_1() -> None:
    result = run("search", "zebra", "giraffe")
    assert result.returncode == 1
    assert "No code matches" in result.stderr


def test_console_answers_a_piped_line_and_exits() -> None:
    result = run("run", "--mode", "console", stdin="554\n")
    assert result.returncode == 0
    assert "Transaction failed" in result.stdout


def test_console_answers_several_piped_queries_line_by_line() -> None:
    result = run("run", "--mode", "console", stdin="554\n211 vs 554\nsearch mailbox full\n")
    assert result.returncode == 0
    assert "Transaction failed" in result.stdout
    assert "Key difference" in result.stdout
    assert "5.2.2" in result.stdout


def test_console_takes_a_pasted_bounce_as_one_input() -> None:
    bounce = (
        "This is the mail system at host mail.example.org.\n\n"
        "<j.doe@example.net>: host mail.example.net[203.0.113.25] said: 550 5.1.1\n"
        "    <j.doe@example.net>: Recipient address rejected: User unknown (in reply to RCPT\n"
        "    TO command)\n"
    )
    result = run("run", "--mode", "console", stdin=bounce)
    assert result.returncode == 0
    assert result.stdout.count("Recipient: ") == 1
    assert "5.1.1" in result.stdout


def test_run_without_tokens_picks_the_console(tmp_path: Path) -> None:
    env_free = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input="421\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no .env there
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO)},
    )
    assert env_free.returncode == 0
    assert "421" in env_free.stdout


def test_parse_through_the_main_command_reads_stdin() -> None:
    bounce = (
        "From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail Returned to Sender\n\n"
        "This is the Postfix program at host mx.example.org.\n\n"
        "<j.doe@example.net>: host mail.example.net[203.0.113.25] said: 550 5.1.1\n"
        "    <j.doe@example.net>: Recipient address rejected: User unknown (in reply to RCPT\n"
        "    TO command)\n"
    )
    result = run("parse", "-", stdin=bounce)
    assert result.returncode == 0
    record = json.loads(result.stdout)
    assert record["source"] == "-"
    assert record["recipients"][0]["status"] == "5.1.1"
    assert record["recipients"][0]["reason"] == "userunknown"
    assert run("parse").returncode == 2


def test_console_json_of_a_bounce_answer() -> None:
    from bot.answer import answer
    from bot.render.json import to_data

    text = (
        "<j.doe@example.net>: host mail.example.net[203.0.113.25] said: 550 5.1.1\n"
        "    <j.doe@example.net>: Recipient address rejected: User unknown (in reply to RCPT\n"
        "    TO command)\n"
    )
    data = json.loads(json.dumps(to_data(answer(text))))
    assert data["type"] == "bounceanswer"
    assert data["report"]["recipients"][0]["status"] == "5.1.1"
    assert data["explanations"][0]["code"] == "550 5.1.1"


def test_compare_a_reply_code_with_its_enhanced_code() -> None:
    data = json.loads(run("compare", "550", "5.1.1", "--format", "json").stdout)
    assert [i["code"] for i in data["items"]] == ["550", "5.1.1"]
    assert "550 5.1.1" in data["key_difference"]
