"""Small Slack-side steps the listeners share: who wrote a message, posting in a thread,
fetching a thread's parent, reading shared files."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import t
from bot.render.blocks import SlackMessage
from bot.results import Answer, Problem
from bot.slack import files
from bot.slack.runtime import Runtime, log_failure

log = logging.getLogger("smtpbot.slack")
MAX_FILES = 3


def from_bot(message: dict[str, Any], bot_user_id: str | None, bot_id: str | None) -> bool:
    """Any bot's message, our own included: replying to bots is how reply loops start."""
    return bool(
        message.get("bot_id")
        or message.get("subtype") == "bot_message"
        or message.get("bot_profile")
        or (bot_user_id and message.get("user") == bot_user_id)
        or (bot_id and message.get("bot_id") == bot_id)
    )


async def post(
    client: AsyncWebClient, channel: str, message: SlackMessage, thread_ts: str | None = None
) -> None:
    kwargs: dict[str, Any] = {"thread_ts": thread_ts} if thread_ts else {}
    await client.chat_postMessage(
        channel=channel,
        text=message.text,
        blocks=message.blocks,
        unfurl_links=False,
        unfurl_media=False,
        **kwargs,
    )


async def fetch_parent(client: AsyncWebClient, channel: str, thread_ts: str) -> dict | None:
    """The thread's first message; conversations.history is the fallback for apps that
    lack the replies scope in a given conversation type."""
    try:
        result = await client.conversations_replies(channel=channel, ts=thread_ts, limit=1)
        for message in result.get("messages") or []:
            if message.get("ts") == thread_ts:
                return message
    except Exception as exc:
        log_failure("conversations.replies", exc)
    try:
        result = await client.conversations_history(
            channel=channel, latest=thread_ts, inclusive=True, limit=1
        )
        messages = result.get("messages") or []
        return messages[0] if messages else None
    except Exception as exc:
        log_failure("conversations.history", exc)
        return None


async def _described(client: AsyncWebClient, file: dict[str, Any]) -> dict[str, Any]:
    """The file object with its name and URLs: an event may carry only the file's id."""
    if not file.get("id") or file.get("name") or file.get("url_private_download"):
        return file
    try:
        info = await client.files_info(file=file["id"])
        return {**file, **(info.get("file") or {})}
    except Exception as exc:
        log_failure("files.info", exc)
        return file


async def answer_files(
    rt: Runtime, client: AsyncWebClient, shared: list[dict[str, Any]]
) -> list[Answer]:
    """An answer per readable file (.eml/.txt), at most three; unreadable ones get a Problem."""
    answers: list[Answer] = []
    candidates = [await _described(client, f) for f in shared[:10] if isinstance(f, dict)]
    for raw in [f for f in candidates if files.readable(f)][:MAX_FILES]:
        item = files.shared_file(raw)
        limit_mb = files.MAX_FILE_BYTES // (1024 * 1024)
        if item.size is not None and item.size > files.MAX_FILE_BYTES:
            answers.append(Problem(t("slack.file_too_large", filename=item.name, limit=limit_mb)))
            continue
        url = item.url
        try:
            if not url and item.id:
                info = await client.files_info(file=item.id)
                url = (info.get("file") or {}).get("url_private_download")
            if not url:
                raise files.FileError("no_url")
            data = await files.download(url, rt.settings.bot_token or "", rt.settings.api_url)
        except files.FileError as exc:
            log.warning("file download failed: %s", exc.reason)
            reason = "too large" if exc.reason == "too_large" else exc.reason.replace("_", " ")
            answers.append(Problem(t("slack.file_error", filename=item.name, reason=reason)))
            continue
        except Exception as exc:
            log_failure("file download", exc)
            answers.append(Problem(t("slack.file_error", filename=item.name, reason="error")))
            continue
        answers.append(await rt.file(data, item.name))
    return answers
