"""Helpers for the Slack tests: the fake Slack client, the bot process, signed requests.

Nothing here reaches Slack. The bot is started the way the contract starts it
(`python -m bot run --mode http|socket`, clean environment, stdin closed, output to a log
file) and talks to the fake over loopback. Requests are signed exactly as Slack signs them.
One fake and one bot per session keep the suite fast; tests use fresh channel ids.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[2]
FAKE = Path(__file__).with_name("fake_slack.py")
BOT_TOKEN, APP_TOKEN = "xoxb-test", "xapp-test"
TEAM_ID, APP_ID = "T0E2E0001", "A0E2E0001"
BOT_USER, BOT_ID, HUMAN = "U0E2EBOT1", "B0E2EBOT1", "U0E2EUSR1"
WATCHED_POOL = [f"CW{n:04d}" for n in range(300)]
WATCHED = ["C123", *WATCHED_POOL]
_watched = iter(WATCHED_POOL)
_ts = itertools.count(1)


# ---------------------------------------------------------------- helpers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sign(secret: str, body: bytes, timestamp: int | str) -> str:
    """Slack's v0 signature: HMAC-SHA256 over `v0:{timestamp}:{raw body}`."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def new_channel() -> str:
    return "C0E2E" + uuid.uuid4().hex[:8].upper()


def watched_channel() -> str:
    return next(_watched)


def new_ts() -> str:
    return f"{int(time.time())}.{next(_ts):06d}"


def wait_for(fn: Callable[[], Any], timeout: float = 8.0, interval: float = 0.05) -> Any:
    """Poll until `fn()` is truthy; returns its value (or the last falsy one on timeout)."""
    deadline = time.monotonic() + timeout
    value = fn()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = fn()
    return value


def all_text(payload: Any) -> str:
    """Every string in a payload (fallback text and blocks), for content assertions."""
    if isinstance(payload, str):
        return payload
    if isinstance(payload, dict):
        return "\n".join(all_text(v) for v in payload.values())
    if isinstance(payload, list):
        return "\n".join(all_text(v) for v in payload)
    return ""


def blocks_of(args: dict[str, Any]) -> Any:
    blocks = args.get("blocks")
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def raw_request(
    port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes, float]:
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data, elapsed


# ---------------------------------------------------------------- the fake Slack


class FakeSlack:
    def __init__(self, port: int, proc: subprocess.Popen) -> None:
        self.port, self.proc = port, proc
        self.base = f"http://127.0.0.1:{port}"
        self.api_url = f"{self.base}/api/"

    def _get(self, what: str) -> Any:
        return json.loads(raw_request(self.port, "GET", f"/_fake/{what}")[2])

    def _post(self, what: str, body: Any, query: str = "") -> Any:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return json.loads(raw_request(self.port, "POST", f"/_fake/{what}{query}", data)[2])

    def calls(self, method: str | None = None, channel: str | None = None) -> list[dict]:
        return [
            c
            for c in self._get("calls")
            if (method is None or c["method"] == method)
            and (channel is None or c["args"].get("channel") == channel)
        ]

    def posts(self, channel: str) -> list[dict]:
        return self.calls("chat.postMessage", channel)

    def responses(self, response_url: str) -> list[dict]:
        rid = response_url.rsplit("/", 1)[-1]
        return [r for r in self._get("responses") if r["rid"] == rid]

    def new_response_url(self) -> str:
        return f"{self.base}/response/{uuid.uuid4().hex}"

    def seed_message(self, channel: str, message: dict[str, Any]) -> dict[str, Any]:
        return self._post("message", {"channel": channel, "message": message})

    def add_file(self, name: str, data: bytes) -> dict[str, Any]:
        return self._post("file", data, f"?name={name}")

    def file_fetches(self) -> list[dict]:
        return self._get("file_fetches")

    def socket_state(self) -> dict[str, int]:
        return self._get("socket")

    def socket_send(self, envelope: dict[str, Any]) -> dict[str, Any]:
        return self._post("socket_send", envelope)

    def socket_refresh(self) -> dict[str, Any]:
        return self._post("socket_refresh", {})


class Bot:
    def __init__(self, mode: str, fake: FakeSlack, log_path: Path, port: int | None = None):
        self.mode, self.fake, self.log_path, self.port = mode, fake, log_path, port
        self.signing_secret = secrets.token_hex(16)
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_API_URL": fake.api_url,
            "SMTPBOT_WATCH_CHANNELS": ",".join(WATCHED),
            "PYTHONUNBUFFERED": "1",
        }
        if mode == "http":
            env["SLACK_SIGNING_SECRET"] = self.signing_secret
        else:
            env["SLACK_APP_TOKEN"] = APP_TOKEN
        self.env = env
        cmd = [sys.executable, "-m", "bot", "run", "--mode", mode]
        if port is not None:
            cmd += ["--port", str(port)]
        self.log = log_path.open("wb")
        self.proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int | None:
        """SIGTERM to the process group; the return code, or None if it had to be killed."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
                self.log.close()
                return None
        self.log.close()
        return self.proc.returncode

    # -------------------------------------------------------- HTTP mode requests

    def signed(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        extra: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes, float]:
        ts = int(time.time()) if timestamp is None else timestamp
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature or sign(self.signing_secret, body, ts),
            **(extra or {}),
        }
        assert self.port is not None
        return raw_request(self.port, "POST", "/slack/events", body, headers)

    def slash(
        self, text: str, *, channel: str | None = None, response_url: str | None = None
    ) -> tuple[int, dict[str, Any] | None, str, float]:
        """Send `/smtp text`; returns (status, ack JSON or None, response_url, seconds)."""
        response_url = response_url or self.fake.new_response_url()
        form = slash_form(text, channel or new_channel(), response_url)
        status, _, body, elapsed = self.signed(
            urlencode(form).encode(), "application/x-www-form-urlencoded"
        )
        ack = json.loads(body) if body.strip() else None
        return status, ack, response_url, elapsed

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry: int = 0
    ) -> tuple[int, str]:
        event_id = event_id or "Ev" + uuid.uuid4().hex[:10].upper()
        body = json.dumps(event_callback(event, event_id)).encode()
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        status = self.signed(body, "application/json", extra=extra if retry else None)[0]
        return status, event_id

    def interactive(self, payload: dict[str, Any]) -> tuple[int, bytes, float]:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        status, _, data, elapsed = self.signed(body, "application/x-www-form-urlencoded")
        return status, data, elapsed


def start_fake() -> FakeSlack:
    """A fake Slack in its own process, answering once its Socket Mode endpoint is up."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(FAKE), "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    fake = FakeSlack(port, proc)

    def up() -> bool:
        try:
            return raw_request(port, "GET", "/_fake/socket")[0] == 200
        except OSError:
            return False

    assert wait_for(up, timeout=20), "fake Slack did not start"
    return fake


def envelope(kind: str, payload: dict[str, Any], retry: int = 0) -> dict[str, Any]:
    """A Socket Mode envelope as Slack sends it."""
    return {
        "envelope_id": str(uuid.uuid4()),
        "type": kind,
        "payload": payload,
        "accepts_response_payload": kind != "events_api",
        "retry_attempt": retry,
        "retry_reason": "timeout" if retry else "",
    }


def send(fake: FakeSlack, env: dict[str, Any]) -> dict[str, Any]:
    """Deliver `env` over the fake's socket; the bot must ack it within 3 s."""
    result = fake.socket_send(env)
    assert result["acked"], result
    assert result["ack"]["envelope_id"] == env["envelope_id"]
    assert result["elapsed"] < 3
    return result["ack"]


def ephemeral_slash(bot: Bot, fake: FakeSlack, text: str) -> tuple[dict[str, Any], str]:
    """(the reply to `/smtp text`, its response_url): acked 200 within 3 s, ephemeral, in the
    ack body or else posted to the response_url."""
    status, ack, response_url, elapsed = bot.slash(text)
    assert status == 200 and elapsed < 3
    if ack and (ack.get("text") or ack.get("blocks")):
        assert ack.get("response_type", "ephemeral") == "ephemeral"
        return ack, response_url
    posts = wait_for(lambda: fake.responses(response_url), timeout=10)
    assert posts, f"no reply to /smtp {text[:40]!r}"
    reply = posts[0]["body"]
    assert reply.get("response_type", "ephemeral") == "ephemeral"
    return reply, response_url


def slash_form(text: str, channel: str, response_url: str) -> dict[str, str]:
    return {
        "token": "verification-token-unused",
        "team_id": TEAM_ID,
        "team_domain": "smtpbot-e2e",
        "channel_id": channel,
        "channel_name": "test",
        "user_id": HUMAN,
        "user_name": "human",
        "command": "/smtp",
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"{int(time.time())}.1.{uuid.uuid4().hex}",
    }


def event_callback(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    return {
        "token": "verification-token-unused",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {
                "team_id": TEAM_ID,
                "user_id": BOT_USER,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def message_event(channel: str, text: str, **extra: Any) -> dict[str, Any]:
    channel_type = "im" if channel.startswith("D") else "channel"
    return {
        "type": "message",
        "channel": channel,
        "user": HUMAN,
        "text": text,
        "ts": new_ts(),
        "channel_type": channel_type,
        "team": TEAM_ID,
        **extra,
    }


def mention_event(channel: str, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "channel": channel,
        "user": HUMAN,
        "text": f"<@{BOT_USER}> {text}",
        "ts": new_ts(),
        "team": TEAM_ID,
        **extra,
    }


def shortcut_payload(text: str, channel: str, response_url: str) -> dict[str, Any]:
    return {
        "type": "message_action",
        "callback_id": "explain_smtp",
        "trigger_id": f"{int(time.time())}.1.{uuid.uuid4().hex}",
        "team": {"id": TEAM_ID, "domain": "smtpbot-e2e"},
        "user": {"id": HUMAN, "name": "human"},
        "channel": {"id": channel, "name": "test"},
        "message": {"type": "message", "user": HUMAN, "ts": new_ts(), "text": text},
        "message_ts": new_ts(),
        "response_url": response_url,
        "api_app_id": APP_ID,
        "token": "verification-token-unused",
        "is_enterprise_install": False,
    }


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 60) -> bool:
    def up() -> bool:
        if proc.poll() is not None:
            return True
        try:
            return raw_request(port, "GET", "/healthz")[0] == 200
        except OSError:
            return False

    return bool(wait_for(up, timeout=timeout, interval=0.1)) and proc.poll() is None


POSTFIX_BOUNCE = """This is the mail system at host mx.example.org.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<j.doe@example.net>: host mail.example.net[203.0.113.25] said: 550 5.1.1
    <j.doe@example.net>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)
"""


def slack_markup(text: str) -> str:
    """`text` as Slack delivers a pasted message: escaped, addresses and hosts auto-linked."""
    import re

    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = re.sub(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", lambda m: f"<mailto:{m[0]}|{m[0]}>", out)
    return re.sub(
        r"(?<![@\w.|/])((?:mail|mx)\d*\.example\.(?:net|org))(?=[\[\s])",
        lambda m: f"<http://{m[1]}|{m[1]}>",
        out,
    )
