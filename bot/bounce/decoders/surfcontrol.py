"""Websense SurfControl E-mail Filter: "Your message could not be sent.".

A transcript of delivery attempts: "Addressed To: addr" names the recipient and the line
"addr: [ip], 550 ..." holds the remote host and its reply. Recognised by SurfControl's own
X-SEF-Processed and X-Mailer headers.
"""

from __future__ import annotations

from bot.bounce.codes import clean_address, is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import header, pasted, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "SurfControl"
_START = "Your message could not be sent."
_REPLY = lazy(r"^\S+@\S+: \[([^\]]+)\], (.+\.\.\..*)$")


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, _START, "Addressed To:")
    return bool(header(mail, "x-sef-processed")) and (
        header(mail, "x-mailer").strip() == "SurfControl E-mail Filter"
    )


def decode(mail: Mail) -> Result | None:
    at = mail.body.find(_START)
    if at < 0:
        return None
    hits: list[Hit] = []
    for line in mail.body[at:].split("\n"):
        if line.startswith("Content-Type: message/rfc822"):
            break
        if line.startswith("Addressed To:") and "@" in line:
            address = clean_address(line.partition(":")[2])
            if is_address(address):
                hits.append(Hit(recipient=address))
            continue
        reply = _REPLY.match(line.strip())
        if reply and hits:
            hits[-1].rhost = reply.group(1)
            hits[-1].diagnosis = squash(reply.group(2))
    return Result(hits=hits, decoder=NAME) if hits else None
