"""Buttons: "Share in channel" posts the same answer publicly.

The answer is rebuilt from the button's value (the question itself, or a key to it when it
was too long for a value), so the public post is exactly what the user saw privately.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import t
from bot.render.blocks import SHARE_ACTION
from bot.results import Problem
from bot.slack.app import runtime_of
from bot.slack.runtime import log_failure

log = logging.getLogger("smtpbot.slack")


def register(app: AsyncApp) -> None:
    rt = runtime_of(app)

    @app.action(SHARE_ACTION)
    async def share(
        ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, client: AsyncWebClient
    ) -> None:
        await ack()
        user = (body.get("user") or {}).get("id", "")
        try:
            text = rt.shared_text(action.get("value") or "")
            if text is None:
                if body.get("response_url"):  # every reply carries blocks (contract §5)
                    expired = rt.render(Problem(message=t("slack.share_expired")))
                    await respond(
                        response_type="ephemeral",
                        text=expired.text,
                        blocks=expired.blocks,
                        replace_original=False,
                    )
                return
            result, notes = await rt.answer(text)
            shared_by = [t("slack.shared_by", user=user)] if user else []
            message = rt.render(result, notes=[*notes, *shared_by])
            if body.get("response_url"):
                await respond(
                    response_type="in_channel",
                    text=message.text,
                    blocks=message.blocks,
                    replace_original=False,
                    delete_original=False,
                )
                return
            channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
                "channel_id"
            )
            if not channel:  # nowhere to post: a call without a channel would only fail
                log.warning("share click without response_url or channel")
                return
            await client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks)
        except Exception as exc:
            log_failure("share", exc)
