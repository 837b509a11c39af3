"""Small helpers shared by the per-format decoders of vendor notices (not a decoder itself).

The vendor formats differ in wording but repeat the same chores: read a header as text, cut
the notice at the returned message, take the DSN part when there is one and let the notice's
own text add what the DSN leaves out. Keeping those chores here keeps each format module down
to what is particular to its format.
"""

from __future__ import annotations

import re

from bot.bounce.codes import ADDRESS, is_address
from bot.bounce.decoders.base import Hit, hits_from_dsn
from bot.bounce.mail import Mail, parse_field_block


def pasted(mail: Mail, *markers: str, within: int = 6000) -> bool:
    """For text pasted without headers: whether all `markers` are in its first `within` chars.

    A paste has no headers to check, so a vendor format is recognised there only by sentences
    that no other format writes; a weaker test would take pastes from the generic readers.
    """
    if not mail.fragment:
        return False
    head = mail.body[:within]
    return all(marker in head for marker in markers)


def header(mail: Mail, name: str) -> str:
    """A header as a plain string ('' when absent): vendor headers decide several matches."""
    value = mail.header.get(name)
    return str(value) if value is not None else ""


def received(mail: Mail) -> list[str]:
    return [str(r) for r in (mail.header.get_all("received") or [])]


def cut(text: str, markers: tuple[str, ...]) -> str:
    """`text` up to the first of `markers` (plain substrings), so that the returned message
    quoted below a notice never contributes recipients."""
    end = len(text)
    for marker in markers:
        at = text.find(marker)
        if 0 <= at < end:
            end = at
    return text[:end]


def from_first(text: str, markers: tuple[str, ...]) -> str | None:
    """`text` from the earliest of `markers` on (the marker included); None when none is there."""
    at = min((i for i in (text.find(m) for m in markers) if i >= 0), default=-1)
    return None if at < 0 else text[at:]


def between(text: str, start: str, end: str) -> str | None:
    """The notice from `start` up to `end` (or the end of the text); None without `start`."""
    at = text.find(start)
    return None if at < 0 else text[at:].split(end, 1)[0]


def after(text: str, markers: tuple[str, ...]) -> str:
    """`text` after the earliest of `markers`, or '' when none is there."""
    best = -1
    length = 0
    for marker in markers:
        at = text.find(marker)
        if at != -1 and (best == -1 or at < best):
            best, length = at, len(marker)
    return text[best + length :] if best != -1 else ""


def address_in(text: str) -> str:
    """The first valid address in `text`, without surrounding punctuation."""
    for match in ADDRESS.finditer(text):
        found = match.group(0).strip(".")
        if is_address(found):
            return found
    return ""


def dsn_hits(mail: Mail, text: str = "") -> tuple[list[Hit], dict[str, str]]:
    """Hits from the DSN part; failing that, from DSN fields written inline in `text`
    (several vendors paste them into the text part)."""
    hits, per_message = hits_from_dsn(mail.dsn_blocks)
    if hits or not text:
        return hits, per_message
    inline = re.search(r"^\s*(?:Final|Original)-Recipient:", text, re.I | re.M)
    if inline is None:
        return [], {}
    return hits_from_dsn(parse_field_block(text[max(0, inline.start() - 1500) :]))


def squash(text: str) -> str:
    return " ".join(text.split())


def reason_from(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """The reason whose phrase (case-insensitive substring) appears first in the table order."""
    low = text.lower()
    for reason, phrases in table:
        if any(p.lower() in low for p in phrases):
            return reason
    return ""
