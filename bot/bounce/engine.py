"""From raw bytes to a BounceReport: pick a decoder, then finish every record the same way.

Finishing follows the reference parser (Sisimai 5) so that results compare record by record:
the status is chosen between the DSN field and the code in the diagnostic text (`prefer`), the
reply code's multi-line prefixes are folded out of the text, a decoder's vague reason is decided
again (the answering provider's table, then the status code and the SMTP command, then the
text alone), a pseudo status (<class>.0.9xx) stands in for a missing one, and a reply code
whose class disagrees with the status is dropped.
"""

from __future__ import annotations

import re

from bot.bounce import reasons, rhosts
from bot.bounce.codes import (
    clean_address,
    find_reply,
    find_status,
    is_address,
    loose_address,
    prefer,
)
from bot.bounce.decoders import DECODERS
from bot.bounce.decoders.base import Hit, Result, find_command
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail, from_message, from_text, header_text, load
from bot.bounce.model import BounceReport, OriginalMessage, Recipient
from bot.bounce.providers import provider_for_host

_COMMANDS = frozenset({"EHLO", "HELO", "MAIL", "RCPT", "DATA", "QUIT"})
_NOT_FAILURE = frozenset({"delivered", "feedback", "vacation"})
_HTML = lazy(r"<html>.+</html>", re.I | re.S)
_WS = lazy(r"\s+")
MAX_RECIPIENTS = 1000


def decode(mail: Mail) -> Result | None:
    for decoder in DECODERS:
        try:
            if not decoder.match(mail):
                continue
            result = decoder.decode(mail)
        except (ValueError, IndexError, KeyError, AttributeError, TypeError, RecursionError):
            continue
        if result is not None and result.hits:
            return result
    return None


_BOUNDARY_TAIL = lazy(r" +-{2,}[^ ].+\Z")


def _unwrap_reply(diag: str, reply: str, status: str) -> str:
    """Drop the code prefixes of a multi-line reply ("550-5.7.1 ...", "550 5.7.1 ...") so that
    its sentences read as one text, as the reference parser does before matching phrases;
    also drop an HTML body and a trailing MIME boundary."""
    if len(reply) == 3 and f"{reply}-" in diag:
        for sep in ("-", " "):
            if status:
                diag = diag.replace(f"{reply}{sep}{status}", "")
            diag = diag.replace(f"{reply}{sep}", "")
        if diag.find(reply) > 1:
            diag = f"{reply} {status} {diag}"
    low = diag.lower()
    start, end = low.find("<html>"), low.find("</html>")
    if start > 0 and end > 0:
        diag = diag[:start] + diag[end + 7 :]
    diag = _BOUNDARY_TAIL.sub("", _WS.sub(" ", diag).strip())
    return diag


def _clean_diag(text: str) -> str:
    return _WS.sub(" ", text or "").strip()


def _finish(hit: Hit, decoder: str, anonymous: bool = False) -> Recipient | None:
    address = clean_address(hit.recipient)
    if not address or not is_address(address):
        address = loose_address(hit.recipient)
    if not address:
        if not anonymous:
            return None
        address = ""
    diag = _clean_diag(hit.diagnosis)
    status = hit.status
    reply = hit.reply_code
    if diag:
        found = find_status(diag)
        in_reply = find_reply(diag, found)
        status = prefer(status, found, in_reply)
        if not reply or reply[0] not in "245":
            reply = in_reply
        diag = _unwrap_reply(diag, in_reply, found)
    command = hit.command.upper() if hit.command else find_command(diag)
    if command not in _COMMANDS:
        command = ""
    spec = hit.spec
    if not spec and hit.reason == "mailererror":
        spec = "X-UNIX"
    if not spec and hit.reason not in ("feedback", "vacation"):
        spec = "SMTP"
    provider = provider_for_host(hit.rhost) or provider_for_host(address.rpartition("@")[2])

    reason = hit.reason
    rules = reasons.rules()
    if not reason or reason in rules.retry:
        # A decoder's vague reason is decided again: first by the answering provider's own
        # table (only the remote host that wrote the reply counts, not the recipient's domain
        # or a provider named in the text), then by the status code and the text.
        preset = reason
        normal = reasons.normalise(diag)
        table = rhosts.table_for(hit.rhost)
        reason = rhosts.reason(table, preset, status, reply, normal) if table else ""
        if not reason:
            ctx = reasons.Context(
                status=status,
                reply_code=reply,
                diagnostic=normal,
                command=command,
                spec=spec,
                action=hit.action,
                preset=preset,
            )
            reason = reasons.decide(ctx) or preset or "undefined"

    hard: bool | None
    if reason in _NOT_FAILURE:
        hard = False
        if reason != "delivered":
            reply = ""
    else:
        if not status:
            temporary = not _is_permanent(f"{reply} {diag}")
            status = reasons.pseudo_status(reason, temporary)
        hard = reasons.is_hard(reason, status, reply)
        if reply and status and reply[0] != status[0]:
            again = find_reply(diag, status)
            reply = again if again[:1] == status[:1] else ""
    if reason in ("feedback", "vacation") and not hit.status:
        status = ""
    action = hit.action or ("delayed" if reason == "expired" else "")
    if not action and status[:1] in ("4", "5"):
        action = "failed"
    return Recipient(
        address=address or None,
        status=status or None,
        reply_code=reply or None,
        reason=reason,
        hard_bounce=hard,
        diagnostic=diag or None,
        action=action or None,
        remote_mta=hit.rhost or None,
        smtp_command=command or None,
        reporting_mta=hit.lhost or None,
        provider=provider,
        feedback_type=hit.feedback_type or None,
        decoder=decoder,
    )


def _is_permanent(text: str) -> bool:
    """Whether an error text reads as permanent; True when it says nothing either way."""
    if len(text.strip()) < 3:
        return True
    code = find_status(text) or find_reply(text)
    if code:
        return code[0] != "4"
    low = text.lower()
    return not ("temporar" in low or "persistent" in low)


def _original(mail: Mail, result: Result) -> OriginalMessage:
    headers = mail.original or result.original or {}
    return OriginalMessage(
        message_id=header_text(headers.get("message-id")) or None,
        sender=header_text(headers.get("from")) or None,
        to=header_text(headers.get("to")) or None,
        subject=header_text(headers.get("subject")) or None,
    )


def _kind(records: list[Recipient]) -> str:
    reasons_seen = {r.reason for r in records}
    for kind in ("feedback", "vacation", "delivered"):
        if reasons_seen == {kind}:
            return kind
    if records and all(r.action == "delayed" for r in records):
        return "delay"
    return "bounce"


def report_from_mail(mail: Mail, depth: int = 0) -> BounceReport:
    result = decode(mail)
    if result is None:
        if mail.attached is not None and depth < 2:
            # Not a notice itself, but it may carry one: a bounce forwarded as an attachment.
            return report_from_mail(from_message(mail.attached), depth + 1)
        return BounceReport()
    records: list[Recipient] = []
    seen: set[tuple[str, str]] = set()
    for hit in result.hits[:MAX_RECIPIENTS]:
        record = _finish(hit, result.decoder, anonymous=mail.fragment)
        if record is None:
            continue
        key = ((record.address or "").lower(), record.status or "")
        if key in seen:
            continue
        seen.add(key)
        records.append(record)
    if not records:
        return BounceReport()
    return BounceReport(
        kind=_kind(records),  # type: ignore[arg-type]
        recipients=records,
        original=_original(mail, result),
        decoder=result.decoder,
    )


def parse_bytes(data: bytes) -> BounceReport:
    """A whole RFC 5322 message -> report. Never raises on bad input."""
    try:
        mail = load(data)
        return report_from_mail(mail)
    except (ValueError, TypeError, LookupError, AttributeError, IndexError, RecursionError):
        return BounceReport()


_HEADER_START = lazy(r"\A(?:From [^\n]*\n)?[A-Za-z0-9-]{1,60}:[ \t]")


def parse_text(text: str) -> BounceReport:
    """A pasted text: a whole message when it starts with headers, else a body or fragment."""
    try:
        if _HEADER_START.match(text) and not re.match(
            r"\A(?:final-recipient|original-recipient|action|status|diagnostic-code|"
            r"reporting-mta|remote-mta)\s*:",
            text,
            re.I,
        ):
            report = parse_bytes(text.encode("utf-8", errors="replace"))
            if report.recipients:
                return report
        return report_from_mail(from_text(text))
    except (ValueError, TypeError, LookupError, AttributeError, IndexError, RecursionError):
        return BounceReport()
