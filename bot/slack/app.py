"""The Bolt app factory: one AsyncApp with every listener, for HTTP and Socket Mode alike.

The Web API client points at `settings.api_url`, so tests run against a local fake Slack
and nothing else is ever contacted. Listeners run after the acknowledgement
(`process_before_response=False`), retries are de-duplicated by `event_id` before any
listener runs, and catch-all listeners make sure every verified request gets a 2xx — Bolt
answers 404 to anything unhandled, which Slack counts as a failure and retries.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.authorization.async_single_team_authorization import (
    AsyncSingleTeamAuthorization,
)
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings
from bot.slack.runtime import Runtime

log = logging.getLogger("smtpbot.slack")
ANY = re.compile(r".*")


def runtime_of(app: AsyncApp) -> Runtime:
    """The Runtime that `create_app` attached (listener modules read it at registration)."""
    return app._smtpbot_runtime  # type: ignore[attr-defined]


def web_client(settings: Settings, token: str | None = None) -> AsyncWebClient:
    """A Web API client on `settings.api_url` that retries 429s, 5xx and dropped connections."""
    return AsyncWebClient(
        base_url=settings.api_url,
        token=token if token is not None else settings.bot_token,
        timeout=15,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def create_app(settings: Settings, runtime: Runtime | None = None) -> AsyncApp:
    from handlers import actions, commands, home, mentions, messages, shortcuts

    bolt_logger = logging.getLogger("slack_bolt.smtpbot")
    level = bolt_logger.level
    bolt_logger.setLevel(logging.ERROR)  # Bolt warns that env SLACK_BOT_TOKEN is unused: intended
    app = AsyncApp(
        client=web_client(settings),
        signing_secret=settings.signing_secret or "",
        process_before_response=False,
        ignoring_self_events_enabled=True,
        url_verification_enabled=True,
        ssl_check_enabled=True,
        logger=bolt_logger,
    )
    bolt_logger.setLevel(level)
    rt = runtime or Runtime(settings=settings)
    app._smtpbot_runtime = rt  # type: ignore[attr-defined]

    async def dedupe_events(body: dict[str, Any], next: Any) -> BoltResponse | None:
        """One reply per event_id: retries and redeliveries are acked and dropped here.
        A retry whose original never arrived is simply the first to claim the id."""
        if body.get("type") == "app_rate_limited":  # no listener type exists for it
            log.warning("Slack reports that events are being rate-limited for this app")
            return BoltResponse(status=200, body="")
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not rt.events.claim(event_id):
            return BoltResponse(status=200, body="")
        await next()
        return None

    app.middleware(dedupe_events)
    for module in (commands, mentions, messages, shortcuts, home, actions):
        module.register(app)
    _register_catch_alls(app)
    return app


def _register_catch_alls(app: AsyncApp) -> None:
    """Ack whatever no listener above wanted (registered last: the first match wins)."""

    async def ack_only(ack: Any) -> None:
        await ack()

    async def ignore() -> None:
        return None

    app.event(ANY)(ignore)
    app.action(ANY)(ack_only)
    app.shortcut(ANY)(ack_only)
    app.command(ANY)(ack_only)
    app.view(ANY)(ack_only)
    app.view_closed(ANY)(ack_only)
    app.options(ANY)(ack_only)
    app.block_suggestion(ANY)(ack_only)


async def warm_up(app: AsyncApp, settings: Settings) -> None:
    """Load the knowledge base and learn the bot's identity before serving, so the first
    request pays neither (the engine loads its data lazily; Bolt calls auth.test lazily)."""
    import asyncio

    from bot.answer import answer

    try:
        await asyncio.to_thread(answer, "554")
    except Exception as exc:  # the engine may be mid-change; serving still works
        log.warning("engine warm-up failed: %s", type(exc).__name__)
    try:
        result = await app.client.auth_test()
        log.info("connected to Slack as bot user %s", result.get("user_id"))
        for middleware in app._async_middleware_list:  # seed Bolt's lazy auth.test cache
            if isinstance(middleware, AsyncSingleTeamAuthorization):
                middleware.auth_test_result = result
    except Exception as exc:
        log.warning("auth.test failed at start-up: %s", type(exc).__name__)
