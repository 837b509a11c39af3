"""Lotus Notes (before Domino's "DELIVERY FAILURE" wording): "Undeliverable message".

The notice is a "------- Failure Reasons --------" section holding the reason sentence and
the address, and no SMTP code at all; Notes' own sentences (in English or Japanese) are the
only statement of the reason, so they are mapped here. When the section names no address,
the returned message's To: header is the recipient.
"""

from __future__ import annotations

import re

from bot.bounce.codes import clean_address, is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import pasted, reason_from, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "Notes"
_START = "------- Failure Reasons "
_END = "------- Returned Message --------"
_TO = lazy(r"^To:\s*(.+)$", re.M)
_MESSAGES = (
    (
        "userunknown",
        ("User not listed in public Name & Address Book", "ディレクトリのリストにありません"),
    ),
    ("networkerror", ("Message has exceeded maximum hop count",)),
)


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, _START)
    return mail.subject.startswith("Undeliverable message") and _START in mail.body[:6000]


def decode(mail: Mail) -> Result | None:
    at = mail.body.find(_START)
    if at < 0:
        return None
    section, _, returned = mail.body[at:].partition(_END)
    hits: list[Hit] = []
    texts: list[list[str]] = []
    for raw in section.split("\n")[1:]:
        line = raw.strip()
        if not line or line.startswith("-"):
            continue
        if "@" in line and " " not in line and is_address(clean_address(line)):
            hits.append(Hit(recipient=clean_address(line)))
            texts.append([])
        elif hits:
            texts[-1].append(line)
        else:
            # The reason comes before the address it belongs to.
            texts.append([line])
            hits.append(Hit())
    # Fold a reason read before any address into the record that follows it.
    merged: list[Hit] = []
    pending: list[str] = []
    for hit, text in zip(hits, texts, strict=True):
        if not hit.recipient:
            pending.extend(text)
            continue
        hit.diagnosis = squash(" ".join(pending + text))
        pending = []
        merged.append(hit)
    if not merged:
        to = _TO.search(returned or mail.original_text or "")
        address = clean_address(to.group(1)) if to else ""
        if not address and mail.original:
            address = clean_address(mail.original.get("to", ""))
        if not address:
            return None
        merged.append(Hit(recipient=address, diagnosis=squash(" ".join(pending))))
    for hit in merged:
        hit.reason = reason_from(hit.diagnosis, _MESSAGES)
    return Result(hits=merged, decoder=NAME)
