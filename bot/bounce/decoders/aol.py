"""AOL Mail: bounces sent by AOL's outbound relays, recognised by the X-AOL-IP header.

The DSN part is standard and read by the Postfix or the generic reader; AOL's relays word two
DNS failures in their own way, and those decide the reason.
"""

from __future__ import annotations

from bot.bounce.decoders import postfix, rfc3464
from bot.bounce.decoders.base import Result
from bot.bounce.decoders.formatkit import header, reason_from
from bot.bounce.mail import Mail

NAME = "Aol"
_MESSAGES = (
    ("hostunknown", ("Host or domain name not found",)),
    ("notaccept", ("type=MX: Malformed or unexpected name server reply",)),
)


def match(mail: Mail) -> bool:
    return bool(header(mail, "x-aol-ip")) and bool(mail.dsn_blocks)


def decode(mail: Mail) -> Result | None:
    # AOL's relays run Postfix: its reader keeps the remote server's fuller reply.
    result = postfix.decode(mail) if postfix.match(mail) else rfc3464.decode(mail)
    if result is None:
        return None
    for hit in result.hits:
        hit.reason = reason_from(hit.diagnosis, _MESSAGES) or hit.reason
    result.decoder = NAME
    return result
