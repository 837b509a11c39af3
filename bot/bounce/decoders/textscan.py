"""Helpers for decoders of human-readable bounce bodies (no DSN part)."""

from __future__ import annotations

import re

from bot.bounce.codes import ADDRESS
from bot.bounce.lazyre import LazyPattern, lazy

_BLANKS = lazy(r"\n[ \t]*\n")


def paragraphs(text: str) -> list[str]:
    return [p for p in _BLANKS.split(text) if p.strip()]


def after(text: str, pattern: re.Pattern[str] | LazyPattern[str]) -> str:
    """The text after the first match of `pattern`, or ''."""
    match = pattern.search(text)
    return text[match.end() :] if match else ""


def first_address(text: str) -> str:
    match = ADDRESS.search(text)
    return match.group(0).strip(".") if match else ""


def join(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def table_reason(text: str, table: dict[str, re.Pattern[str]]) -> str:
    for reason, pattern in table.items():
        if pattern.search(text):
            return reason
    return ""
