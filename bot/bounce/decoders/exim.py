"""Exim: "Mail delivery failed: returning message to sender" and delay warnings.

Exim lists each failed address on a line indented by two spaces, followed by the reason
indented further; the text explains more than its optional DSN part does.
"""

from __future__ import annotations

import re

from bot.bounce.codes import ADDRESS
from bot.bounce.decoders.base import Hit, Result, find_command, hits_from_dsn
from bot.bounce.decoders.textscan import join, table_reason
from bot.bounce.mail import Mail

NAME = "Exim"

_SUBJECT = re.compile(
    r"^(?:mail delivery failed|warning: message .* delayed|mail failure|"
    r"delivery status notification|\[postmaster\] email delivery failure)",
    re.I,
)
_MARK = "this message was created automatically by mail delivery software"
_START = re.compile(
    r"(?:following address(?:\(es\)|es)? failed:|could not be delivered to one or more of\s+"
    r"its recipients\.?(?: The following address(?:\(es\)|es)? failed:)?|"
    r"address(?:es)? to which the message has not yet been delivered (?:is|are):|"
    r"has not yet been delivered to all its recipients|"
    r"message has not yet been delivered to the following addresses:|"
    r"temporarily failed|permanent error)",
    re.I,
)
_END = re.compile(
    r"^\s*(?:-{3,}.*(?:copy of the message|header of the original|original message)|"
    r"No action is required on your part|Reporting-MTA:|Action:|"
    r"For further assistance|If you require assistance|"
    r"The following text was generated during the delivery attempt|"
    r"Content-Type:)",
    re.I | re.M,
)
_ADDR_LINE = re.compile(r"^ {0,2}(?:<([^<>\s]+@[^<>\s]+)>|(\S+@\S+?))(?::|\s|$)(.*)$")
_TABLE = {
    "expired": re.compile(
        r"retry timeout exceeded|retry time not reached for any host|"
        r"all hosts have been failing for a long time|has been frozen|was frozen on arrival|"
        r"delay reason:|no action is required on your part",
        re.I,
    ),
    "hostunknown": re.compile(
        r"all relevant mx records point to non-existent hosts|unrouteable address|"
        r"all host address lookups failed permanently|unrouteable mail domain",
        re.I,
    ),
    "mailboxfull": re.compile(r"mailbox is full|error: quota exceed", re.I),
    "notaccept": re.compile(r"an mx or srv record indicated no smtp service", re.I),
    "systemerror": re.compile(
        r"delivery to (?:file|pipe) forbidden|local delivery failed|lmtp error after|"
        r"too many \"received\" headers",
        re.I,
    ),
}


def match(mail: Mail) -> bool:
    head = mail.body[:2000].lower()
    if _MARK in head:
        return True
    return bool(_SUBJECT.search(mail.subject)) and "mailer-daemon" in mail.sender.lower()


def decode(mail: Mail) -> Result | None:
    body = mail.body
    start = _START.search(body)
    if not start:
        return None
    tail = body[start.end() :]
    end = _END.search(tail)
    section = tail[: end.start()] if end else tail[:10000]
    delayed = "not yet been delivered" in body[: start.end()].lower() or bool(
        re.search(r"delayed|has not yet been delivered", mail.subject, re.I)
    )
    hits: list[Hit] = []
    lines_for: list[list[str]] = []
    for line in section.split("\n"):
        m = _ADDR_LINE.match(line)
        if m and ADDRESS.search(line.split()[0] if line.split() else ""):
            hits.append(Hit(recipient=m.group(1) or m.group(2)))
            lines_for.append([m.group(3)])
        elif hits and line.strip():
            lines_for[-1].append(line.strip())
    if not hits:
        return None
    dsn_hits, per_message = hits_from_dsn(mail.dsn_blocks)
    by_addr = {h.recipient.lower(): h for h in dsn_hits}
    for hit, lines in zip(hits, lines_for, strict=True):
        hit.diagnosis = join(lines)
        if not hit.diagnosis:
            hit.diagnosis = join(body[start.end() :].split("\n")[:0])
        hit.command = find_command(hit.diagnosis)
        if "smtp error from remote mail server after initial connection" in hit.diagnosis.lower():
            hit.command = "CONN"
        dsn = by_addr.get(hit.recipient.lower())
        if dsn is not None:
            hit.status = dsn.status
            hit.rhost = dsn.rhost
            hit.lhost = dsn.lhost
            if not hit.diagnosis:
                hit.diagnosis = dsn.diagnosis
        if delayed:
            hit.action = "delayed"
            hit.reason = "expired"
        elif not hit.reason:
            hit.reason = table_reason(hit.diagnosis, _TABLE)
        if not hit.diagnosis and delayed:
            hit.diagnosis = "Delivery attempts will continue for some time"
        hit.lhost = hit.lhost or per_message.get("reporting-mta", "").partition(";")[2].strip()
    return Result(hits=hits, decoder=NAME)
