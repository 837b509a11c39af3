"""DragonFly Mail Agent (dma): "Mail delivery failed" from a host running dma.

One paragraph per failure: "There was an error delivering your mail to <addr>." then
"host [ip] did not like our RCPT TO:" and the reply, which names both the remote host and
the command; dma's own timeout and DNS messages carry no code and are mapped here.
"""

from __future__ import annotations

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import cut, pasted, reason_from, received, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "DragonFly"
_START = "This is the DragonFly Mail Agent "
_ENDS = ("Original message follows.", "Message headers follow")
_RECIPIENT = lazy(r"^There was an error delivering your mail to <([^<>\s]+@[^<>\s]+)>")
_DISLIKE = lazy(r"^(\S+)(?: \[([^\]]+)\])? did not like our ([A-Z]{4})")
_MESSAGES = (
    ("expired", ("Could not deliver for the last ",)),
    ("hostunknown", ("DNS lookup failure: host ",)),
)


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, _START)
    return "Mail delivery failed" in mail.subject and any(
        " (DragonFly Mail Agent" in r for r in received(mail)
    )


def decode(mail: Mail) -> Result | None:
    at = mail.body.find(_START)
    if at < 0:
        return None
    hits: list[Hit] = []
    texts: list[list[str]] = []
    for line in cut(mail.body[at:], _ENDS).split("\n")[1:]:
        if not line.strip():
            continue
        found = _RECIPIENT.match(line)
        if found and is_address(found.group(1)):
            hits.append(Hit(recipient=found.group(1)))
            texts.append([])
            continue
        if not hits:
            continue
        dislike = _DISLIKE.match(line)
        if dislike and not hits[-1].rhost:
            host = dislike.group(1)
            hits[-1].rhost = host if "." in host else (dislike.group(2) or host)
            hits[-1].command = dislike.group(3)
        texts[-1].append(line)
    for hit, text in zip(hits, texts, strict=True):
        hit.diagnosis = squash(" ".join(text))
        hit.reason = reason_from(hit.diagnosis, _MESSAGES)
    return Result(hits=hits, decoder=NAME) if hits else None
