"""Message shortcut "Explain SMTP codes" (`explain_smtp`): explain the codes of any message,
privately, with a Share button."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import t
from bot.results import Problem
from bot.slack import markup
from bot.slack.app import runtime_of
from bot.slack.replies import answer_files
from bot.slack.runtime import log_failure, unhelpful

CALLBACK_ID = "explain_smtp"


def register(app: AsyncApp) -> None:
    rt = runtime_of(app)

    @app.shortcut(CALLBACK_ID)
    async def explain_message(
        ack: Any, shortcut: dict[str, Any], respond: Any, client: AsyncWebClient, context: Any
    ) -> None:
        await ack()
        message = shortcut.get("message") or {}
        text = markup.decode(message.get("text"), strip_user=context.bot_user_id)
        try:
            results = await answer_files(rt, client, message.get("files") or [])
            notes: list[str] = []
            if not results:
                found, notes = await rt.passive(text)
                if found is None:
                    found, notes = await rt.answer(text)
                    if unhelpful(found):
                        found = Problem(t("slack.no_codes_in_message"))
                results = [found]
            for result in results:
                reply = rt.render(result, share_text=text if text else None, notes=notes)
                if shortcut.get("response_url"):
                    await respond(
                        response_type="ephemeral",
                        text=reply.text,
                        blocks=reply.blocks,
                        replace_original=False,
                    )
                else:
                    await client.chat_postEphemeral(
                        channel=(shortcut.get("channel") or {}).get("id"),
                        user=(shortcut.get("user") or {}).get("id"),
                        text=reply.text,
                        blocks=reply.blocks,
                    )
        except Exception as exc:
            log_failure("shortcut reply", exc)
