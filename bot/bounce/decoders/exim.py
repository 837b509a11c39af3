"""Exim: "Mail delivery failed: returning message to sender", delay warnings, frozen notices.

Exim prints each failed address on a line indented by exactly two spaces and the reason below
it, indented further. When the notice is multipart, the fields of its delivery-status part
apply to the address read last (Exim writes the text part and the DSN part in the same order,
and the reference parser reads them that way), and an address with no text of its own takes
the first address's text. Without any address line, `X-Failed-Recipients:` names them.
"""

from __future__ import annotations

import re

from bot.bounce.codes import find_reply, find_status
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail
from bot.bounce.reasons import pseudo_status

NAME = "Exim"

# Exim's notice subjects (MailRu runs Exim and uses them too).
SUBJECTS = (
    "Delivery Status Notification",
    "Mail delivery failed",
    "Mail failure",
    "Message frozen",
    "Warning: message ",
    "error(s) in forwarding or filtering",
)
_OLD_MSGID = lazy(r"^<\w{7}-\w{6}-\w{2}@")
_STARTS = (
    "This message was created automatically by mail delivery software.",
    "A message that you sent contained one or more recipient addresses ",
    "A message that you sent could not be delivered to all of its recipients",
    " has been frozen",
    " was frozen on arrival",
    " router encountered the following error(s):",
)
_FROZEN = (" has been frozen", " was frozen on arrival")
_COPY = lazy(
    r"^------ This is a copy of (?:the|your) message|^Content-Type: message/rfc822", re.I | re.M
)
_COMMANDS = (
    lazy(r"SMTP error from remote (?:mail server|mailer) after ([A-Za-z]{4})"),
    lazy(r"SMTP error from remote (?:mail server|mailer) after end of ([A-Za-z]{4})"),
    lazy(r"LMTP error after ([A-Za-z]{4})"),
    lazy(r"LMTP error after end of ([A-Za-z]{4})"),
)
# Exim's own messages (from its source) and the reason each one means.
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
    (
        "syntaxerror",
        (
            "angle-brackets nested too deep",
            'expected word or "<"',
            "domain missing in source-routed address",
            "malformed address:",
        ),
    ),
    (
        "systemerror",
        (
            "delivery to file forbidden",
            "delivery to pipe forbidden",
            "local delivery failed",
            "LMTP error after ",
        ),
    ),
    ("contenterror", ('Too many "Received" headers',)),
)
_DELAYED = (
    "retry timeout exceeded",
    "No action is required on your part",
    "retry time not reached for any host after a long failure period",
    "all hosts have been failing for a long time and were last tried",
    "Delay reason: ",
    "has been frozen",
    "was frozen on arrival by ",
)
_FIELD = lazy(r"^([A-Za-z][A-Za-z-]{2,40}):\s*(.*)$")
_DSN_FIELDS = {
    "action": "action",
    "status": "status",
    "remote-mta": "rhost",
    "reporting-mta": "lhost",
    "received-from-mta": "lhost",
    "diagnostic-code": "diagnosis",
    "final-recipient": "",
    "original-recipient": "",
    "x-actual-recipient": "",
    "arrival-date": "",
    "last-attempt-date": "",
}


def match(mail: Mail) -> bool:
    sender = mail.sender
    if ".mail.ru" in sender:
        return False
    score = sender.startswith("Mail Delivery System")
    msgid = str(mail.header.get("message-id", "") or "").strip()
    score += bool(_OLD_MSGID.match(msgid))
    score += any(s in mail.subject for s in SUBJECTS)
    return score >= 2


def _record() -> dict[str, str]:
    return {"recipient": "", "diagnosis": "", "alterrors": "", "alias": "", "spec": ""}


def _address_line(line: str) -> bool:
    if not line.startswith("  ") or line.find("@") <= 1 or line.find(".") <= 1:
        return False
    if "pipe to |" in line:
        return False
    return line[2] not in " <"


def _s3s4(text: str) -> str:
    text = text.strip()
    if text.startswith("<") and ">" in text:
        text = text[1 : text.index(">")]
    return text.split()[0].rstrip(":") if text.split() else ""


def _sweep(text: str) -> str:
    return " ".join(text.split())


def decode(mail: Mail) -> Result | None:
    body = mail.body
    copy = _COPY.search(body)
    if copy:
        body = body[: copy.start()]
    multipart = mail.header.get_content_maintype() == "multipart"
    records = [_record()]
    count = 0
    reading = False
    for line in body.split("\n"):
        if not reading:
            if any(s in line for s in _STARTS):
                reading = True
                if not any(s in line for s in _FROZEN):
                    continue
            else:
                continue
        if not line:
            continue
        v = records[-1]
        undisclosed = line.find(" an undisclosed address") > 0
        if _address_line(line) or undisclosed:
            if v["recipient"]:
                records.append(_record())
                v = records[-1]
            if undisclosed:
                address = line[2:]
            else:
                p1, p2 = line.find(" <"), line.find(">:")
                if p1 > 1 and p2 > 1:
                    address = _s3s4(line[p1 + 1 : p2])
                    v["diagnosis"] = _sweep(line[p2 + 1 :])
                else:
                    address = _s3s4(line[2:])
            v["recipient"] = address
            count += 1
        elif " (generated from " in line or " generated by " in line:
            v["alias"] = _s3s4(line[line.rindex(" ") + 1 :].strip("()"))
        elif any(s in line for s in _FROZEN):
            v["alterrors"] += line + " "
        elif multipart:
            if line.startswith(" "):
                v["alterrors"] += line + " "
        elif len(records) == count:
            v["diagnosis"] += line + " "
        elif " pipe to |/" in line:
            v["diagnosis"] = line
        elif line.startswith("    "):
            v["alterrors"] += line + " "

    if multipart and mail.dsn_blocks:
        v = records[-1]
        for block in mail.dsn_blocks:
            for key, value in block.items():
                target = _DSN_FIELDS.get(key)
                if key == "final-recipient":
                    if not v["spec"]:
                        v["spec"] = "SMTP" if "@" in value else "X-UNIX"
                elif key == "diagnostic-code":
                    spec, sep, rest = value.partition(";")
                    if sep:
                        v["spec"] = spec.strip().upper()
                        v["diagnosis"] = rest.strip()
                    else:
                        v["diagnosis"] = value.strip()
                elif target:
                    if target in ("rhost", "lhost") and ";" in value:
                        value = value.partition(";")[2]
                    v[target] = value.strip()

    if count:
        for q in records:
            if q["alias"] and (not q["recipient"] or "@" not in q["recipient"]):
                q["recipient"] = q["alias"]
    else:
        failed = header_list(mail, "x-failed-recipients")
        if not failed:
            return None
        records[-1]["recipient"] = failed[0]
        for address in failed[1:]:
            records.append(_record())
            records[-1]["recipient"] = address
        count = len(failed)

    first = records[0]
    hits: list[Hit] = []
    for e in records:
        if not e["recipient"]:
            continue
        if not e["diagnosis"] and multipart:
            e["diagnosis"] = first["diagnosis"]
            e["spec"] = e["spec"] or first["spec"]
            if first["alterrors"]:
                e["alterrors"] = first["alterrors"]
        diagnosis, alterrors = e["diagnosis"], e["alterrors"]
        if alterrors:
            if not diagnosis or diagnosis.startswith("-") or diagnosis.endswith("__"):
                diagnosis = alterrors
            else:
                # The DSN's Diagnostic-Code repeats the start of the reply the text part gives
                # in full (with the host and the SMTP stage): prefer the text part then. Only
                # the field's first line is compared, as its continuation lines are folded.
                squeezed = _sweep(alterrors)
                probe = _sweep(diagnosis)[:60].lower()
                if len(probe) < len(squeezed) and probe in squeezed.lower():
                    diagnosis = squeezed
        diagnosis = _sweep(diagnosis)
        cut = diagnosis.find("__")
        if cut > 1:
            diagnosis = diagnosis[:cut]
        hit = Hit(recipient=e["recipient"], diagnosis=diagnosis, spec=e["spec"])
        hit.action = (e.get("action", "").split() or [""])[0].lower()
        hit.rhost = e.get("rhost", "")
        if not hit.rhost:
            at = diagnosis.find("host ")
            if at > -1:
                hit.rhost = diagnosis[at + 5 :].split(" ", 1)[0]
        hit.lhost = e.get("lhost", "")
        for pattern in _COMMANDS:
            found = pattern.search(diagnosis)
            if found:
                hit.command = found.group(1).upper()
                break
        if hit.command in ("HELO", "EHLO"):
            hit.reason = "blocked"
        elif hit.command == "MAIL":
            hit.reason = "onhold"
        else:
            for reason, phrases in _MESSAGES:
                if any(p in diagnosis for p in phrases):
                    hit.reason = reason
                    break
            if not hit.reason:
                if any(p in diagnosis for p in _DELAYED):
                    hit.reason = "expired"
                elif "pipe to |" in diagnosis:
                    hit.reason = "mailererror"
        hit.status = _status(e.get("status", ""), diagnosis, hit.reason)
        hits.append(hit)
    return Result(hits=hits, decoder=NAME) if hits else None


def _status(field: str, diagnosis: str, reason: str) -> str:
    """Exim's own status rule: a pseudo code from its reason when the text has no status."""
    code = field or find_status(diagnosis)
    if code:
        return code
    if not reason:
        return ""
    reply = find_reply(diagnosis)
    if reply:
        return pseudo_status(reason, reply[0] == "4")
    return pseudo_status(reason, reason in ("expired", "mailboxfull"))


def header_list(mail: Mail, name: str) -> list[str]:
    value = str(mail.header.get(name, "") or "")
    return [" ".join(v.split()) for v in value.split(",") if v.strip()]
