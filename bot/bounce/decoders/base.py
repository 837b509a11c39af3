"""What every decoder returns, and the small text helpers they share.

A decoder reads a `Mail` and returns raw `Hit`s: what the message literally says about each
recipient. Turning hits into final records (status from the text, reason, pseudo status,
hard/soft) is the engine's job, so that every format gets the same treatment.
"""

from __future__ import annotations

import re

from bot.bounce.codes import clean_address, loose_address, normalise_status
from bot.bounce.lazyre import lazy
from bot.bounce.mail import FieldBlock
from bot.bounce.record import Factory, Record


class Hit(Record):
    recipient: str = ""
    status: str = ""
    reply_code: str = ""
    diagnosis: str = ""
    action: str = ""
    rhost: str = ""
    lhost: str = ""
    command: str = ""
    reason: str = ""
    spec: str = ""
    feedback_type: str = ""
    alias: str = ""
    extra: dict[str, str] = Factory(dict)


class Result(Record):
    hits: list[Hit]
    decoder: str
    kind: str = "bounce"
    # Original headers recovered from the text when no MIME part carried them.
    original: FieldBlock | None = None


COMMAND = lazy(
    r"\b(?:in\s+reply\s+to|after|while\s+sending|during|at)\s+(?:end\s+of\s+)?"
    r"(?:the\s+)?\b(EHLO|HELO|MAIL(?:\s+FROM)?|RCPT(?:\s+TO)?|DATA|QUIT|BDAT)\b",
    re.I,
)
_CMD_NAMES = {"MAIL FROM": "MAIL", "RCPT TO": "RCPT"}


def find_command(text: str) -> str:
    """The SMTP command a transcript says failed (RCPT, DATA ...), or ''."""
    match = COMMAND.search(text or "")
    if not match:
        return ""
    word = " ".join(match.group(1).upper().split())
    return _CMD_NAMES.get(word, word)


_COMMAND_TABLE = (
    "HELO",
    "EHLO",
    "MAIL",
    "RCPT",
    "DATA",
    "QUIT",
    "RSET",
    "NOOP",
    "VRFY",
    "ETRN",
    "EXPN",
    "HELP",
    "AUTH",
    "STARTTLS",
    "XFORWARD",
    "CONN",
)
_DETECTABLE = (
    "HELO",
    "EHLO",
    "STARTTLS",
    "AUTH PLAIN",
    "AUTH LOGIN",
    "AUTH CRAM-",
    "AUTH DIGEST-",
    "MAIL F",
    "RCPT",
    "RCPT T",
    "DATA",
    "QUIT",
    "XFORWARD",
)


def sisimai_command(text: str) -> str:
    """The last SMTP command named (in capitals) in a transcript, the reference parser's way."""
    if len(text) <= 3 or not any(c in text for c in _COMMAND_TABLE):
        return ""
    found: list[str] = []
    position = 0
    for name in _DETECTABLE:
        at = text.find(name, position)
        if at < 0:
            continue
        if at + 4 > len(text):
            break
        position = at
        word = text[at : at + 4]
        if word in found:
            continue
        found.append({"STAR": "STARTTLS", "XFOR": "XFORWARD"}.get(word, word))
    return found[-1] if found else ""


ORIGINAL_MARKERS = lazy(
    r"^(?:[ \t]*-{2,}.*(?:original message|undelivered message|rfc822|"
    r"this is a copy of the message|copy of the message|message header|"
    r"returned message|headers of your message|unsent message|message text follows|"
    r"original message follows|below this line is a copy).*"
    r"|[ \t]*-+\s*Below this line is a copy of the message\.?"
    r"|Original message follows\.?|[ \t]*Original-Message-Header.*"
    r"|\s*Below is a copy of the original message.*"
    r"|\s*-+ ?Original message ?-+.*|Content-Type: message/rfc822.*"
    r"|\s*The original message was received at .*\n(?=.*from)"
    r")$",
    re.I | re.M,
)


def split_original(body: str) -> tuple[str, str]:
    """Split a text body at the usual 'original message follows' separators."""
    match = ORIGINAL_MARKERS.search(body)
    if not match:
        return body, ""
    return body[: match.start()], body[match.end() :]


def hits_from_dsn(blocks: list[FieldBlock]) -> tuple[list[Hit], FieldBlock]:
    """Per-recipient hits from RFC 3464 field blocks (the per-message block is returned too)."""
    per_message: FieldBlock = {}
    hits: list[Hit] = []
    for block in blocks:
        # A per-recipient block needs Final-Recipient (RFC 3464 makes it mandatory); when its
        # value is not an address, Original-Recipient stands in.
        final = block.get("final-recipient")
        recipient = ""
        if final is not None:
            recipient = (
                clean_address(final)
                or loose_address(final)
                or clean_address(block.get("original-recipient", ""))
            )
        if not recipient:
            if (not hits and ("reporting-mta" in block or "received-from-mta" in block)) or (
                not hits and not per_message
            ):
                per_message.update(block)
            continue
        hit = Hit(recipient=recipient)
        hit.action = (block.get("action", "").split() or [""])[0].lower().rstrip(";,.")
        hit.status = normalise_status(block.get("status", ""))
        diag = block.get("diagnostic-code", "") or block.get("x-diagnostic-code", "")
        if ";" in diag:
            spec, _, rest = diag.partition(";")
            if len(spec) < 64 and " " not in spec.strip():
                hit.spec = spec.strip().upper()
                diag = rest
        hit.diagnosis = " ".join(diag.split())
        remote = block.get("remote-mta", "")
        hit.rhost = remote.partition(";")[2].strip() if ";" in remote else remote.strip()
        hit.lhost = _mta(per_message.get("reporting-mta", "") or block.get("reporting-mta", ""))
        original = clean_address(block.get("original-recipient", ""))
        if original and original.lower() != recipient.lower():
            hit.alias = original
        hits.append(hit)
    return hits, per_message


def _mta(value: str) -> str:
    return (value.partition(";")[2] if ";" in value else value).strip()


def first_lines(text: str, limit: int = 400) -> list[str]:
    return text.split("\n", limit)[:limit]
