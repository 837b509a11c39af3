"""`message` events: pasted bounces in watched channels, files, and direct messages.

Watched channels are opt-in (SMTPBOT_WATCH_CHANNELS). Only bounces and messages full of codes
get a reply there, once, in the message's thread; ordinary chat, bots (ourselves included),
edits of answered messages and posts that mention the bot (the `app_mention` listener answers
those) are left alone. A DM is a conversation with the bot, so it is answered like a mention.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.results import Problem
from bot.slack import markup
from bot.slack.app import runtime_of
from bot.slack.replies import answer_files, from_bot, post
from bot.slack.runtime import log_failure
from handlers.mentions import answer_addressed

ANSWERED_SUBTYPES = (None, "file_share", "thread_broadcast", "message_changed")


def register(app: AsyncApp) -> None:
    rt = runtime_of(app)

    @app.event("message")
    async def message(
        event: dict[str, Any], body: dict[str, Any], context: Any, client: AsyncWebClient
    ) -> None:
        subtype = event.get("subtype")
        if subtype not in ANSWERED_SUBTYPES:
            return
        channel = event.get("channel") or ""
        msg = event
        if subtype == "message_changed":
            msg = {**(event.get("message") or {}), "channel": channel}
            msg.pop("subtype", None)
        if not msg.get("ts") or from_bot(msg, context.bot_user_id, context.bot_id):
            return
        direct = event.get("channel_type") == "im" or channel.startswith("D")
        if not direct and not rt.settings.watches(channel):
            return
        if not direct and markup.mentions(msg.get("text"), context.bot_user_id):
            return  # answered by the app_mention listener
        key = (channel, msg["ts"])
        if rt.messages.contains(key):  # an edit of an answered message, or a twin
            return
        try:
            if direct:
                if rt.messages.claim(key):
                    await answer_addressed(rt, client, msg, context.bot_user_id)
                return
            await _watched(rt, client, msg, key)
        except Exception as exc:
            rt.messages.release(key)
            rt.events.release(body.get("event_id"))
            log_failure("message reply", exc)


async def _watched(rt: Any, client: AsyncWebClient, msg: dict[str, Any], key: tuple) -> None:
    """A post in a watched channel: reply only when it holds a bounce or codes."""
    # A file that is not a bounce (or could not be read) is not worth a reply nobody asked for.
    shared = await answer_files(rt, client, msg.get("files") or [])
    results = [r for r in shared if not isinstance(r, Problem)]
    notes: list[str] = []
    if not results:
        found, notes = await rt.passive(markup.decode(msg.get("text")))
        if found is None:
            return
        results = [found]
    if not rt.messages.claim(key):
        return
    thread_ts = msg.get("thread_ts") or msg["ts"]
    for result in results:
        await post(client, key[0], rt.render(result, notes=notes), thread_ts)
