"""amavisd-new content filter: 'From: "Content-filter at host"', e.g. "Undeliverable mail,
MTA-BLOCKED".

A plain DSN, but one sent by a content filter rather than an MTA, so the rejection it reports
is about the message's content; it is recognised by the filter's From line.
"""

from __future__ import annotations

from bot.bounce.decoders.base import Result
from bot.bounce.decoders.formatkit import dsn_hits
from bot.bounce.mail import Mail

NAME = "Amavis"


def match(mail: Mail) -> bool:
    return str(mail.header.get("from", "") or "").strip().startswith('"Content-filter at ')


def decode(mail: Mail) -> Result | None:
    at = mail.body.find("The message ")
    hits, per_message = dsn_hits(mail, mail.body[at:] if at >= 0 else mail.body)
    for hit in hits:
        if hit.spec == "X-POSTFIX":
            hit.spec = "SMTP"
        if not hit.lhost:
            hit.lhost = per_message.get("reporting-mta", "").partition(";")[2].strip()
    return Result(hits=hits, decoder=NAME) if hits else None
