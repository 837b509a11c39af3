"""From raw bytes to a BounceReport: pick a decoder, then finish every record the same way.

Finishing follows the reference parser so that results compare record by record: a status
code found in the diagnostic text wins over a vaguer one in the DSN field, the reason comes
from the provider rules or the reason rules, a pseudo status (<class>.0.9xx) stands in for a
missing one, and a reply code whose class disagrees with the status is dropped.
"""

from __future__ import annotations

import re

from bot.bounce import reasons
from bot.bounce.codes import clean_address, find_reply, find_status, is_address, prefer
from bot.bounce.decoders import DECODERS
from bot.bounce.decoders.base import Hit, Result, find_command
from bot.bounce.mail import Mail, from_text, header_text, load
from bot.bounce.model import BounceReport, OriginalMessage, Recipient
from bot.bounce.providers import (
    provider_for_host,
    provider_from_text,
    provider_reason,
    rule_provider,
    rule_reason,
)

# Decoders that only ever see one provider's notices.
_DECODER_PROVIDER = {"Gmail": "google"}

_COMMANDS = frozenset({"EHLO", "HELO", "MAIL", "RCPT", "DATA", "QUIT"})
_NOT_FAILURE = frozenset({"delivered", "feedback", "vacation"})
_HTML = re.compile(r"<html>.+</html>", re.I | re.S)
_WS = re.compile(r"\s+")
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


def _clean_diag(text: str) -> str:
    return _WS.sub(" ", text or "").strip()


def _finish(hit: Hit, decoder: str, anonymous: bool = False) -> Recipient | None:
    address = clean_address(hit.recipient)
    if not address or not is_address(address):
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
    command = hit.command.upper() if hit.command else find_command(diag)
    if command not in _COMMANDS:
        command = ""
    spec = hit.spec
    if not spec and hit.reason == "mailererror":
        spec = "X-UNIX"
    if not spec and hit.reason not in ("feedback", "vacation"):
        spec = "SMTP"
    provider = provider_for_host(hit.rhost) or provider_for_host(address.rpartition("@")[2])
    if provider is None and diag:
        provider = provider_from_text(diag)

    reason = hit.reason
    rules = reasons.rules()
    if not reason or reason in rules.retry:
        preset = reason
        reason = provider_reason(diag, provider) or ""
        if not reason:
            ruled = _DECODER_PROVIDER.get(decoder) or rule_provider(
                hit.rhost, address.rpartition("@")[2]
            )
            reason = rule_reason(ruled, reasons.normalise(diag))
            provider = provider or ruled
        if not reason:
            ctx = reasons.Context(
                status=status,
                reply_code=reply,
                diagnostic=reasons.normalise(diag),
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
            status = reasons.pseudo_status(reason, not _is_permanent(f"{reply} {diag}"))
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


def report_from_mail(mail: Mail) -> BounceReport:
    result = decode(mail)
    if result is None:
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


_HEADER_START = re.compile(r"\A(?:From [^\n]*\n)?[A-Za-z0-9-]{1,60}:[ \t]")


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
