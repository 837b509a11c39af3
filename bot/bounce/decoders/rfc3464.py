"""RFC 3464 delivery status notifications from any MTA (tried after the MTA-specific ones).

The machine-readable part is authoritative for recipients and status; the human-readable
part often holds the fuller server reply ("... said: 550 ...") and the failing SMTP command,
so both are read.
"""

from __future__ import annotations

import re

from bot.bounce.codes import clean_address, find_reply, find_status
from bot.bounce.decoders import mda
from bot.bounce.decoders.base import (
    Hit,
    Result,
    find_command,
    hits_from_dsn,
    sisimai_command,
    split_original,
)
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail, parse_field_block

NAME = "RFC3464"
_INLINE = lazy(r"^\s*(?:Final|Original)-Recipient:", re.I | re.M)
_ANGLE = lazy(r"^ ?<([^<>\s]+@[^<>\s]+)>(?:\s*\(expanded from <[^>]*>\))?:?\s*(.*)$")


# Microsoft's notices carry their meaning in wording and status codes of their own; these are
# recognised by the headers Microsoft adds (two of them must be there, as one can be relayed).
_OUTLOOK_TEXT = (
    (
        "hostunknown",
        "The mail could not be delivered to the recipient because the domain is not reachable",
    ),
    ("userunknown", "Requested action not taken: mailbox unavailable"),
)
_O365_HEADERS = (
    "x-ms-exchange-message-is-ndr",
    "x-microsoft-antispam-prvs",
    "x-exchange-antispam-report-test",
    "x-exchange-antispam-report-cfa-test",
    "x-ms-exchange-crosstenant-originalarrivaltime",
    "x-ms-exchange-crosstenant-fromentityheader",
    "x-ms-exchange-transport-crosstenantheadersstamped",
)
_O365_HOST = lazy(r".+[.](?:outbound[.]protection|prod)[.]outlook[.]com\b")
_O365_STATUS = (
    (lazy(r"^4\.4\.7$"), "expired"),
    (lazy(r"^4\.4\.312$"), "networkerror"),
    (lazy(r"^4\.4\.316$"), "expired"),
    (lazy(r"^4\.7\.26$"), "securityerror"),
    (lazy(r"^4\.7\.[56]\d\d$"), "blocked"),
    (lazy(r"^4\.7\.8[5-9]\d$"), "blocked"),
    (lazy(r"^5\.0\.350$"), "contenterror"),
    (lazy(r"^5\.1\.10$"), "userunknown"),
    (lazy(r"^5\.4\.1$"), "norelaying"),
    (lazy(r"^5\.4\.6$"), "networkerror"),
    (lazy(r"^5\.4\.312$"), "networkerror"),
    (lazy(r"^5\.4\.316$"), "expired"),
    (lazy(r"^5\.6\.11$"), "contenterror"),
    (lazy(r"^5\.7\.1$"), "rejected"),
    (lazy(r"^5\.7\.1[23]$"), "rejected"),
    (lazy(r"^5\.7\.124$"), "rejected"),
    (lazy(r"^5\.7\.13[3-6]$"), "rejected"),
    (lazy(r"^5\.7\.23$"), "blocked"),
    (lazy(r"^5\.7\.25$"), "networkerror"),
    (lazy(r"^5\.7\.50[1-3]$"), "spamdetected"),
    (lazy(r"^5\.7\.50[4-5]$"), "filtered"),
    (lazy(r"^5\.7\.50[6-7]$"), "blocked"),
    (lazy(r"^5\.7\.508$"), "toomanyconn"),
    (lazy(r"^5\.7\.509$"), "securityerror"),
    (lazy(r"^5\.7\.510$"), "notaccept"),
    (lazy(r"^5\.7\.511$"), "rejected"),
    (lazy(r"^5\.7\.512$"), "securityerror"),
    (lazy(r"^5\.7\.57$"), "securityerror"),
    (lazy(r"^5\.7\.60[6-9]$"), "blocked"),
    (lazy(r"^5\.7\.6[1-4]\d$"), "blocked"),
    (lazy(r"^5\.7\.7[0-4]\d$"), "toomanyconn"),
)


def _has(mail: Mail, name: str) -> bool:
    return bool(str(mail.header.get(name, "") or "").strip())


def microsoft_profile(mail: Mail) -> str:
    """'outlook' (Outlook.com/Hotmail), 'office365' or '' from the notice's own headers.

    Several decoders ask; the answer is kept on the mail after the first time."""
    cached = mail.__dict__.get("_microsoft_profile")
    if cached is None:
        cached = _microsoft_profile(mail)
        mail.__dict__["_microsoft_profile"] = cached
    return cached


def _microsoft_profile(mail: Mail) -> str:
    received = [str(r) for r in (mail.header.get_all("received") or [])]
    outlook = (
        ("Delivery Status Notification" in mail.subject)
        + _has(mail, "x-message-delivery")
        + _has(mail, "x-message-info")
        + any(".hotmail.com" in r for r in received)
    )
    if outlook >= 2:
        return "outlook"
    office = ("Undeliverable:" in mail.subject) + sum(_has(mail, h) for h in _O365_HEADERS)
    office += any(_O365_HOST.search(r) for r in received)
    if office < 2 and _O365_HOST.search(str(mail.header.get("message-id", "") or "")):
        office += 1
    return "office365" if office >= 2 else ""


def profile_reason(profile: str, hit: Hit) -> str:
    if profile == "outlook":
        for reason, phrase in _OUTLOOK_TEXT:
            if phrase in hit.diagnosis:
                return reason
    elif profile == "office365":
        status = hit.status or find_status(hit.diagnosis)
        for pattern, reason in _O365_STATUS:
            if pattern.match(status):
                return reason
    return ""


def apply_mda(mail: Mail, hits: list[Hit]) -> None:
    """A local delivery agent's own error line decides the reason and the diagnostic."""
    found = mda.inquire(mail)
    if found is None:
        return
    _, reason, message = found
    for hit in hits:
        hit.reason = reason or "undefined"
        if message:
            hit.diagnosis = message
        hit.command = ""


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
        if not postfix:
            # The generic reader keeps the DSN's own fields (as the reference parser does);
            # only Postfix's text paragraph is known to carry the fuller reply.
            continue
        status = ""
        if not hit.status or hit.status.endswith(".0.0"):
            status = find_status(text)
            if status and not status.endswith(".0.0"):
                hit.status = status
        reply = ""
        if not hit.reply_code or hit.reply_code.endswith("00"):
            reply = find_reply(text)
            if reply.endswith("00"):
                reply = ""
            if reply:
                hit.reply_code = reply
        if status or (reply and len(text) > len(hit.diagnosis)):
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
    profile = microsoft_profile(mail)
    apply_mda(mail, hits)
    for hit in hits:
        if profile and not hit.reason:
            hit.reason = profile_reason(profile, hit)
        if not hit.command:
            hit.command = sisimai_command(hit.diagnosis)
        if not hit.lhost:
            hit.lhost = (per_message.get("reporting-mta", "").partition(";")[2]).strip()
        if hit.alias and not clean_address(hit.recipient):
            hit.recipient = hit.alias
    return Result(hits=hits, decoder=NAME)
