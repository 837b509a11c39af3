"""1&1 (kundenserver, GMX-style): "Mail delivery failed: returning message to sender" from
"Mail Delivery System" with the address alone on a line and "For the following reason:"."""

from __future__ import annotations

import re

from bot.bounce.codes import find_status
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "EinsUndEins"
_START = "This message was created automatically by mail delivery software"
_END = lazy(r"^--- The header of the original message is following\. ---", re.M)
_ADDRESS = lazy(r"^([^ ]+@[^ ]+?):?$")
_ERROR = "For the following reason:"
_HOST = lazy(r"host: +(.+?) +.+ +reason:.+")


def match(mail: Mail) -> bool:
    sender = str(mail.header.get("from", "") or "").strip()
    return sender.startswith('"Mail Delivery System"') and (
        mail.subject == "Mail delivery failed: returning message to sender"
    )


def decode(mail: Mail) -> Result | None:
    end = _END.search(mail.body)
    notice = mail.body[: end.start()] if end else mail.body
    records: list[dict[str, str]] = [{"recipient": "", "diagnosis": "", "alterrors": ""}]
    reading = False
    count = 0
    for line in notice.split("\n"):
        if not reading:
            reading = line.startswith(_START)
            continue
        if not line:
            continue
        v = records[-1]
        address = _ADDRESS.match(line)
        if address:
            if v["recipient"]:
                records.append({"recipient": "", "diagnosis": "", "alterrors": ""})
                v = records[-1]
            v["recipient"] = address.group(1)
            count += 1
        elif line.startswith(_ERROR):
            v["diagnosis"] = line
        elif v["diagnosis"]:
            v["diagnosis"] += " " + line
        else:
            v["alterrors"] += " " + line
    if not count:
        return None
    hits: list[Hit] = []
    for v in records:
        if not v["recipient"]:
            continue
        diagnosis = v["diagnosis"] or v["alterrors"]
        hit = Hit(recipient=v["recipient"])
        host = _HOST.search(diagnosis)
        if host:
            hit.rhost = host.group(1)
            if "for TEXT command" in diagnosis:
                hit.command = "DATA"
            if "SMTP error" in diagnosis:
                hit.spec = "SMTP"
            hit.status = find_status(diagnosis)
        else:
            diagnosis = diagnosis.replace(_ERROR, "")
        hit.diagnosis = " ".join(diagnosis.split())
        if "Mail size limit exceeded" in hit.diagnosis:
            hit.reason = "mesgtoobig"
        hits.append(hit)
    return Result(hits=hits, decoder=NAME)
