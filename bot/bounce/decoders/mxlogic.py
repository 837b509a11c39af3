"""McAfee SaaS Email Protection (formerly MX Logic): Exim-derived notices.

Recognised only by MX Logic's own headers (X-MX-Bounce, X-MXL-Hash, X-MXL-NoteHash): the
wording is Exim's, so anything looser would take genuine Exim bounces. Unlike Exim, each
address line carries the reply inline ("  <addr>: 550 ...").
"""

from __future__ import annotations

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import between, header, reason_from, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "MXLogic"
_START = "This message was created automatically by mail delivery software."
_END = "Included is a copy of the message header:"
_LINE = lazy(r"^  <([^<>\s]+@[^<>\s]+)>:\s*(.*)$")
_AFTER = lazy(r"SMTP error from remote (?:mail server|mailer) after (?:end of )?([A-Za-z]{4})")
_HOST = lazy(r"\bhost ([A-Za-z0-9.-]+)")
_MESSAGES = (
    ("userunknown", ("user not found",)),
    (
        "hostunknown",
        (
            "all host address lookups failed permanently",
            "all relevant MX records point to non-existent hosts",
            "Unrouteable address",
        ),
    ),
    ("mailboxfull", ("mailbox is full", "error: quota exceed")),
    (
        "notaccept",
        (
            "an MX or SRV record indicated no SMTP service",
            "no host found for existing SMTP connection",
        ),
    ),
    ("systemerror", ("delivery to file forbidden", "delivery to pipe forbidden")),
    ("contenterror", ('Too many "Received" headers',)),
    ("expired", ("retry timeout exceeded", "No action is required on your part")),
)


def match(mail: Mail) -> bool:
    return any(header(mail, h) for h in ("x-mx-bounce", "x-mxl-hash", "x-mxl-notehash"))


def decode(mail: Mail) -> Result | None:
    notice = between(mail.body, _START, _END)
    if notice is None:
        return None
    hits: list[Hit] = []
    texts: list[list[str]] = []
    for line in notice.split("\n"):
        found = _LINE.match(line)
        if found and is_address(found.group(1)):
            hits.append(Hit(recipient=found.group(1)))
            texts.append([found.group(2)])
        elif hits and line.strip():
            texts[-1].append(line)
    for hit, text in zip(hits, texts, strict=True):
        hit.diagnosis = squash(" ".join(text).split("--", 1)[0])
        after = _AFTER.search(hit.diagnosis)
        host = _HOST.search(hit.diagnosis)
        hit.command = after.group(1).upper() if after else ""
        hit.rhost = host.group(1) if host else ""
        if hit.command == "MAIL":
            hit.reason = "rejected"
        elif hit.command in ("HELO", "EHLO"):
            hit.reason = "blocked"
        else:
            hit.reason = reason_from(hit.diagnosis, _MESSAGES)
    return Result(hits=hits, decoder=NAME) if hits else None
