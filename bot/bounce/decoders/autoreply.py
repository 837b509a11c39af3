"""RFC 3834 auto-replies (out of office): not a failure, reported as reason `vacation`."""

from __future__ import annotations

import re

from bot.bounce.codes import clean_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "RFC3834"
_SUBJECT = lazy(r"^(?:auto:|auto response:|automatic reply:|out of (?:the )*office:)", re.I)
_EXCLUDE_SUBJECT = lazy(r"security information for|mail failure -", re.I)
_EXCLUDE_FROM = lazy(r"(?:root|postmaster|mailer-daemon)@", re.I)
_AUTO_SUBMITTED = lazy(r"^auto-(?:generated|replied|notified)", re.I)
_SUPPRESS = lazy(r"oof|autoreply", re.I)


def match(mail: Mail) -> bool:
    if mail.dsn_blocks:
        return False
    h = mail.header
    if _EXCLUDE_SUBJECT.search(mail.subject) or _EXCLUDE_FROM.search(mail.sender):
        return False
    if "root@" in str(h.get("to", "") or "").lower():
        return False
    return bool(
        _AUTO_SUBMITTED.match(str(h.get("auto-submitted", "") or "").strip())
        or _SUPPRESS.search(str(h.get("x-auto-response-suppress", "") or ""))
        or str(h.get("x-apple-action", "") or "").strip().lower() == "vacation"
        or str(h.get("precedence", "") or "").strip().lower() == "auto_reply"
        or _SUBJECT.match(mail.subject)
    )


def decode(mail: Mail) -> Result | None:
    address = clean_address(mail.sender) or clean_address(str(mail.header.get("reply-to", "")))
    if not address:
        return None
    text = " ".join(mail.body.split())[:300]
    hit = Hit(recipient=address, reason="vacation", diagnosis=text)
    return Result(hits=[hit], decoder=NAME, kind="vacation")
