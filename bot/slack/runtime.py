"""State shared by the listeners of one app, and the one path from text to a Slack reply.

Listeners stay a few lines long by calling `reply_for` / `passive_reply_for` here: decode
the markup, run the engine (in a worker thread when the input is big, so a 40,000-char paste
never stalls acknowledgements), record statistics, render Block Kit. Engine failures become a
polite Problem answer and a log line naming only the exception type, never the text.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.i18n import t
from bot.render.blocks import SlackMessage, codes_of, render_blocks
from bot.results import Answer, Help, Problem
from bot.settings import Settings
from bot.slack.dedupe import Seen
from bot.stats import CodeStats

log = logging.getLogger("smtpbot.slack")

INLINE_MAX = 2_000
"""Inputs up to this size are answered on the event loop: a thread hop costs more than them."""
MAX_INPUT = 100_000
"""Longer inputs are cut before the engine sees them (and the reply says so)."""
SHARE_VALUE_MAX = 1_900
T = TypeVar("T")


class ShareStore:
    """Texts too long for a button's 2,000-char value, kept for the Share button (bounded)."""

    def __init__(self, max_items: int = 500, ttl: float = 24 * 3600) -> None:
        self._items: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()
        self._max, self._ttl = max_items, ttl

    def put(self, text: str) -> str:
        key = secrets.token_urlsafe(12)
        with self._lock:
            self._items[key] = (time.monotonic(), text)
            while len(self._items) > self._max:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> str | None:
        with self._lock:
            item = self._items.get(key)
        if item is None or time.monotonic() - item[0] > self._ttl:
            return None
        return item[1]


def log_failure(what: str, exc: BaseException) -> None:
    """Log where something failed without its message (which may quote pasted content)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    log.error("%s failed: %s at %s", what, type(exc).__name__, where)


def _safe(fn: Callable[..., T], *args: Any) -> T | Answer:
    try:
        return fn(*args)
    except Exception as exc:
        log_failure("engine", exc)
        return Problem(message=t("slack.error"))


@dataclass
class Runtime:
    settings: Settings
    events: Seen = field(default_factory=Seen)
    messages: Seen = field(default_factory=Seen)
    stats: CodeStats = field(default_factory=CodeStats)
    shares: ShareStore = field(default_factory=ShareStore)
    locale: str = "en"

    async def engine(self, fn: Callable[..., T], *args: Any, size: int = 0) -> T | Answer:
        if size <= INLINE_MAX:
            return _safe(fn, *args)
        return await asyncio.to_thread(_safe, fn, *args)

    @staticmethod
    def cut(text: str) -> tuple[str, list[str]]:
        if len(text) <= MAX_INPUT:
            return text, []
        note = t("slack.truncated_input", size=f"{len(text):,}", kept=f"{MAX_INPUT:,}")
        return text[:MAX_INPUT], [note]

    def share_value(self, text: str) -> str:
        return "q:" + text if len(text) <= SHARE_VALUE_MAX else "k:" + self.shares.put(text)

    def shared_text(self, value: str) -> str | None:
        if value.startswith("q:"):
            return value[2:]
        if value.startswith("k:"):
            return self.shares.get(value[2:])
        return None

    async def answer(self, text: str) -> tuple[Answer, list[str]]:
        """An explicit question (slash command, mention, DM, shortcut): always an answer."""
        from bot.answer import answer

        text, notes = self.cut(text)
        result = await self.engine(answer, text, self.locale, size=len(text))
        self.stats.record(codes_of(result))
        return result, notes

    async def passive(self, text: str) -> tuple[Answer | None, list[str]]:
        """A message nobody addressed to the bot: an answer only for bounces and code lists."""
        from bot.answer import answer_passive

        text, notes = self.cut(text)
        result = await self.engine(answer_passive, text, self.locale, size=len(text))
        if isinstance(result, Problem):
            return None, notes  # an engine failure on chat nobody asked us about: stay quiet
        return result, notes

    async def file(self, data: bytes, name: str) -> Answer:
        from bot.answer import answer_file

        result = await self.engine(answer_file, data, name, self.locale, size=len(data))
        self.stats.record(codes_of(result))
        return result

    def render(
        self,
        result: Answer,
        *,
        share_text: str | None = None,
        notes: list[str] | tuple[str, ...] = (),
    ) -> SlackMessage:
        share = share_text is not None
        value = self.share_value(share_text) if share_text is not None else ""
        try:
            return render_blocks(
                result, share=share, share_value=value, notes=notes, locale=self.locale
            )
        except Exception as exc:  # a renderer bug must still produce a valid reply
            log_failure("render", exc)
            return render_blocks(Problem(message=t("slack.error")), locale=self.locale)

    async def reply_for(self, text: str, *, share: bool) -> SlackMessage:
        result, notes = await self.answer(text)
        return self.render(result, share_text=text if share else None, notes=notes)


def unhelpful(result: Answer | None) -> bool:
    """Help or a Problem: the engine found nothing to explain in the text."""
    return result is None or isinstance(result, Help | Problem)
