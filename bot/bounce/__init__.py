"""Bounce-message engine: decode NDRs/DSNs into per-recipient records with Sisimai's reasons.

Only the standard library, `bot.kb` and `bot.extract` may be imported from here: `smtpbot
parse` starts a process per batch, and its start-up time is part of its speed.
"""

from __future__ import annotations

from bot.bounce.engine import parse_bytes, parse_text
from bot.bounce.model import BounceReport, OriginalMessage, Recipient
from bot.bounce.reasons import classify

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs parse start-up

if TYPE_CHECKING:
    from bot.bounce.detect import looks_like_bounce


def __getattr__(name: str) -> object:
    # The chat-side detector is imported on first use: `smtpbot parse` never needs it.
    if name == "looks_like_bounce":
        from bot.bounce.detect import looks_like_bounce

        return looks_like_bounce
    raise AttributeError(name)


__all__ = [
    "BounceReport",
    "OriginalMessage",
    "Recipient",
    "classify",
    "looks_like_bounce",
    "parse_bytes",
    "parse_text",
]
