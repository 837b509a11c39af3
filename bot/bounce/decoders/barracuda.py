"""Barracuda Spam Firewall: "**Message you sent blocked by our bulk email filter**".

The notice is a DSN whose fields may sit in the text part after "Your message to:"; the
subject is what tells a spam-filter rejection from an ordinary DSN, so it gates the match.
"""

from __future__ import annotations

from bot.bounce.decoders.base import Result
from bot.bounce.decoders.formatkit import dsn_hits
from bot.bounce.mail import Mail

NAME = "Barracuda"


def match(mail: Mail) -> bool:
    return "our bulk email filter" in mail.subject


def decode(mail: Mail) -> Result | None:
    at = mail.body.find("Your message to:")
    hits, per_message = dsn_hits(mail, mail.body[at:] if at >= 0 else mail.body)
    for hit in hits:
        if not hit.lhost:
            hit.lhost = per_message.get("reporting-mta", "").partition(";")[2].strip()
    return Result(hits=hits, decoder=NAME) if hits else None
