"""Ack latency of `/smtp 554` in HTTP mode, side by side with a bare Bolt app that only acks.

Both apps run the same stack (uvicorn + Bolt's ASGI adapter, AsyncApp, a Web API client on a
local fake Slack), so the bare app is the floor that Bolt and the server impose; the
difference is what smtpbot's own work costs (engine, Block Kit rendering, the ack body).
Every request is signed as Slack signs it and sent on a fresh connection, as Slack does.

    python benchmarks/ack_latency.py [--requests 200] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import hmac
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
FAKE = REPO / "tests" / "slack" / "fake_slack.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bare_server(port: int) -> None:
    """The floor: Bolt on uvicorn with one listener that acks and does nothing else."""
    import uvicorn
    from slack_bolt.adapter.asgi.async_handler import AsyncSlackRequestHandler
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(
        base_url=os.environ["SLACK_API_URL"], token=os.environ["SLACK_BOT_TOKEN"]
    )
    app = AsyncApp(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    @app.command("/smtp")
    async def ack_only(ack) -> None:  # type: ignore[no-untyped-def]
        await ack()

    handler = AsyncSlackRequestHandler(app)

    async def asgi(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "http" and scope["path"] == "/healthz":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})
            return
        await handler(scope, receive, send)

    uvicorn.run(
        asgi, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="off"
    )


def signed_request(port: int, secret: str, text: str) -> tuple[int, float]:
    body = urlencode(
        {
            "team_id": "T0E2E0001",
            "channel_id": "C0E2EBENCH",
            "user_id": "U0E2EUSR1",
            "command": "/smtp",
            "text": text,
            "api_app_id": "A0E2E0001",
            "response_url": "http://127.0.0.1:9/unused",
            "trigger_id": "1.2." + secrets.token_hex(8),
        }
    ).encode()
    ts = str(int(time.time()))
    signature = (
        "v0=" + hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }
    started = time.perf_counter()
    conn = HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/slack/events", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return response.status, elapsed


def wait_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server on port {port} did not become healthy")


def measure(port: int, secret: str, n: int, concurrency: int) -> list[float]:
    for _ in range(10):  # warm-up: first auth.test, imports, connection setup
        signed_request(port, secret, "554")
    if concurrency <= 1:
        results = [signed_request(port, secret, "554") for _ in range(n)]
    else:
        with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
            results = list(pool.map(lambda _: signed_request(port, secret, "554"), range(n)))
    bad = [status for status, _ in results if status != 200]
    if bad:
        raise SystemExit(f"{len(bad)} requests failed: {bad[:5]}")
    return [elapsed for _, elapsed in results]


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    return f"p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   max {ordered[-1] * 1000:7.2f} ms"


def start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        cmd,
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--bare-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        bare_server(args.bare_server)
        return

    secret = secrets.token_hex(16)
    fake_port, bot_port, bare_port = free_port(), free_port(), free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": f"http://127.0.0.1:{fake_port}/api/",
        "PYTHONUNBUFFERED": "1",
    }
    procs = [start([sys.executable, str(FAKE), "--port", str(fake_port)], env)]
    try:
        procs.append(
            start(
                [sys.executable, "-m", "bot", "run", "--mode", "http", "--port", str(bot_port)], env
            )
        )
        procs.append(start([sys.executable, __file__, "--bare-server", str(bare_port)], env))
        wait_healthy(bot_port)
        wait_healthy(bare_port)
        print(f"ack latency, {args.requests} signed `/smtp 554` requests, fresh connection each\n")
        for label, concurrency in (
            ("sequential", 1),
            (f"{args.concurrency} concurrent", args.concurrency),
        ):
            bare = measure(bare_port, secret, args.requests, concurrency)
            ours = measure(bot_port, secret, args.requests, concurrency)
            ratio = (
                sorted(ours)[int(len(ours) * 0.99) - 1] / sorted(bare)[int(len(bare) * 0.99) - 1]
            )
            print(f"{label}:")
            print(f"  bare Bolt (ack only)   {summary(bare)}")
            print(f"  smtpbot (full answer)  {summary(ours)}   p99 ratio {ratio:.2f}x")
    finally:
        for proc in reversed(procs):
            stop(proc)


if __name__ == "__main__":
    main()
