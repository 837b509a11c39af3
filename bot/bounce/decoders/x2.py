"""Unknown MTA "X2": "Unable to deliver message to the following address(es).".

Seen from several hosted mail services: "<addr>:" then the reason in free text, ending at
"--- Original message follows.". Read here rather than by the qmail reader, whose greeting it
lacks, so the text after the address stays with that address.
"""

from __future__ import annotations

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import between, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "X2"
_START = "Unable to deliver message to the following address"
_END = "--- Original message follows."
_RECIPIENT = lazy(r"^<([^<>\s]+@[^<>\s]+)>:\s*$")
_SUBJECT = lazy(r"^(?:Delivery failure|failure delivery|failed delivery)")


def match(mail: Mail) -> bool:
    if "MAILER-DAEMON@" not in mail.sender and not _SUBJECT.match(mail.subject):
        return False
    return _START in mail.body[:4000]


def decode(mail: Mail) -> Result | None:
    notice = between(mail.body, _START, _END)
    if notice is None:
        return None
    hits: list[Hit] = []
    texts: list[list[str]] = []
    for line in notice.split("\n")[1:]:
        if not line.strip():
            continue
        found = _RECIPIENT.match(line.strip())
        if found and is_address(found.group(1)):
            hits.append(Hit(recipient=found.group(1)))
            texts.append([])
        elif hits:
            texts[-1].append(line)
    for hit, text in zip(hits, texts, strict=True):
        hit.diagnosis = squash(" ".join(text))
    return Result(hits=hits, decoder=NAME) if hits else None
