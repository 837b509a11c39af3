"""Read a code as a person types it: `554`, `5.7.26`, `X.7.26`, `550 5.7.26`, `[TSS04]`.

This is about a query that *is* a code (a slash command argument, a CLI argument). Finding
codes inside arbitrary pasted text is `bot.extract`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

CodeKind = Literal["basic", "enhanced", "combined", "token"]

BASIC = re.compile(r"^([2-5])([0-9])([0-9])$")
ENHANCED = re.compile(r"^([245xX])\.([0-9]{1,3})\.([0-9]{1,3})$")
COMBINED = re.compile(r"^([2-5][0-9]{2})(?:\s*[-:]\s*|\s+)([245xX]\.[0-9]{1,3}\.[0-9]{1,3})$")
TOKEN = re.compile(r"^[\[(]?#?([A-Za-z]{1,5}[0-9]{1,4}[A-Za-z0-9]?)[\])]?$")


@dataclass(frozen=True)
class CodeQuery:
    """A parsed code. `basic` and/or `enhanced` are set; `enhanced` keeps the class or 'X'."""

    kind: CodeKind
    basic: str | None = None
    enhanced: str | None = None
    token: str | None = None

    @property
    def display(self) -> str:
        if self.kind == "token":
            return self.token or ""
        return " ".join(part for part in (self.basic, self.enhanced) if part)


def _enhanced(match: re.Match[str]) -> str:
    cls = match.group(1).upper()
    return f"{cls}.{int(match.group(2))}.{int(match.group(3))}"


def parse_code(text: str) -> CodeQuery | None:
    """The code `text` spells, or None when it is not one well-formed code."""
    raw = " ".join(text.strip().strip("`'\"").split())
    if not raw:
        return None
    if BASIC.match(raw):
        return CodeQuery("basic", basic=raw)
    if match := ENHANCED.match(raw):
        return CodeQuery("enhanced", enhanced=_enhanced(match))
    if match := COMBINED.match(raw):
        enhanced = ENHANCED.match(match.group(2))
        assert enhanced is not None
        return CodeQuery("combined", basic=match.group(1), enhanced=_enhanced(enhanced))
    if match := TOKEN.match(raw):
        return CodeQuery("token", token=match.group(1).upper())
    return None


# Letters people type for digits: 55O, 5.l.1.
LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})


def looks_like_code(text: str) -> bool:
    """True for input that was probably meant as a code but is malformed (`55`, `5.7`, `55O`)."""
    raw = text.strip().translate(LOOKALIKES)
    return (
        bool(raw)
        and len(raw) <= 12
        and bool(re.fullmatch(r"[0-9xX.\- ]+", raw))
        and any(c.isdigit() for c in raw)
    )


def _distance(a: str, b: str) -> int:
    """Levenshtein distance; the strings are a dozen characters at most."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def suggest(text: str, known: list[str], limit: int = 5) -> list[str]:
    """Known codes closest to a malformed one, closest first (ties keep `known` order)."""
    raw = text.strip().translate(LOOKALIKES).upper().replace(" ", "")
    scored = sorted(
        ((_distance(raw, code.upper()), n, code) for n, code in enumerate(known)),
        key=lambda item: (item[0], item[1]),
    )
    best = [code for dist, _, code in scored if dist <= max(2, len(raw) // 2)]
    return best[:limit]
