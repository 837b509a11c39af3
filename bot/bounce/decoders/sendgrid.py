"""SendGrid: "Undelivered Mail Returned to Sender" from apps@sendgrid.net.

The subject is Postfix's, so this must be tried before the Postfix reader; what identifies
SendGrid is its Return-Path and its greeting. The DSN fields are standard, except that the
status is often a bare "5.0.0" whose real value is in the reply text, that the failing command
is only in the text ("... in RCPT TO"), and that "Action: expired" is how a timeout is said.
"""

from __future__ import annotations

import re

from bot.bounce.codes import find_status
from bot.bounce.decoders.base import Result
from bot.bounce.decoders.formatkit import dsn_hits, header
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "SendGrid"
_GREETING = "This is an automatically generated message from SendGrid."
_COMMAND = lazy(r" in (?:End of )?(RCPT|MAIL|DATA|EHLO|HELO)\b", re.I)


def match(mail: Mail) -> bool:
    return "apps@sendgrid.net" in header(mail, "return-path").lower() and (
        _GREETING in mail.body[:3000] or mail.subject == "Undelivered Mail Returned to Sender"
    )


def decode(mail: Mail) -> Result | None:
    hits, per_message = dsn_hits(mail, mail.body)
    if not hits:
        return None
    command = _COMMAND.search(mail.body)
    for hit in hits:
        if (not hit.status or hit.status.endswith(".0.0")) and hit.diagnosis:
            hit.status = find_status(hit.diagnosis) or hit.status
        if hit.action == "expired":
            hit.reason = "expired"
        if command and not hit.command:
            hit.command = command.group(1).upper()
        if not hit.lhost:
            hit.lhost = per_message.get("reporting-mta", "").partition(";")[2].strip()
    return Result(hits=hits, decoder=NAME)
