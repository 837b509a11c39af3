"""RFC 3464 delivery status notifications from any MTA (tried after the MTA-specific ones).

The machine-readable part is authoritative for recipients and status; the human-readable
part often holds the fuller server reply ("... said: 550 ...") and the failing SMTP command,
so both are read.
"""

from __future__ import annotations

import re

from bot.bounce.codes import clean_address, find_reply, find_status
from bot.bounce.decoders.base import Hit, Result, find_command, hits_from_dsn, split_original
from bot.bounce.mail import Mail, parse_field_block

NAME = "RFC3464"
_INLINE = re.compile(r"^\s*(?:Final|Original)-Recipient:", re.I | re.M)
_ANGLE = re.compile(r"^ ?<([^<>\s]+@[^<>\s]+)>(?:\s*\(expanded from <[^>]*>\))?:?\s*(.*)$")


def match(mail: Mail) -> bool:
    return bool(mail.dsn_blocks) or bool(_INLINE.search(mail.body))


def text_reports(body: str) -> dict[str, tuple[str, str]]:
    """address -> (paragraph text, command) from "<addr>: ..." paragraphs of the text part."""
    found: dict[str, tuple[str, str]] = {}
    lines = body.split("\n")
    i = 0
    while i < len(lines):
        m = _ANGLE.match(lines[i])
        if not m:
            i += 1
            continue
        address = m.group(1).lower()
        parts = [m.group(2)]
        i += 1
        while i < len(lines) and lines[i].strip() and not _ANGLE.match(lines[i]):
            parts.append(lines[i].strip())
            i += 1
        text = " ".join(p for p in parts if p)
        if address not in found:
            found[address] = (text, find_command(text))
    return found


def enrich(hits: list[Hit], body: str, postfix: bool = False) -> None:
    """Fill diagnosis, status and command from the human-readable part."""
    reports = text_reports(split_original(body)[0])
    for hit in hits:
        text, command = reports.get(hit.recipient.lower(), ("", ""))
        if not text and len(reports) == 1 and len(hits) == 1:
            text, command = next(iter(reports.values()))
        if not hit.command:
            hit.command = command or find_command(hit.diagnosis)
        if not text:
            continue
        if not hit.diagnosis or hit.diagnosis.isdigit():
            hit.diagnosis = text
            continue
        status = ""
        if not hit.status or hit.status.endswith(".0.0"):
            status = find_status(text)
            if status and not status.endswith(".0.0"):
                hit.status = status
        reply = ""
        if not hit.reply_code or hit.reply_code.endswith("00"):
            reply = find_reply(text)
            if reply and not reply.endswith("00"):
                hit.reply_code = reply
        if postfix and (status or (reply and len(text) > len(hit.diagnosis))):
            hit.diagnosis = text


def decode(mail: Mail) -> Result | None:
    blocks = mail.dsn_blocks
    if not blocks:
        inline = _INLINE.search(mail.body)
        if inline is None:
            return None
        blocks = parse_field_block(mail.body[max(0, inline.start() - 2000) :])
    hits, per_message = hits_from_dsn(blocks)
    if not hits:
        return None
    enrich(hits, mail.body)
    for hit in hits:
        if not hit.lhost:
            hit.lhost = (per_message.get("reporting-mta", "").partition(";")[2]).strip()
        if hit.alias and not clean_address(hit.recipient):
            hit.recipient = hit.alias
    return Result(hits=hits, decoder=NAME)
