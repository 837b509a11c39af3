"""Ipswitch IMail / SMTP32 ("Undeliverable Mail" from Postmaster): one line per failure."""

from __future__ import annotations

import re

from bot.bounce.codes import ADDRESS
from bot.bounce.decoders.base import Hit, Result, split_original
from bot.bounce.mail import Mail

NAME = "IMailServer"
_LINE = re.compile(
    r"^(Unknown host|Unknown user|Invalid final delivery userid|User mailbox exceeds allowed "
    r"size|Requested action not taken: virus detected|undeliverable to|Delivery failed \d+ "
    r"attempts|[^:\n]{3,80}):\s*(\S+@\S+)\s*$",
    re.I | re.M,
)
_TABLE = (
    ("hostunknown", re.compile(r"^Unknown host", re.I)),
    ("userunknown", re.compile(r"^(?:Unknown user|Invalid final delivery userid)", re.I)),
    ("mailboxfull", re.compile(r"^User mailbox exceeds allowed size", re.I)),
    ("virusdetected", re.compile(r"^Requested action not taken: virus detected", re.I)),
    ("undefined", re.compile(r"^undeliverable to", re.I)),
    ("expired", re.compile(r"^Delivery failed \d+ attempts", re.I)),
)


def match(mail: Mail) -> bool:
    return (
        mail.subject.lower().startswith("undeliverable mail")
        or "x-mailer: <smtp32" in str(mail.header.get("x-mailer", "")).lower()
    )


def decode(mail: Mail) -> Result | None:
    notice, _ = split_original(mail.body)
    hits: list[Hit] = []
    for m in _LINE.finditer(notice):
        address = m.group(2).strip("<>.")
        if not ADDRESS.fullmatch(address):
            continue
        label = m.group(1).strip()
        hit = Hit(recipient=address, diagnosis=m.group(0).strip())
        following = notice[m.end() :].split("\n\n", 1)[0].strip()
        if following and not following.lower().startswith("original message"):
            hit.diagnosis += " " + " ".join(following.split())
        for reason, pattern in _TABLE:
            if pattern.search(label):
                hit.reason = reason
                break
        hits.append(hit)
    return Result(hits=hits, decoder=NAME) if hits else None
