"""Outlook.com / Hotmail (consumer Microsoft mail): "Delivery Status Notification (Failure)".

A standard DSN recognised by Hotmail's own headers (X-Message-Delivery, X-Message-Info) or
relays. Outlook.com often leaves Diagnostic-Code empty; the notice then means it could not
reach the destination at all (or, for "delayed", is still trying), which is said explicitly
here so the reason rules have something to read.
"""

from __future__ import annotations

from bot.bounce.decoders import rfc3464
from bot.bounce.decoders.base import Result
from bot.bounce.mail import Mail

NAME = "Outlook"
_DELAYED = "Delivery to the following recipients has been delayed."
_UNREACHABLE = (
    "Unable to deliver message to the following recipients, due to being unable to connect "
    "successfully to the destination mail server."
)


def match(mail: Mail) -> bool:
    return bool(mail.dsn_blocks) and rfc3464.microsoft_profile(mail) == "outlook"


def decode(mail: Mail) -> Result | None:
    result = rfc3464.decode(mail)
    if result is None:
        return None
    for hit in result.hits:
        if not hit.diagnosis.strip():
            hit.diagnosis = _DELAYED if hit.action == "delayed" else _UNREACHABLE
            hit.reason = hit.reason or rfc3464.profile_reason("outlook", hit)
    result.decoder = NAME
    return result
