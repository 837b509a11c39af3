"""Digital Arts m-FILTER (Japan): "failure notice" with "X-Mailer: m-FILTER".

The notice is Japanese text followed by sections "-------server message" (the remote reply)
and "-------SMTP command" (the command it answered); the address stands alone on a line.
"""

from __future__ import annotations

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import cut, header, pasted, squash
from bot.bounce.mail import Mail

NAME = "mFILTER"
_ENDS = ("-------original message", "-------original mail info")
_SERVER = "-------server message"
_COMMAND = "-------SMTP command"


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, _SERVER, _COMMAND)
    return header(mail, "x-mailer").strip() == "m-FILTER" and mail.subject == "failure notice"


def decode(mail: Mail) -> Result | None:
    hits: list[Hit] = []
    section = ""
    for raw in cut(mail.body, _ENDS).split("\n"):
        line = raw.strip()
        if not line:
            continue
        if "@" in line and " " not in line and is_address(line):
            hits.append(Hit(recipient=line))
            continue
        if line in (_SERVER, _COMMAND):
            section = line
            continue
        if not hits or line.startswith("-"):
            continue
        if section == _COMMAND and len(line) == 4 and " " not in line:
            for hit in hits:
                hit.command = hit.command or line.upper()
        elif section == _SERVER:
            for hit in hits:
                hit.diagnosis = hit.diagnosis or squash(line)
    return Result(hits=hits, decoder=NAME) if hits else None
