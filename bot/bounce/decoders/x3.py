"""Unknown MTA "X3": a boxed "automatically generated Delivery Status Notification".

Recipients are bullet lines ("  * addr") and the reply is on a "SMTP:<COMMAND> host ...:"
line under "Technical details", which names the failing command directly.
"""

from __future__ import annotations

import re

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import pasted, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "X3"
_START = "This is an automatically generated Delivery Status Notification."
_BULLET = lazy(r"^[ \t]+\*[ \t]([^ ]+@[^ ]+)\s*$")
_SMTP = lazy(r"^SMTP:([A-Za-z]+)[ \t](.+)$")
_OTHER = lazy(r"^(?:Routing: |Diagnostic-Code: smtp; )(.+)$", re.I)


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, _START, "Technical details:")
    sender = str(mail.header.get("from", "") or "").strip().strip('"')
    return (
        sender.startswith("Mail Delivery System")
        and mail.subject.startswith("Delivery status notification")
        and _START in mail.body[:3000]
    )


def decode(mail: Mail) -> Result | None:
    at = mail.body.find(_START)
    if at < 0:
        return None
    notice = re.split(r"^Content-Type: message/rfc822", mail.body[at:], maxsplit=1, flags=re.M)[0]
    hits: list[Hit] = []
    for line in notice.split("\n"):
        bullet = _BULLET.match(line)
        if bullet and is_address(bullet.group(1)):
            hits.append(Hit(recipient=bullet.group(1)))
            continue
        if not hits:
            continue
        smtp = _SMTP.match(line.strip())
        other = _OTHER.match(line.strip())
        # The technical details come after all the bullets and belong to the last one read
        # and, when nothing more specific was said, to all of them.
        if smtp:
            for hit in hits:
                if not hit.diagnosis:
                    hit.command = smtp.group(1).upper()[:4]
                    hit.diagnosis = squash(smtp.group(2))
        elif other:
            for hit in hits:
                hit.diagnosis = hit.diagnosis or squash(other.group(1))
    return Result(hits=hits, decoder=NAME) if hits else None
