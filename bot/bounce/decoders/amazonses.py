"""Amazon SES: bounces relayed by SES, SES receiving-rule bounces, and SES notifications.

SES bounces carry a DSN part that the generic reader handles; what SES adds is its own
"Delivery expired" wording and an older plain-text notice with no DSN part at all.
SES event notifications sent through SNS to an email endpoint are JSON, not a DSN: their
`bounceType`/`bounceSubType` say more than any text, and complaints and deliveries are not
failures, so they are reported as `feedback` and `delivered` records.
"""

from __future__ import annotations

import json

from bot.bounce.codes import is_address
from bot.bounce.decoders import rfc3464
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import address_in, dsn_hits, header, reason_from, squash
from bot.bounce.mail import Mail

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs parse start-up
if TYPE_CHECKING:
    from typing import Any

NAME = "AmazonSES"
NAME_RECEIVING = "ReceivingSES"
_LEGACY_START = (
    "The following message to <",
    "An error occurred while trying to deliver the mail ",
)
_LEGACY_END = ("content-type: message/rfc822", "Content-Type: message/rfc822")
# SES receiving rule sets bounce with these template texts (no SMTP reply behind them).
_RECEIVING_START = "This message could not be delivered."
_RECEIVING = (
    ("filtered", ("Mailbox does not exist",)),
    ("mesgtoobig", ("Message too large",)),
    ("mailboxfull", ("Mailbox full",)),
    ("contenterror", ("Message content rejected",)),
)
# SES's bounce types: only those that say something beyond the SMTP reply decide a reason.
_BOUNCE_TYPES = {
    ("Transient", "MailboxFull"): "mailboxfull",
    ("Transient", "MessageTooLarge"): "mesgtoobig",
}


def match(mail: Mail) -> bool:
    if "Amazon WorkMail" in header(mail, "x-mailer"):
        return False
    return bool(
        header(mail, "x-aws-outgoing")
        or header(mail, "x-ses-outgoing")
        or header(mail, "x-amz-sns-message-id")
        or "amazonses.com" in mail.sender.lower()
    )


def _json_text(body: str) -> str:
    """The JSON document of an SNS email, with SNS's "!"-folded long lines joined."""
    out: list[str] = []
    folded = False
    for line in body.strip().split("\n"):
        if line in ("--", "__END_OF_EMAIL_MESSAGE__"):
            break
        if folded:
            out[-1] += line[1:] if line.startswith(" ") else line
        else:
            out.append(line)
        folded = out[-1].endswith("!")
        if folded:
            out[-1] = out[-1][:-1]
    return "\n".join(out)


def _load(body: str) -> dict[str, Any] | None:
    try:
        data = json.loads(_json_text(body))
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("Message"), str):
        try:
            data = json.loads(data["Message"])
        except ValueError:
            return None
    return data if isinstance(data, dict) else None


def _from_json(data: dict[str, Any]) -> Result | None:
    kind = data.get("notificationType") or data.get("eventType") or ""
    hits: list[Hit] = []
    if kind == "Bounce":
        bounce = data.get("bounce") or {}
        reason = _BOUNCE_TYPES.get((bounce.get("bounceType"), bounce.get("bounceSubType")), "")
        lhost = str(bounce.get("reportingMTA") or "").removeprefix("dsn;").strip()
        for item in bounce.get("bouncedRecipients") or []:
            address = str(item.get("emailAddress") or "")
            if not is_address(address):
                continue
            spec, _, text = str(item.get("diagnosticCode") or "").partition(";")
            if not text:
                spec, text = "", spec
            hit = Hit(recipient=address, diagnosis=squash(text), reason=reason, lhost=lhost)
            hit.spec = spec.strip().upper() if spec and " " not in spec.strip() else ""
            hit.status = str(item.get("status") or "")
            hit.action = str(item.get("action") or "")
            hits.append(hit)
        return Result(hits=hits, decoder=NAME) if hits else None
    if kind == "Complaint":
        complaint = data.get("complaint") or {}
        ftype = str(complaint.get("complaintFeedbackType") or "abuse")
        for item in complaint.get("complainedRecipients") or []:
            address = str(item.get("emailAddress") or "")
            if is_address(address):
                hits.append(Hit(recipient=address, reason="feedback", feedback_type=ftype))
        return Result(hits=hits, decoder=NAME, kind="feedback") if hits else None
    if kind == "Delivery":
        delivery = data.get("delivery") or {}
        response = str(delivery.get("smtpResponse") or "")
        for address in delivery.get("recipients") or []:
            if is_address(str(address)):
                hit = Hit(recipient=str(address), diagnosis=response, reason="delivered")
                hit.lhost = str(delivery.get("reportingMTA") or "")
                hit.action = "delivered"
                hits.append(hit)
        return Result(hits=hits, decoder=NAME, kind="delivered") if hits else None
    return None


def _legacy(body: str) -> list[Hit]:
    """The old plain-text SES notice: "The following message to <addr> was undeliverable."."""
    hits: list[Hit] = []
    for start in _LEGACY_START:
        at = body.find(start)
        if at < 0:
            continue
        section = body[at:]
        for end in _LEGACY_END:
            cut_at = section.find(end)
            if cut_at > 0:
                section = section[:cut_at]
        address = address_in(section.split("\n", 1)[0]) or address_in(section)
        if not address:
            continue
        reason = section.split("The reason for the problem:", 1)
        text = reason[1] if len(reason) == 2 else section.split("\n", 1)[-1]
        hits.append(Hit(recipient=address, diagnosis=squash(text.split("\n\n", 1)[0])))
        break
    return hits


def decode(mail: Mail) -> Result | None:
    body = mail.body.lstrip()
    if body.startswith("{"):
        data = _load(body)
        return _from_json(data) if data else None
    if _RECEIVING_START in mail.body[:3000]:
        return _receiving(mail)
    hits: list[Hit] = []
    if mail.dsn_blocks:
        result = rfc3464.decode(mail)
        hits = result.hits if result else []
    if not hits:
        hits = _legacy(mail.body)
    for hit in hits:
        if "Delivery expired" in hit.diagnosis:
            hit.reason = "expired"
    return Result(hits=hits, decoder=NAME) if hits else None


def _receiving(mail: Mail) -> Result | None:
    """A bounce action of an SES receiving rule set: a DSN whose text is the rule's template."""
    at = mail.body.find(_RECEIVING_START)
    hits, per_message = dsn_hits(mail, mail.body[at:])
    for hit in hits:
        hit.reason = reason_from(hit.diagnosis, _RECEIVING)
        if not hit.lhost:
            hit.lhost = per_message.get("reporting-mta", "").partition(";")[2].strip()
    return Result(hits=hits, decoder=NAME_RECEIVING) if hits else None
