"""Trend Micro InterScan MSS / Vision One email security: "Mail could not be delivered".

The notice is a two-line transcript per recipient ("Sent <<< RCPT TO:<addr>" and
"Received >>> 550 ..."), in English or Japanese; the arrows are reversed from the usual
sendmail convention, so the Sendmail reader would swap command and reply.
"""

from __future__ import annotations

import re

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import pasted, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "InterScanMSS"
_SUBJECTS = (
    "Mail could not be delivered",
    "メッセージを配信できません。",
    "メール配信に失敗しました",
)
_ADDRESS = lazy(r"[<>]{3}[ \t]+.*?<([^<>\s]+@[^<>\s]+)>")
_SENT = lazy(r"^Sent[ \t]+<<<[ \t]+([A-Z]{4})[ \t]")
_RECEIVED = lazy(r"^Received[ \t]+>>>[ \t]+(\d{3}[ \t]+.+)$")
_OTHER_COMMAND = lazy(r" >>> ([A-Z]{4})")
_OTHER_REPLY = lazy(r" <<< (.+)")
_UNABLE = lazy(r"Unable to deliver .*<([^<>\s]+@[^<>\s]+)>")


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, "Sent <<< ", "Received >>> ")
    sender = str(mail.header.get("from", "") or "").strip()
    return (
        sender.startswith('"InterScan MSS"')
        or sender.startswith('"InterScan Notification"')
        or mail.subject in _SUBJECTS
    )


def decode(mail: Mail) -> Result | None:
    notice = re.split(r"^Content-type: message/rfc822", mail.body, maxsplit=1, flags=re.M | re.I)
    hits: list[Hit] = []
    for line in notice[0].split("\n"):
        found = _ADDRESS.search(line) or _UNABLE.search(line)
        new = found is not None and (not hits or hits[-1].recipient != found.group(1))
        if found and new and is_address(found.group(1)):
            hits.append(Hit(recipient=found.group(1)))
        if not hits:
            continue
        hit = hits[-1]
        sent = _SENT.match(line)
        received = _RECEIVED.match(line)
        if sent:
            hit.command = sent.group(1)
        elif received:
            hit.diagnosis = squash(received.group(1))
        else:
            command = _OTHER_COMMAND.search(line)
            reply = _OTHER_REPLY.search(line)
            if command:
                hit.command = command.group(1)
            if reply:
                hit.diagnosis = squash(reply.group(1))
    for hit in hits:
        if not hit.diagnosis:
            # Only the summary line names this recipient: the relay refused the address.
            hit.diagnosis = f"Unable to deliver message to <{hit.recipient}>"
            hit.reason = "userunknown"
    return Result(hits=hits, decoder=NAME) if hits else None
