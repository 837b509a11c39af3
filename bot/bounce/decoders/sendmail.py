"""Sendmail (V8 and the older V5): "Returned mail: see transcript for details".

V8 Sendmail usually attaches a DSN part, but the SMTP transcript in its text part
(">>> RCPT TO", "<<< 550 ...") is what tells which command failed and what the remote server
actually answered, so the transcript is laid over the DSN fields. Without a DSN part (V5, or
V8 with DSNs turned off) the transcript and the "following addresses had permanent fatal
errors" list are all there is, and this module reads them itself instead of leaving the
message to the fallback scanner, which cannot tell the remote reply from sendmail's own echo.
"""

from __future__ import annotations

import re

from bot.bounce.codes import clean_address, is_address
from bot.bounce.decoders import rfc3464
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import cut, pasted, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "Sendmail"
NAME_V5 = "V5sendmail"

_SUBJECT = lazy(
    r"^(?:fwd?:\s*)?(?:Returned mail: |Warning: could not send message|"
    r"Warning: message still undelivered)|see transcript for details\s*$",
    re.I,
)
_SENDER = lazy(r"Mail Delivery Subsystem|MAILER-DAEMON", re.I)
_TRANSCRIPT = "----- Transcript of session follows -----"
_ENDS = (
    "----- Original message follows -----",
    "----- Unsent message follows -----",
    "----- Message header follows -----",
    "----- No message was collected -----",
    "----- Message body suppressed -----",
)
# Only V5 ends its notice with these; V8 says "Original message follows" or "Message header".
_V5_ENDS = ("----- Unsent message follows -----", "----- No message was collected -----")
_LIST = lazy(
    r"^\s*----- The following addresses? (?:had|has) (permanent fatal|transient non-fatal) "
    r"errors? -----\s*$",
    re.I | re.M,
)
# "550 5.1.1 <bob@example.org>... User unknown" or "<bob@example.org>... Deferred: ..."
_ADDR_LINE = lazy(
    r"^(?:(?P<code>[45]\d\d)(?:[ -](?P<status>[45]\.\d{1,3}\.\d{1,3}))?\s+)?"
    r"<?(?P<addr>[^<>\s]+@[^<>\s]+?)>?\.{3}\s*(?P<text>.*)$"
)
# A reply or sendmail's own error line that names no recipient ("554 5.0.0 Service unavailable").
_CODE_LINE = lazy(r"^[45]\d\d[ -]\S.*$")
_TALKING = lazy(r"^(?:\.\.\. )?while talking to ([^\s:]+?)\.?:\s*$", re.I)


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, _TRANSCRIPT) or pasted(mail, "had permanent fatal errors -----")
    if not _SUBJECT.search(mail.subject):
        return False
    head = mail.body[:6000]
    if _TRANSCRIPT in head:
        return True
    return bool(_SENDER.search(mail.sender)) and (
        "had permanent fatal errors" in head or "had transient non-fatal errors" in head
    )


class _Transcript:
    """What the transcript says, per recipient where it can tell."""

    def __init__(self) -> None:
        self.lines: dict[str, str] = {}
        self.replies: dict[str, str] = {}
        self.commands: dict[str, str] = {}
        self.rhost = ""
        self.command = ""
        self.all_replies: list[str] = []
        self.other = ""
        self.order: list[str] = []


def _read_transcript(notice: str) -> _Transcript:
    out = _Transcript()
    at = notice.find(_TRANSCRIPT)
    if at < 0:
        return out
    reply = ""
    command = ""
    for raw in notice[at + len(_TRANSCRIPT) :].split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith(">>> "):
            word = line[4:].split(None, 1)[0].upper() if line[4:].strip() else ""
            command = word[:4] if word[:4] in ("MAIL", "RCPT", "DATA", "EHLO", "HELO") else ""
            if command:
                out.command = command
            continue
        if line.startswith("<<< "):
            reply = line[4:].strip()
            if reply not in out.all_replies:
                out.all_replies.append(reply)
            continue
        talking = _TALKING.match(line)
        if talking:
            out.rhost = out.rhost or talking.group(1)
            continue
        found = _ADDR_LINE.match(line)
        if found and is_address(found.group("addr")):
            address = found.group("addr")
            key = address.lower()
            if key not in out.lines:
                out.order.append(address)
                out.lines[key] = line
                if reply:
                    out.replies[key] = reply
                if command:
                    out.commands[key] = command
            reply = ""
            continue
        coded = _CODE_LINE.match(line)
        if coded and not out.other:
            out.other = line
    return out


def _listed(notice: str) -> tuple[list[tuple[str, str, str]], bool]:
    """(address, reason text, alias) from the "following addresses had ... errors" list."""
    found = _LIST.search(notice)
    if not found:
        return [], False
    delayed = found.group(1).lower().startswith("transient")
    entries: list[tuple[str, str, str]] = []
    for raw in notice[found.end() :].split("\n"):
        line = raw.strip()
        if not line:
            if entries:
                break
            continue
        if line.startswith("-----"):
            break
        if line.startswith("(reason:") and entries:
            address, _, alias = entries[-1]
            entries[-1] = (address, line[len("(reason:") :].rstrip(")").strip(), alias)
            continue
        if line.startswith("(expanded from:") and entries:
            address, text, _ = entries[-1]
            entries[-1] = (address, text, clean_address(line))
            continue
        address = clean_address(line)
        if address and is_address(address):
            entries.append((address, "", ""))
    return entries, delayed


def decode(mail: Mail) -> Result | None:
    notice = cut(mail.body, _ENDS)
    transcript = _read_transcript(notice)
    if mail.dsn_blocks:
        result = rfc3464.decode(mail)
        if result is None:
            return None
        for hit in result.hits:
            _overlay(hit, transcript)
        result.decoder = NAME
        return result
    return _decode_text(mail, notice, transcript)


def _overlay(hit: Hit, transcript: _Transcript) -> None:
    """Lay what the transcript adds over a hit read from the DSN fields."""
    key = hit.recipient.lower()
    hit.command = hit.command or transcript.commands.get(key, "") or transcript.command
    if not hit.rhost and transcript.rhost:
        hit.rhost = transcript.rhost
    reply = transcript.replies.get(key, "")
    if not reply and len(transcript.all_replies) == 1:
        reply = transcript.all_replies[0]
    if reply and (len(reply) > len(hit.diagnosis) or hit.diagnosis.strip().isdigit()):
        hit.diagnosis = reply
    elif not hit.diagnosis and key in transcript.lines:
        hit.diagnosis = transcript.lines[key]


def _decode_text(mail: Mail, notice: str, transcript: _Transcript) -> Result | None:
    entries, delayed = _listed(notice)
    known = {address.lower() for address, _, _ in entries}
    for address in transcript.order:
        if address.lower() not in known:
            entries.append((address, "", ""))
            known.add(address.lower())
    if not entries:
        return None
    hits: list[Hit] = []
    for address, reason_text, alias in entries:
        key = address.lower()
        line = transcript.lines.get(key, "")
        reply = transcript.replies.get(key, "")
        if reply or line:
            # The remote reply first, then sendmail's own line when it adds to it.
            parts = [reply] if reply else []
            if line and squash(line) != squash(reply):
                parts.append(line)
            diagnosis = " ".join(parts)
        else:
            parts = transcript.all_replies[:1] + ([transcript.other] if transcript.other else [])
            diagnosis = " ".join(parts) or reason_text
        # The address the sender wrote (before alias expansion) is the one to report.
        hit = Hit(recipient=alias or address, diagnosis=squash(diagnosis), alias=address)
        hit.command = transcript.commands.get(key, "") or transcript.command
        hit.rhost = transcript.rhost
        if delayed or "Deferred:" in line:
            hit.action = "delayed"
        hits.append(hit)
    v5 = any(m in mail.body for m in _V5_ENDS)
    return Result(hits=hits, decoder=NAME_V5 if v5 else NAME)
