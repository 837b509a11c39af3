"""MailFoundry appliances: "Message delivery has failed".

"Unable to deliver message to: <addr>" opens a record and the text after "Delivery failed for
the following reason:" ("Server mx[ip] failed with: 550 ...") is its diagnostic. Recognised by
the subject together with MailFoundry's Received stamp, as the subject alone is generic.
"""

from __future__ import annotations

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import pasted, received, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "MailFoundry"
_RECIPIENT = lazy(r"^Unable to deliver message to: <([^<>\s]+@[^<>\s]+)>")
_ERROR = "Delivery failed for the following reason:"


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, "Unable to deliver message to: <", _ERROR)
    return mail.subject == "Message delivery has failed" and any(
        "(MAILFOUNDRY) id" in r for r in received(mail)
    )


def decode(mail: Mail) -> Result | None:
    hits: list[Hit] = []
    texts: list[list[str]] = []
    reading = False
    for line in mail.body.split("\n"):
        if line.startswith("Content-Type: message/rfc822"):
            break
        found = _RECIPIENT.match(line)
        if found and is_address(found.group(1)):
            hits.append(Hit(recipient=found.group(1)))
            texts.append([])
            reading = False
        elif hits and line.strip() == _ERROR:
            reading = True
        elif hits and reading and line.strip() and not line.startswith("-"):
            texts[-1].append(line)
    for hit, text in zip(hits, texts, strict=True):
        hit.diagnosis = squash(" ".join(text))
    return Result(hits=hits, decoder=NAME) if hits else None
