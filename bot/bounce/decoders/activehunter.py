"""TransWARE Active!hunter (Japan): "FAILURE NOTICE :" with an X-AHMailID header.

Sendmail-like section titles, but each recipient is written ">>> name <addr>" and the
transcript is only the remote reply, so the Sendmail reader would find neither.
"""

from __future__ import annotations

import re

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import header, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "Activehunter"
_START = "----- The following addresses had permanent fatal errors -----"
_RECIPIENT = lazy(r"^>{3}[ \t]+.+<([^ ]+?@[^ ]+?)>\s*$")


def match(mail: Mail) -> bool:
    return bool(header(mail, "x-ahmailid")) and _START in mail.body


def decode(mail: Mail) -> Result | None:
    at = mail.body.find(_START)
    notice = re.split(
        r"^Content-type: message/rfc822", mail.body[at:], maxsplit=1, flags=re.M | re.I
    )
    hits: list[Hit] = []
    for line in notice[0].split("\n")[1:]:
        found = _RECIPIENT.match(line.strip())
        if found and is_address(found.group(1)):
            hits.append(Hit(recipient=found.group(1)))
        elif hits and re.match(r"[0-9A-Za-z]", line) and not hits[-1].diagnosis:
            hits[-1].diagnosis = squash(line)
    diagnosis = next((h.diagnosis for h in hits if h.diagnosis), "")
    for hit in hits:
        hit.diagnosis = hit.diagnosis or diagnosis
    return Result(hits=hits, decoder=NAME) if hits else None
