"""HTTP mode: Bolt's ASGI adapter on uvicorn, plus `GET /healthz`.

uvicorn is a production ASGI server (Bolt's built-in server is for development only). The
access log is off — it costs latency on every acknowledgement and says nothing the Slack
app dashboard doesn't — and uvicorn logs through our redacting root handler. SIGTERM/SIGINT
trigger uvicorn's graceful shutdown, bounded so the process exits well within 10 s.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.settings import Settings

log = logging.getLogger("smtpbot.http")
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Any]


async def _plain(send: Any, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _garbled_timestamp(scope: Scope) -> bool:
    """An X-Slack-Request-Timestamp that is present but not a number. slack_sdk's verifier
    calls int() on it and Bolt turns the ValueError into a 500; it is a bad signature: 401."""
    for name, value in scope.get("headers") or []:
        if name.lower() == b"x-slack-request-timestamp":
            return not value.strip().isdigit()
    return False


def with_health(inner: ASGIApp) -> ASGIApp:
    """Answer GET /healthz (no body needed) before Bolt's adapter, which only knows POST,
    and refuse requests whose signature timestamp cannot even be read."""

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == HEALTH_PATH:
            status = 200 if scope["method"] in ("GET", "HEAD") else 405
            await _plain(send, status, b"ok\n")
            return
        if scope["type"] == "http" and _garbled_timestamp(scope):
            await _plain(send, 401, b"")
            return
        await inner(scope, receive, send)

    return app


def build_asgi(settings: Settings) -> tuple[ASGIApp, Any]:
    from slack_bolt.adapter.asgi.async_handler import AsyncSlackRequestHandler

    from bot.slack.app import create_app

    bolt = create_app(settings)
    return with_health(AsyncSlackRequestHandler(bolt, path=EVENTS_PATH)), bolt


def serve(settings: Settings, port: int, host: str = "0.0.0.0") -> None:
    """Serve until SIGTERM/SIGINT. Binds all interfaces (containers need it); requests are
    authenticated by their signatures, not by the network."""
    import uvicorn

    from bot.slack.app import warm_up
    from bot.slack.logs import configure

    configure(settings.log_level, settings.secrets)
    asgi, bolt = build_asgi(settings)
    config = uvicorn.Config(
        asgi,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=5,
        timeout_keep_alive=30,
    )
    server = uvicorn.Server(config)

    async def main() -> None:
        await warm_up(bolt, settings)
        log.info("HTTP mode: listening on %s:%d%s", host, port, EVENTS_PATH)
        await server.serve()

    asyncio.run(main())


if __name__ == "__main__":  # development convenience: python -m bot.runners.http
    from bot.settings import load_settings

    _settings = load_settings()
    serve(_settings, _settings.port)
