"""RFC 5965 ARF feedback reports (and Hotmail/Yahoo's older complaint forms).

A complaint is not a failure: it is reported, as Sisimai does, as a record with reason
`feedback` and the feedback type, for the address the complaint is about.
"""

from __future__ import annotations

import re

from bot.bounce.codes import clean_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "ARF"
UNDISCLOSED = "undisclosed-recipient-in-headers@libsisimai.org.invalid"
_ARF_SENDER = lazy(
    r"staff@hotmail\.com|complaints@.*amazonses|feedback@.*yahoo|"
    r"scomp@aol\.net|feedbackloop@|fbl@|abuse",
    re.I,
)


def match(mail: Mail) -> bool:
    if mail.feedback is not None or mail.report_type.lower() == "feedback-report":
        return True
    return bool(_ARF_SENDER.search(mail.sender)) and mail.original is not None


def decode(mail: Mail) -> Result | None:
    fb = mail.feedback or {}
    original = mail.original or {}
    candidates = [
        fb.get("original-rcpt-to", ""),
        fb.get("removal-recipient", ""),
        original.get("to", ""),
        original.get("delivered-to", ""),
        original.get("x-original-to", ""),
    ]
    if not any(candidates):
        body_to = re.search(r"^To:\s*(.+)$", mail.original_text or mail.body, re.I | re.M)
        candidates.append(body_to.group(1) if body_to else "")
    hits: list[Hit] = []
    for value in candidates:
        for part in (value or "").split(","):
            address = clean_address(part)
            if address and address.lower() not in {h.recipient.lower() for h in hits}:
                hits.append(Hit(recipient=address))
        if hits:
            break
    if not hits:
        if mail.feedback is None:
            return None
        # A complaint that names no recipient is still a complaint; the reference parser
        # reports it for this placeholder address, and so does this one.
        hits.append(Hit(recipient=UNDISCLOSED))
    ftype = (fb.get("feedback-type", "") or "abuse").split()[0].lower()
    diag = " ".join(mail.body.split())[:500]
    for hit in hits:
        hit.reason = "feedback"
        hit.feedback_type = ftype
        hit.diagnosis = diag
        hit.lhost = fb.get("reporting-mta", "").partition(";")[2].strip()
        hit.rhost = fb.get("source-ip", "")
    return Result(hits=hits, decoder=NAME, kind="feedback")
