"""McAfee Email Gateway / Email and Web Security appliance: "Delivery Status".

Recognised by the X-NAI-Header the appliance stamps. Each recipient is listed as
"<addr>   (reason)" under "--- The following addresses had delivery problems ---"; the DSN
part that follows often has an empty or truncated Diagnostic-Code, so the listed reason is
kept as a fallback diagnostic.
"""

from __future__ import annotations

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import dsn_hits, header, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "McAfee"
_START = "--- The following addresses had delivery problems ---"
_LINE = lazy(r"^<([^<>\s]+@[^<>\s]+)>[ \t]+\((.+)\)\s*$")
_USER_UNKNOWN = lazy(
    r" User \(.+@.+\) unknown\. |550 Unknown user [^ ]+@[^ ]+|"
    r"550 <.+?@.+?>\.+ User not exist|No such user"
)


def match(mail: Mail) -> bool:
    return "Modified by McAfee" in header(mail, "x-nai-header") and mail.subject == (
        "Delivery Status"
    )


def decode(mail: Mail) -> Result | None:
    at = mail.body.find(_START)
    listed: dict[str, str] = {}
    order: list[str] = []
    if at >= 0:
        for line in mail.body[at + len(_START) :].split("\n"):
            found = _LINE.match(line.strip())
            if found and is_address(found.group(1)):
                listed[found.group(1).lower()] = found.group(2)
                order.append(found.group(1))
    hits, _ = dsn_hits(mail, mail.body)
    if not hits:
        hits = [Hit(recipient=a) for a in order]
    for hit in hits:
        hit.diagnosis = squash(hit.diagnosis or listed.get(hit.recipient.lower(), ""))
        if _USER_UNKNOWN.search(hit.diagnosis):
            hit.reason = "userunknown"
    return Result(hits=hits, decoder=NAME) if hits else None
