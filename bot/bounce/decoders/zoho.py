"""Zoho Mail: recognised by the X-ZohoMail header.

Exim-like wording, but each failure is one line "addr reason, ERROR_CODE :550, ERROR_CODE
:5.1.1 ..." (often cut by quoted-printable soft breaks), or for a timeout a bracketed
"[Status: Error, Address: <addr>, ResponseCode 421, , Host not reachable.]". The Exim reader
would not find the address in either.
"""

from __future__ import annotations

from bot.bounce.codes import clean_address, is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import between, header, pasted, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "Zoho"
_START = "This message was created automatically by mail delivery"
_END = "Received: from mail.zoho.com by mx.zohomail.com"
_LINE = lazy(r"^(\S+@\S+)\s+(.*ERROR_CODE :.*)$")


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, _START, "ERROR_CODE :")
    return bool(header(mail, "x-zohomail")) and _START in mail.body[:4000]


def decode(mail: Mail) -> Result | None:
    notice = between(mail.body, _START, _END)
    if notice is None:
        return None
    hits: list[Hit] = []
    continued = False
    for line in notice.split("\n"):
        found = _LINE.match(line)
        if found and is_address(found.group(1)):
            text = found.group(2)
            continued = text.endswith("=")
            hits.append(Hit(recipient=found.group(1), diagnosis=text.rstrip("=")))
        elif line.startswith("[Status: "):
            address = clean_address(line)
            if is_address(address):
                hits.append(Hit(recipient=address, diagnosis=line.strip("[] ")))
            continued = False
        elif continued and hits:
            continued = line.endswith("=")
            hits[-1].diagnosis += line.rstrip("=")
        else:
            continued = False
    for hit in hits:
        hit.diagnosis = squash(hit.diagnosis)
        if "Host not reachable" in hit.diagnosis:
            hit.reason = "expired"
    return Result(hits=hits, decoder=NAME) if hits else None
