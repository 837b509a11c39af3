"""Unknown MTA "X1": "Returned Mail: ..." with one "address [reason]" line per recipient.

The whole report is a list under "The following addresses had delivery errors"; the bracketed
text is the only diagnostic there is.
"""

from __future__ import annotations

import re

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "X1"
_START = "The original message was received at "
_LINE = lazy(r"^([^\s\[\]]+@[^\s\[\]]+) \[(.+)\]\s*$", re.M)
_SENDER = lazy(r'"Mail Deliver\w* System"', re.I)


def match(mail: Mail) -> bool:
    if not (
        mail.subject.startswith("Returned Mail: ")
        or mail.subject.startswith("Mail Delivery Failure")
        or _SENDER.search(str(mail.header.get("from", "") or ""))
    ):
        return False
    head = mail.body[:4000]
    return _START in head and bool(_LINE.search(head))


def decode(mail: Mail) -> Result | None:
    at = mail.body.find(_START)
    if at < 0:
        return None
    notice = re.split(
        r"^(?:Received: from |Content-Type: message/rfc822)", mail.body[at:], maxsplit=1, flags=re.M
    )
    hits = [
        Hit(recipient=m.group(1), diagnosis=m.group(2).strip())
        for m in _LINE.finditer(notice[0])
        if is_address(m.group(1))
    ]
    return Result(hits=hits, decoder=NAME) if hits else None
