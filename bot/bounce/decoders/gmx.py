"""GMX and mail.com: recognised by the X-GMX-Antispam header.

The greeting is Exim's, but the layout is GMX's own: the address in quotes or angle brackets
on a line of its own, then "SMTP error from remote server after RCPT command:", "host: ...",
and the reply; a timeout says "Reason:" and "delivery retry timeout exceeded" instead.
"""

from __future__ import annotations

import re

from bot.bounce.codes import clean_address, find_status, is_address
from bot.bounce.decoders.base import Hit, Result, find_command
from bot.bounce.decoders.formatkit import between, header, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "GMX"
_START = "This message was created automatically by mail delivery software"
_END = "--- The header of the original message is following. ---"
_ADDRESS = lazy(r"^[\"<]([^\"<>\s]+@[^\"<>\s]+)[\">]:?\s*$")
_AFTER = lazy(r"after ([A-Z]{4})\b")


def match(mail: Mail) -> bool:
    return bool(header(mail, "x-gmx-antispam")) and _START in mail.body[:4000]


def decode(mail: Mail) -> Result | None:
    notice = between(mail.body, _START, _END)
    if notice is None:
        return None
    hits: list[Hit] = []
    reason_next = False
    for raw in notice.split("\n"):
        line = raw.strip()
        if not line:
            continue
        found = _ADDRESS.match(line)
        if found and is_address(clean_address(found.group(1))):
            hits.append(Hit(recipient=clean_address(found.group(1))))
            reason_next = False
            continue
        if not hits:
            continue
        hit = hits[-1]
        if line.startswith("SMTP error "):
            after = _AFTER.search(line)
            hit.command = after.group(1) if after else find_command(line)
        elif line.startswith("host: "):
            hit.rhost = line[6:].split()[0]
        elif line == "Reason:":
            reason_next = True
        elif reason_next:
            hit.diagnosis = hit.diagnosis or line
            reason_next = False
        elif not hit.diagnosis and (find_status(line) or re.search(r"<[^<>]+@[^<>]+>", line)):
            hit.diagnosis = line
    for hit in hits:
        hit.diagnosis = squash(hit.diagnosis)
        if "delivery retry timeout exceeded" in hit.diagnosis:
            hit.reason = "expired"
    return Result(hits=hits, decoder=NAME) if hits else None
