"""Trustwave Secure Email Gateway (MailMarshal SMTP): 'Undeliverable Mail: "subject"'.

The reason comes before the recipients ("Could not be delivered because of" ... "The following
recipients were affected:"), so every recipient listed after it shares that reason; the
"Additional Information" block names the reporting relay.
"""

from __future__ import annotations

import re

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import pasted, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "MailMarshalSMTP"
_START = "Your message:"
_ERROR = "Could not be delivered because of"
_RCPTS = "The following recipients were affected:"
_RECIPIENT = lazy(r"^[ \t]{4}([^ ]+@[^ ]+)$")
_REPORTING = lazy(r"^Reporting-MTA:[ \t]+<(.+)>$", re.M)
_SENDER_MTA = lazy(r"^Sender-MTA:[ \t]+<(.+)>$", re.M)


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, _ERROR, _RCPTS)
    return mail.subject.startswith('Undeliverable Mail: "') and _ERROR in mail.body


def decode(mail: Mail) -> Result | None:
    at = mail.body.find(_ERROR)
    error, _, rest = mail.body[at + len(_ERROR) :].partition(_RCPTS)
    hits: list[Hit] = []
    for line in rest.split("\n"):
        found = _RECIPIENT.match(line.rstrip())
        if found and is_address(found.group(1)):
            hits.append(Hit(recipient=found.group(1)))
        elif hits and line.strip():
            break
    reporting = _REPORTING.search(rest)
    sender_mta = _SENDER_MTA.search(rest)
    for hit in hits:
        hit.diagnosis = squash(error)
        hit.rhost = reporting.group(1) if reporting else ""
        hit.lhost = sender_mta.group(1) if sender_mta else ""
    return Result(hits=hits, decoder=NAME) if hits else None
