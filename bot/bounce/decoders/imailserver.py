"""Ipswitch IMail / SMTP32 ("Undeliverable Mail" from Postmaster): one line per failure.

Each failure is a line `<label>: <address>` (or `undeliverable to <address>`); the label is
the diagnostic. The server's own reply, when there is one, follows "Body of message generated
response:" and is put in front of it.
"""

from __future__ import annotations

import re

from bot.bounce.decoders.base import Hit, Result
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "IMailServer"
_SUBJECT = lazy(r"^Undeliverable Mail *$")
_CUT = lazy(r"^Original message follows\.", re.M)
_LABELLED = lazy(r"^([^ ]+) (.+):[ \t]*([^ ]+@[^ ]+)")
_UNDELIVERABLE = lazy(r"^undeliverable +to +(.+)$")
_RESPONSE = "Body of message generated response:"
_COMMANDS = (
    ("CONN", lazy(r"SMTP connection failed,|Unexpected connection response from server:")),
    ("EHLO", lazy(r"Unexpected response to EHLO/HELO:")),
    ("MAIL", lazy(r"Server response to MAIL FROM:")),
    ("RCPT", lazy(r"Additional RCPT TO generated following response:")),
    ("DATA", lazy(r"DATA command generated response:")),
)
_TABLE = (
    ("hostunknown", lazy(r"Unknown host")),
    ("userunknown", lazy(r"^(?:Unknown user|Invalid final delivery userid)")),
    ("mailboxfull", lazy(r"^User mailbox exceeds allowed size")),
    ("virusdetected", lazy(r"^Requested action not taken: virus detected")),
    ("undefined", lazy(r"^undeliverable to")),
    ("expired", lazy(r"^Delivery failed \d+ attempts")),
)


def match(mail: Mail) -> bool:
    return bool(_SUBJECT.match(mail.subject)) or str(mail.header.get("x-mailer", "")).startswith(
        "<SMTP32 v"
    )


def _address(text: str) -> str:
    text = text.strip().strip("<>\"'")
    return text.split()[0].strip("<>.,;") if text.split() else ""


def decode(mail: Mail) -> Result | None:
    cut = _CUT.search(mail.body)
    notice = mail.body[: cut.start()] if cut else mail.body
    records: list[dict[str, str]] = [{"recipient": "", "diagnosis": "", "alterrors": ""}]
    for line in notice.split("\n"):
        v = records[-1]
        labelled = _LABELLED.match(line)
        undeliverable = None if labelled else _UNDELIVERABLE.match(line)
        if labelled or undeliverable:
            if v["recipient"]:
                records.append({"recipient": "", "diagnosis": "", "alterrors": ""})
                v = records[-1]
            if labelled:
                v["diagnosis"] = line.strip()
                v["recipient"] = _address(labelled.group(3))
            elif undeliverable:
                v["recipient"] = _address(undeliverable.group(1))
        elif _RESPONSE in line:
            v["alterrors"] = line
        elif v["alterrors"]:
            v["alterrors"] += " " + line
    hits: list[Hit] = []
    for v in records:
        if not v["recipient"]:
            continue
        diagnosis = v["diagnosis"]
        if v["alterrors"]:
            diagnosis = f"{v['alterrors']} {diagnosis}"
        diagnosis = " ".join(diagnosis.split())
        hit = Hit(recipient=v["recipient"], diagnosis=diagnosis)
        for command, pattern in _COMMANDS:
            if pattern.search(diagnosis):
                hit.command = command
                break
        for reason, pattern in _TABLE:
            if pattern.search(diagnosis):
                hit.reason = reason
                break
        hits.append(hit)
    return Result(hits=hits, decoder=NAME) if hits else None
