"""Symantec.cloud (MessageLabs): "Mail Delivery Failure" from MAILER-DAEMON@messagelabs.com.

A standard DSN, recognised by MessageLabs' X-Msg-Ref header. MessageLabs answers unknown
recipients with a bare "542 ... Rejected" that generic rules do not read as a missing
mailbox, so its phrases are mapped here.
"""

from __future__ import annotations

from bot.bounce.decoders import rfc3464
from bot.bounce.decoders.base import Result
from bot.bounce.decoders.formatkit import header, reason_from
from bot.bounce.mail import Mail

NAME = "MessageLabs"
_MESSAGES = (
    ("securityerror", ("Please turn on SMTP Authentication in your mail client",)),
    ("userunknown", ("542 ", " Rejected", "No such user")),
)


def match(mail: Mail) -> bool:
    return (
        bool(header(mail, "x-msg-ref"))
        and "mailer-daemon@messagelabs.com" in mail.sender.lower()
        and mail.subject.startswith("Mail Delivery Failure")
    )


def decode(mail: Mail) -> Result | None:
    result = rfc3464.decode(mail)
    if result is None:
        return None
    for hit in result.hits:
        hit.reason = hit.reason or reason_from(hit.diagnosis, _MESSAGES)
    result.decoder = NAME
    return result
