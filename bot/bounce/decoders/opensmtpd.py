"""OpenSMTPD: "Delivery status notification" from "Mailer Daemon", one `address: reason` line
per failure after the MAILER-DAEMON greeting."""

from __future__ import annotations

import re

from bot.bounce.decoders.base import Hit, Result
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "OpenSMTPD"
_START = "    This is the MAILER-DAEMON, please DO NOT REPLY to this"
_END = lazy(r"^ +Below is a copy of the original message:", re.M)
_LINE = lazy(r"^([^ ]+?@[^ ]+?):? (.+)$")
_MESSAGES = (
    ("expired", ("Envelope expired",)),
    ("hostunknown", ("Invalid domain name", "Domain does not exist")),
    ("notaccept", ("Destination seem to reject all mails",)),
    (
        "networkerror",
        (
            "Address family mismatch on destination MXs",
            "All routes to destination blocked",
            "bad DNS lookup error code",
            "Could not retrieve source address",
            "Loop detected",
            "Network error on destination MXs",
            "No MX found for domain",
            "No MX found for destination",
            "No valid route to remote MX",
            "No valid route to destination",
            "Temporary failure in MX lookup",
        ),
    ),
    ("securityerror", ("Could not retrieve credentials",)),
)


def match(mail: Mail) -> bool:
    if "Delivery status notification" not in mail.subject:
        return False
    if "Mailer Daemon <" not in str(mail.header.get("from", "") or ""):
        return False
    received = mail.header.get_all("received") or []
    return any(" (OpenSMTPD) with " in " ".join(str(r).split()) for r in received)


def decode(mail: Mail) -> Result | None:
    end = _END.search(mail.body)
    notice = mail.body[: end.start()] if end else mail.body
    hits: list[Hit] = []
    reading = False
    for line in notice.split("\n"):
        if not reading:
            reading = line.startswith(_START)
            continue
        found = _LINE.match(line) if line else None
        if found:
            hit = Hit(recipient=found.group(1), diagnosis=" ".join(found.group(2).split()))
            for reason, phrases in _MESSAGES:
                if any(p in hit.diagnosis for p in phrases):
                    hit.reason = reason
                    break
            hits.append(hit)
    return Result(hits=hits, decoder=NAME) if hits else None
