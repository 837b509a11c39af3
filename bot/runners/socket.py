"""Socket Mode: Bolt's AsyncSocketModeHandler over aiohttp.

The handler calls apps.connections.open at `settings.api_url` with the app-level token (sent
as a bearer header, never as a parameter), follows `disconnect`/`refresh_requested` to a new
URL (slack_sdk's client does that) and re-opens a dropped connection. We only add a clean
shutdown on SIGTERM/SIGINT.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot.settings import Settings

log = logging.getLogger("smtpbot.socket")
SHUTDOWN_TIMEOUT = 5.0


async def run(settings: Settings, stop: asyncio.Event) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from bot.slack.app import create_app, warm_up, web_client

    app = create_app(settings)
    await warm_up(app, settings)
    handler = AsyncSocketModeHandler(
        app,
        app_token=settings.app_token,
        web_client=web_client(settings, token=settings.app_token),
    )
    await handler.connect_async()
    log.info("Socket Mode: connected")
    await stop.wait()
    log.info("Socket Mode: shutting down")
    with contextlib.suppress(Exception):
        await asyncio.wait_for(handler.close_async(), SHUTDOWN_TIMEOUT)


def serve(settings: Settings) -> None:
    """Connect and serve until SIGTERM/SIGINT."""
    from bot.slack.logs import configure

    configure(settings.log_level, settings.secrets)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await run(settings, stop)

    asyncio.run(main())


if __name__ == "__main__":  # development convenience: python -m bot.runners.socket
    from bot.settings import load_settings

    serve(load_settings())
