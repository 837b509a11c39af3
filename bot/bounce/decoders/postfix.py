"""Postfix: "Undelivered Mail Returned to Sender", with or without a DSN part.

Postfix's text part carries the remote server's reply as "<addr>: host X said: ... (in reply
to RCPT TO command)", which is more telling than the DSN's Diagnostic-Code; without a DSN part
(old Postfix, `notify_classes`) that paragraph is all there is.
"""

from __future__ import annotations

from bot.bounce.decoders.base import Hit, Result, hits_from_dsn
from bot.bounce.decoders.rfc3464 import enrich, text_reports
from bot.bounce.mail import Mail

NAME = "Postfix"


def match(mail: Mail) -> bool:
    subject = mail.subject.lower()
    if (
        subject.startswith("undelivered mail returned to sender")
        or subject.startswith("delayed mail (still being retried)")
        or subject.startswith("successful mail delivery report")
    ):
        return True
    head = mail.body[:3000].lower()
    return "this is the postfix program" in head or "the postfix program" in head


def decode(mail: Mail) -> Result | None:
    hits, per_message = hits_from_dsn(mail.dsn_blocks)
    if hits:
        for hit in hits:
            if hit.spec == "X-POSTFIX":
                hit.spec = "SMTP"
        enrich(hits, mail.body, postfix=True)
    else:
        for address, (text, command) in text_reports(mail.body).items():
            hits.append(Hit(recipient=address, diagnosis=text, command=command))
    if not hits:
        return None
    for hit in hits:
        if not hit.command and "refused to talk to me:" in hit.diagnosis:
            hit.command = "HELO"
        if not hit.spec and " said:" in hit.diagnosis:
            hit.spec = "SMTP"
        if not hit.lhost:
            hit.lhost = per_message.get("reporting-mta", "").partition(";")[2].strip()
    return Result(hits=hits, decoder=NAME)
