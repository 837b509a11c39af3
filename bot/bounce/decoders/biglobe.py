"""BIGLOBE and the cable ISPs on its platform (inacatv, tmtv, ttv): "Returned mail: ...".

A sendmail-like notice with its own section titles ("The following addresses had delivery
problems", "Non-delivered information") and no SMTP codes; the explanatory sentence is the
only statement of the reason, so the known ones are mapped here.
"""

from __future__ import annotations

import re

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import reason_from, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "Biglobe"
_SENDER = lazy(r"postmaster@(?:[\w.-]+\.)?(?:biglobe|inacatv|tmtv|ttv)\.ne\.jp", re.I)
_START = "----- The following addresses had delivery problems -----"
_ERROR = "----- Non-delivered information -----"
_ADDRESS = lazy(r"^\s*<?([^<>\s]+@[^<>\s]+?)>?\s*$")
_MESSAGES = (
    ("filtered", ("Mail Delivery Failed... User unknown",)),
    ("mailboxfull", ("The number of messages in recipient's mailbox exceeded the local limit.",)),
)


def match(mail: Mail) -> bool:
    return mail.subject.startswith("Returned mail:") and bool(_SENDER.search(mail.sender))


def decode(mail: Mail) -> Result | None:
    at = mail.body.find(_START)
    if at < 0:
        return None
    hits: list[Hit] = []
    texts: list[str] = []
    for line in mail.body[at + len(_START) :].split("\n"):
        if line.startswith("Content-Type:") or line.startswith("Received:"):
            break
        stripped = line.strip()
        if not stripped or stripped == _ERROR or not stripped[0].isalnum():
            continue
        found = _ADDRESS.match(line)
        if found and is_address(found.group(1)):
            hits.append(Hit(recipient=found.group(1)))
        elif hits:
            texts.append(stripped)
    diagnosis = squash(" ".join(texts))
    for hit in hits:
        hit.diagnosis = diagnosis
        hit.reason = reason_from(diagnosis, _MESSAGES)
    return Result(hits=hits, decoder=NAME) if hits else None
