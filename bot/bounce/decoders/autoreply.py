"""RFC 3834 auto-replies (out of office): not a failure, reported as reason `vacation`."""

from __future__ import annotations

import re

from bot.bounce.codes import clean_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.mail import Mail

NAME = "RFC3834"
_SUBJECT = re.compile(
    r"^(?:auto(?:matic)?[- ]?(?:reply|response|antwort)|out of (?:the )?office|"
    r"away from|vacation|abwesenheit|r[ée]ponse automatique)",
    re.I,
)


def match(mail: Mail) -> bool:
    from bot.bounce.decoders.fallback import looks_bounced

    if looks_bounced(mail) or mail.dsn_blocks:
        return False
    h = mail.header
    auto = str(h.get("auto-submitted", "")).lower()
    if auto.startswith("auto-replied"):
        return True
    if h.get("x-autoreply") or h.get("x-autorespond") or h.get("x-auto-response-suppress"):
        return bool(_SUBJECT.search(mail.subject))
    return str(h.get("precedence", "")).lower() == "auto_reply" or bool(
        _SUBJECT.search(mail.subject)
        and "mailer-daemon" not in mail.sender.lower()
        and not mail.dsn_blocks
    )


def decode(mail: Mail) -> Result | None:
    address = clean_address(mail.sender) or clean_address(str(mail.header.get("reply-to", "")))
    if not address:
        return None
    text = " ".join(mail.body.split())[:300]
    hit = Hit(recipient=address, reason="vacation", diagnosis=text)
    return Result(hits=[hit], decoder=NAME, kind="vacation")
