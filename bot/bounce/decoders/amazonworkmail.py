"""Amazon WorkMail: bounces sent through SES by WorkMail ("X-Mailer: Amazon WorkMail").

The DSN sits after "Technical report:"; the real status is often quoted inside a generic
"5.1.0 - Unknown address error 550-'5.1.1 ...'" text, and a timeout's reply code only appears
in angle brackets ("<421 4.4.2 Connection timed out>").
"""

from __future__ import annotations

import re

from bot.bounce.codes import find_status
from bot.bounce.decoders.base import Result
from bot.bounce.decoders.formatkit import dsn_hits, header
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "AmazonWorkMail"
_QUOTED = lazy(r"[\"'](\d\.\d\.\d.+)['\"]")
_BRACKETED = lazy(r"<([245]\d\d) .+>")


def match(mail: Mail) -> bool:
    mailer = header(mail, "x-original-mailer") or header(mail, "x-mailer")
    return bool(header(mail, "x-ses-outgoing")) and mailer.strip() == "Amazon WorkMail"


def decode(mail: Mail) -> Result | None:
    at = mail.body.find("Technical report:")
    hits, per_message = dsn_hits(mail, mail.body[at:] if at >= 0 else "")
    for hit in hits:
        if re.fullmatch(r"[45]\.[01]\.0", hit.status or ""):
            quoted = _QUOTED.search(hit.diagnosis)
            hit.status = find_status(quoted.group(1) if quoted else hit.diagnosis) or hit.status
        bracketed = _BRACKETED.search(hit.diagnosis)
        if bracketed:
            hit.reply_code = bracketed.group(1)
        if not hit.lhost:
            hit.lhost = per_message.get("reporting-mta", "").partition(";")[2].strip()
    return Result(hits=hits, decoder=NAME) if hits else None
