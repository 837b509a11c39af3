"""Google Groups: a post to a group that does not exist or does not accept it.

Sent from mailer-daemon@googlemail.com like Gmail's own bounces, but the text is a letter
with no SMTP reply; the failed group is only in X-Failed-Recipients. When the letter lists
all four usual causes (misspelt name, removed group, must join, closed to posting), the post
was refused by the group's settings rather than by anything the sender can diagnose.
"""

from __future__ import annotations

import re

from bot.bounce.codes import clean_address, is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import header, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "GoogleGroups"
_BULLET = lazy(r"^ ?\* ?", re.M)
_END = "----- Original message -----"
_RHOST = lazy(r"^\s*from\s+(\S+)", re.I)


def match(mail: Mail) -> bool:
    return (
        "<mailer-daemon@googlemail.com>" in str(mail.header.get("from", "") or "").lower()
        and "Delivery Status Notification" in mail.subject
        and bool(header(mail, "x-failed-recipients"))
        and ("Google Groups" in mail.body[:4000] or "the group you tried to contact" in mail.body)
    )


def decode(mail: Mail) -> Result | None:
    notice = mail.body.split(_END, 1)[0]
    reason = "rejected" if len(_BULLET.findall(notice)) == 4 else "onhold"
    paragraphs = [p for p in re.split(r"\n\s*\n", notice.strip()) if p.strip()]
    diagnosis = squash(" ".join(paragraphs[:4]))
    hops = mail.header.get_all("received") or []
    rhost_match = _RHOST.match(str(hops[0])) if hops else None
    hits: list[Hit] = []
    for part in header(mail, "x-failed-recipients").split(","):
        address = clean_address(part)
        if is_address(address):
            hit = Hit(recipient=address, diagnosis=diagnosis, reason=reason)
            hit.rhost = rhost_match.group(1) if rhost_match else ""
            hits.append(hit)
    return Result(hits=hits, decoder=NAME) if hits else None
