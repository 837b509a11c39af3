"""Microsoft Exchange 5.5/2000/2003 "did not reach the following recipient(s)" notices.

The MSEXCH error code at the end of the diagnostic says more than its text, so it is mapped
first (Sisimai's table).
"""

from __future__ import annotations

import re

from bot.bounce.codes import ADDRESS
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.textscan import join
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail, head_lower

NAME = "Exchange2003"
_START = lazy(
    r"did not reach the following recipient\(s\):|"
    r"could not be delivered to the following recipient",
    re.I,
)
_END = lazy(r"^\s*-{3,}|^\s*The MTS-ID|^\s*Original message|Content-Type:", re.I | re.M)
_CODE = lazy(r"\(([0-9A-F]{8})\)")
_ERRORS = {
    "000B099C": "onhold",
    "000B09AA": "onhold",
    "000B09B6": "onhold",
    "000C05A6": "userunknown",
    "00010256": "systemerror",
    "000D06B5": "systemerror",
    "00120270": "networkerror",
    "00050311": "contenterror",
    "000502CC": "contenterror",
    "000B0981": "securityerror",
    "000C0595": "filtered",
}
_ADDR_LINE = lazy(r"^\s*(?:.*SMTP=)?(\S+@[^\s;]+)(?:;|\s+on\s+|\s*$)", re.I)


def match(mail: Mail) -> bool:
    if mail.dsn_blocks:
        return False
    head = head_lower(mail)[:4000]
    if "following recipient" not in head:  # both _START phrases contain it
        return False
    return bool(_START.search(mail.body[:4000]))


def decode(mail: Mail) -> Result | None:
    start = _START.search(mail.body)
    if not start:
        return None
    rest = mail.body[start.end() :]
    cut = re.search(r"^\s*-{3,}", rest, re.M)
    section = rest[: cut.start()] if cut else rest[:6000]
    hits: list[Hit] = []
    lines_for: list[list[str]] = []
    for line in section.split("\n"):
        if not line.strip():
            continue
        m = _ADDR_LINE.match(line)
        if (
            m
            and ADDRESS.fullmatch(m.group(1).strip("<>."))
            and (not line.startswith("    ") or not hits)
        ):
            hits.append(Hit(recipient=m.group(1).strip("<>.")))
            lines_for.append([])
        elif hits and "the mts-id" not in line.lower() and not line.lower().startswith(";p="):
            lines_for[-1].append(line.strip())
    for hit, lines in zip(hits, lines_for, strict=True):
        hit.diagnosis = join(lines)
        code = _CODE.search(hit.diagnosis)
        if code and code.group(1) in _ERRORS:
            hit.reason = _ERRORS[code.group(1)]
    if not hits:
        return None
    return Result(hits=hits, decoder=NAME)
