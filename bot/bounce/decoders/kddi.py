"""au by KDDI's newer relays (dion.ne.jp, auone-net.jp): "Your mail sent on: ..." notices.

Each recipient is named on a "Could not be delivered to: <addr>" line and the reason is the
indented sentence below it ("As their mailbox is full."), which carries no SMTP code; those
sentences are mapped to reasons here.
"""

from __future__ import annotations

import re

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result, find_command
from bot.bounce.decoders.formatkit import from_first, header, pasted, reason_from, received, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "KDDI"
_STARTS = ("Your mail sent on:", "Your mail attempted to be delivered on:")
_RECIPIENT = lazy(r"Could not be delivered to: <([^<>\s]+@[^<>\s]+)>")
_MESSAGES = (
    ("mailboxfull", ("As their mailbox is full",)),
    ("norelaying", ("Due to the following SMTP relay error",)),
    ("hostunknown", ("As the remote domain doesnt exist",)),
)
_SENDER = lazy(r"no-reply@[^>\s]*\.dion\.ne\.jp", re.I)


def match(mail: Mail) -> bool:
    if mail.fragment:
        return any(pasted(mail, s, "Could not be delivered to: <") for s in _STARTS)
    if not any(s in mail.body[:4000] for s in _STARTS):
        return False
    return bool(
        _SENDER.search(mail.sender)
        or header(mail, "reply-to").strip() == "no-reply@app.auone-net.jp"
        or any("ezweb.ne.jp (" in r or ".au.com (" in r for r in received(mail))
    )


def decode(mail: Mail) -> Result | None:
    notice = from_first(mail.body, _STARTS)
    if notice is None:
        return None
    hits: list[Hit] = []
    texts: list[list[str]] = []
    for line in notice.split("\n"):
        if line.startswith("Content-Type:") or line.startswith("Received:"):
            break
        found = _RECIPIENT.search(line)
        if found and is_address(found.group(1)):
            hits.append(Hit(recipient=found.group(1)))
            texts.append([])
        elif hits and line.startswith(" ") and line.strip():
            texts[-1].append(line)
    filtered = header(mail, "x-spasign").strip() == "NG"
    for hit, text in zip(hits, texts, strict=True):
        hit.diagnosis = squash(" ".join(text))
        hit.command = find_command(hit.diagnosis)
        if filtered:
            hit.reason = "filtered"
        elif hit.command == "RCPT":
            hit.reason = "userunknown"
        else:
            hit.reason = reason_from(hit.diagnosis, _MESSAGES)
    return Result(hits=hits, decoder=NAME) if hits else None
