"""Verizon Wireless gateways: vtext.com (SMS) and vzwpix.com (MMS) rejections.

Neither is a DSN. The SMS gateway lists the envelope ("  RCPT TO: addr") under "Error:" and
the reply as "550 - Requested action not taken: ..."; the MMS gateway quotes the original
headers ("To: addr") and says "Error: No valid recipients for this MM". Both wordings mean the
number is not a Verizon subscriber, which is a missing mailbox.
"""

from __future__ import annotations

from bot.bounce.codes import clean_address, is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import received, squash
from bot.bounce.mail import Mail

NAME = "Verizon"
_UNKNOWN = (
    "550 - Requested action not taken: no such user here",
    "No valid recipients for this MM",
)


def _kind(mail: Mail) -> str:
    if not any(".vtext.com (" in r for r in received(mail)):
        return ""
    sender = str(mail.header.get("from", "") or "").strip().lower()
    if sender == "post_master@vtext.com":
        return "sms"
    if sender.startswith("sysadmin@") and sender.endswith(".vzwpix.com"):
        return "mms"
    return ""


def match(mail: Mail) -> bool:
    return bool(_kind(mail))


def decode(mail: Mail) -> Result | None:
    kind = _kind(mail)
    hits: list[Hit] = []
    diagnosis = ""
    started = False
    start = "Error: " if kind == "sms" else "Message could not be delivered to mobile"
    for line in mail.body.split("\n"):
        if not started:
            started = line.startswith(start)
            if started and kind == "mms":
                continue
            if not started:
                continue
        if kind == "sms" and line.startswith("  RCPT TO: "):
            address = clean_address(line[11:])
            if is_address(address):
                hits.append(Hit(recipient=address))
        elif kind == "sms" and " - " in line and line.find(" - ") > 2:
            diagnosis = diagnosis or squash(line)
        elif kind == "mms" and line.startswith("To: "):
            address = clean_address(line[4:])
            if is_address(address):
                hits.append(Hit(recipient=address))
        elif kind == "mms" and line.startswith("Error: "):
            diagnosis = diagnosis or squash(line[7:])
    for hit in hits:
        hit.diagnosis = diagnosis
        if any(p in diagnosis for p in _UNKNOWN):
            hit.reason = "userunknown"
    return Result(hits=hits, decoder=NAME) if hits else None
