"""Last resort: a bounce no format-specific decoder claimed.

A message (with headers) is read the way the reference parser's generic fallback reads it:
only when its sender, subject or Return-Path say it is a delivery notice, the notice is read
line by line up to the returned message, a line that carries an address in a recipient
position opens a record, and the lines up to the next such line (and those before the first)
are that record's diagnostic. A pasted fragment (no headers) is read by paragraphs instead:
every address it names, with the paragraph around it.
"""

from __future__ import annotations

import re

from bot.bounce.codes import ADDRESS, is_address
from bot.bounce.decoders.base import (
    Hit,
    Result,
    find_command,
    sisimai_command,
    split_original,
)
from bot.bounce.decoders.rfc3464 import apply_mda, text_reports
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "Fallback"

_SKIP_LOCAL = lazy(r"^(?:mailer-daemon|postmaster|root|abuse|noreply|no-reply)$", re.I)
_BLANKS = lazy(r"\n[ \t]*\n")


def match(mail: Mail) -> bool:
    if mail.fragment:
        from bot.bounce.detect import looks_like_bounce

        return looks_like_bounce(mail.body)
    return _is_bounce_header(mail)


_FROM_MARKS = ("postmaster@", "mailer-daemon@", "root@")
_RETURN_MARKS = ("<>", "mailer-daemon")
_SUBJECT_MARKS = (
    "delivery fail",
    "delivery report",
    "failure notice",
    "mail delivery",
    "mail failed",
    "mail error",
    "non-delivery",
    "returned mail",
    "undeliverable mail",
    "warning: ",
)
# Where the notice ends: at the start of a line ...
_STOP_AT_START = (
    "a copy of the original message below this line:",
    "content-type: message/delivery-status",
    "content-type: message/rfc822",
    "content-type: text/rfc822-headers",
    "return-path: <",
    "for further assistance, please contact ",
    "here is a copy of the first part of the message",
    "received:",
    "received-from-mta:",
    "reporting-mta:",
    "reporting-ua:",
    "return-path:",
    "the non-delivered message is attached to this message",
)
# ... or anywhere in a line.
_STOP_IN_LINE = (
    "attachment is a copy of the message",
    "below is a copy of the original message:",
    "below this line is a copy of the message",
    "message contains ",
    "message text follows: ",
    "original message follows",
    "the attachment contains the original mail headers",
    "the first ",
    "unsent message below",
    "your message reads (in part):",
)
# The notice starts after these (text before them is a greeting or a banner).
_READ_AFTER = (
    "\tthe postfix ",
    "a summary of the undelivered message you sent follows:",
    "the following is the error message",
    "the message that you sent was undeliverable to the following",
    "your message was not delivered to ",
)
_SKIP_AT_START = ("   -----", " -----", "--", "|--", "*")
_SKIP_IN_LINE = ("mail from:", "message-id:", "  from: ")
_ADDRESS_AT_START = (" ", '"', "<")
# An address on the same line as (or the line after) one of these is a failed recipient.
_ADDRESS_NEAR = (
    "address:",
    "addressed to",
    "could not be delivered to:",
    "delivered to",
    "delivery failed:",
    "did not reach the following recipient:",
    "error-for:",
    "failed recipient:",
    "failed to deliver to",
    "intended recipient:",
    "mailbox is full:",
    "recipient:",
    "rcpt to:",
    "smtp server <",
    "the following recipients returned permanent errors:",
    "the following addresses had permanent errors",
    "the following message to",
    "to: ",
    "unknown user:",
    "unable to deliver mail to the following recipient",
    "undeliverable to",
    "undeliverable address:",
    "you sent mail to",
    "your message has encountered delivery problems to the following recipients:",
    "was automatically rejected",
    "was rejected due to",
)
_TOKEN_TRIM = "<>()[]\"',;:"


def _is_bounce_header(mail: Mail) -> bool:
    sender = mail.sender.lower()
    subject = mail.subject.lower()
    return_path = str(mail.header.get("return-path", "") or "").lower()
    return (
        any(m in sender for m in _FROM_MARKS)
        or any(m in subject for m in _SUBJECT_MARKS)
        or any(m in return_path for m in _RETURN_MARKS)
    )


def _token_address(line: str) -> str:
    """The first whitespace-separated token of `line` that is an address (or the last tried)."""
    found = ""
    for token in line.split():
        if token.find("@") <= 1:
            continue
        found = token.strip(_TOKEN_TRIM)
        if "<" in found:
            found = found[found.rindex("<") + 1 :]
        if ">" in found:
            found = found[: found.index(">")]
        found = found.strip(_TOKEN_TRIM + ".")
        if is_address(found):
            return found
    return found


def scan_notice(text: str) -> list[Hit]:
    """Read a human-readable notice line by line: every address line opens a record, and the
    lines until the next address line (and those before the first) are its diagnostic."""
    low = text.lower()
    for marker in _READ_AFTER:
        at = low.find(marker)
        if at != -1:
            text, low = text[at:], low[at:]
    hits: list[Hit] = []
    lines: list[list[str]] = [[]]
    previous = ""
    for line in text.split("\n"):
        if not line:
            continue
        line = line.replace("\t", " ")
        lowered = line.lower()
        before, previous = previous, lowered
        if lowered.startswith(_STOP_AT_START) or any(m in lowered for m in _STOP_IN_LINE):
            break
        if lowered.startswith(_SKIP_AT_START) or any(m in lowered for m in _SKIP_IN_LINE):
            continue
        at = lowered.find("@")
        matched = at > 1 and (
            lowered.startswith(_ADDRESS_AT_START)
            or any(m in lowered for m in _ADDRESS_NEAR)
            or (
                any(m in before for m in _ADDRESS_NEAR)
                and lowered.find(".") > 1
                and "$" not in lowered
            )
        )
        if matched:
            address = _token_address(line)
            if hits and hits[-1].recipient != address:
                hits.append(Hit())
                lines.append([])
            elif not hits:
                hits.append(Hit())
            hits[-1].recipient = address
        elif ("(expanded from" in line or "(generated from" in line) and hits:
            hits[-1].alias = line[line.rindex(" ") + 1 :].strip(_TOKEN_TRIM)
        lines[-1].append(line)
    for hit, text_lines in zip(hits, lines, strict=False):
        hit.diagnosis = " ".join(" ".join(text_lines).split())
        hit.command = sisimai_command(hit.diagnosis)
    return [h for h in hits if h.recipient]


def decode(mail: Mail) -> Result | None:
    if mail.fragment:
        return _decode_fragment(mail)
    if not _is_bounce_header(mail):
        return None
    text = mail.body
    if mail.dsn_blocks:
        text += "\nContent-Type: message/delivery-status\n"
    hits = scan_notice(text)
    apply_mda(mail, hits)
    return Result(hits=hits, decoder=NAME) if hits else None


def _decode_fragment(mail: Mail) -> Result | None:
    notice, _ = split_original(mail.body)
    hits: list[Hit] = []
    reports = text_reports(notice)
    if reports:
        for address, (text, command) in reports.items():
            hits.append(Hit(recipient=address, diagnosis=text, command=command))
        return Result(hits=hits, decoder=NAME)
    sender = ADDRESS.search(mail.sender)
    sender_addr = sender.group(0).lower() if sender else ""
    seen: set[str] = set()
    for paragraph in _BLANKS.split(notice[:20000]):
        for m in ADDRESS.finditer(paragraph):
            address = m.group(0).strip(".")
            low = address.lower()
            if low in seen or low == sender_addr:
                continue
            if _SKIP_LOCAL.match(low.partition("@")[0]):
                continue
            seen.add(low)
            text = " ".join(paragraph.split())
            hits.append(Hit(recipient=address, diagnosis=text, command=find_command(text)))
        if len(hits) > 50:
            break
    if not hits and mail.fragment:
        # A pasted diagnostic with a code but no address still deserves a record.
        text = " ".join(notice.split())[:2000]
        hits.append(Hit(recipient="", diagnosis=text, command=find_command(text)))
    if not hits:
        return None
    return Result(hits=hits, decoder=NAME)
