"""PowerMTA: "Delivery report" with "Hello, this is the mail server on ...".

PowerMTA classifies every bounce itself and writes the class into the DSN part as
"X-PowerMTA-BounceCategory: bad-mailbox"; that category is a better reason than anything
guessed from the reply text, so it decides the reason when present.
"""

from __future__ import annotations

from bot.bounce.codes import clean_address
from bot.bounce.decoders.base import Result
from bot.bounce.decoders.formatkit import dsn_hits
from bot.bounce.mail import Mail

NAME = "PowerMTA"
_START = "Hello, this is the mail server on "
_CATEGORIES = {
    "bad-domain": "hostunknown",
    "bad-mailbox": "userunknown",
    "inactive-mailbox": "suspend",
    "message-expired": "expired",
    "no-answer-from-host": "networkerror",
    "policy-related": "policyviolation",
    "quota-issues": "mailboxfull",
    "routing-errors": "systemerror",
    "spam-related": "spamdetected",
}


def match(mail: Mail) -> bool:
    return "Delivery report" in mail.subject and _START in mail.body[:3000]


def decode(mail: Mail) -> Result | None:
    hits, _ = dsn_hits(mail, mail.body)
    if not hits:
        return None
    categories = {
        clean_address(b.get("final-recipient", "")).lower(): b.get("x-powermta-bouncecategory", "")
        for b in mail.dsn_blocks
        if "final-recipient" in b
    }
    for hit in hits:
        category = categories.get(hit.recipient.lower(), "").strip().lower()
        hit.reason = _CATEGORIES.get(category, hit.reason)
    return Result(hits=hits, decoder=NAME)
