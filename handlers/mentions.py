"""`@smtpbot …`: answer in the thread; a mention with no code in a bounce's thread analyses
the thread's parent."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.results import Answer, SearchResult
from bot.slack import markup
from bot.slack.app import runtime_of
from bot.slack.replies import answer_files, fetch_parent, from_bot, post
from bot.slack.runtime import Runtime, log_failure, unhelpful

SEARCH_VERBS = ("search", "find")


def about_the_thread(text: str, result: Answer) -> bool:
    """A question without codes ("why did this bounce?") is about the thread it was asked in.
    The engine answers such words with help or, when they match something, a keyword search;
    only an explicit `search …` is taken as a search."""
    if unhelpful(result):
        return True
    explicit = text.split(maxsplit=1)[0].lower().rstrip(":") in SEARCH_VERBS if text else False
    return isinstance(result, SearchResult) and not explicit


async def answer_addressed(
    rt: Runtime,
    client: AsyncWebClient,
    event: dict[str, Any],
    bot_user_id: str | None,
) -> None:
    """Shared by mentions and DMs: explicit question, files, or the thread's parent."""
    channel, ts = event["channel"], event["ts"]
    text = markup.decode(event.get("text"), strip_user=bot_user_id)
    results = await answer_files(rt, client, event.get("files") or [])
    notes: list[str] = []
    if not results:
        result, notes = await rt.answer(text)
        if about_the_thread(text, result) and event.get("thread_ts") and event["thread_ts"] != ts:
            parent = await fetch_parent(client, channel, event["thread_ts"])
            if parent:
                from_parent = await answer_files(rt, client, parent.get("files") or [])
                parent_notes: list[str] = []
                if not from_parent:
                    found, parent_notes = await rt.passive(markup.decode(parent.get("text")))
                    from_parent = [found] if found is not None else []
                if from_parent and not unhelpful(from_parent[0]):
                    result, notes = from_parent[0], parent_notes
        results = [result]
    thread_ts = event.get("thread_ts") or (ts if not channel.startswith("D") else None)
    for result in results:
        await post(client, channel, rt.render(result, notes=notes), thread_ts)


def register(app: AsyncApp) -> None:
    rt = runtime_of(app)

    @app.event("app_mention")
    async def mention(
        event: dict[str, Any], body: dict[str, Any], context: Any, client: AsyncWebClient
    ) -> None:
        if from_bot(event, context.bot_user_id, context.bot_id):
            return
        key = (event.get("channel"), event.get("ts"))
        if not rt.messages.claim(key):  # the `message` twin of this post was answered
            return
        try:
            await answer_addressed(rt, client, event, context.bot_user_id)
        except Exception as exc:
            rt.messages.release(key)
            rt.events.release(body.get("event_id"))
            log_failure("mention reply", exc)
