"""Last resort: a bounce-looking message no decoder claimed.

Takes the addresses that the notification text (not the returned message) names, with the
paragraph around each as the diagnostic. Gated on the message looking like a bounce, so an
ordinary reply that quotes an address is not turned into a failure.
"""

from __future__ import annotations

import re

from bot.bounce.codes import ADDRESS
from bot.bounce.decoders.base import Hit, Result, find_command, split_original
from bot.bounce.decoders.rfc3464 import text_reports
from bot.bounce.mail import Mail

NAME = "Fallback"

BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery (?:status notification|failure|failed|problem)|"
    r"failure notice|returned mail|mail delivery|non[- ]?delivery|could not be delivered|"
    r"not delivered|delivery notification|rejected|mail failure|failed mail|message status|"
    r"bounce|nondeliverable|warning: message|delayed mail|delivery report",
    re.I,
)
BOUNCE_SENDER = re.compile(r"mailer-daemon|postmaster|mail delivery|mdaemon|mailerdaemon", re.I)
_SKIP_LOCAL = re.compile(r"^(?:mailer-daemon|postmaster|root|abuse|noreply|no-reply)$", re.I)
_BLANKS = re.compile(r"\n[ \t]*\n")


def looks_bounced(mail: Mail) -> bool:
    return bool(BOUNCE_SUBJECT.search(mail.subject) or BOUNCE_SENDER.search(mail.sender))


def match(mail: Mail) -> bool:
    if mail.fragment:
        from bot.bounce.detect import looks_like_bounce

        return looks_like_bounce(mail.body)
    return looks_bounced(mail)


def decode(mail: Mail) -> Result | None:
    notice, _ = split_original(mail.body)
    hits: list[Hit] = []
    reports = text_reports(notice)
    if reports:
        for address, (text, command) in reports.items():
            hits.append(Hit(recipient=address, diagnosis=text, command=command))
        return Result(hits=hits, decoder=NAME)
    sender = ADDRESS.search(mail.sender)
    sender_addr = sender.group(0).lower() if sender else ""
    seen: set[str] = set()
    for paragraph in _BLANKS.split(notice[:20000]):
        for m in ADDRESS.finditer(paragraph):
            address = m.group(0).strip(".")
            low = address.lower()
            if low in seen or low == sender_addr:
                continue
            if _SKIP_LOCAL.match(low.partition("@")[0]):
                continue
            seen.add(low)
            text = " ".join(paragraph.split())
            hits.append(Hit(recipient=address, diagnosis=text, command=find_command(text)))
        if len(hits) > 50:
            break
    if not hits and mail.fragment:
        # A pasted diagnostic with a code but no address still deserves a record.
        text = " ".join(notice.split())[:2000]
        hits.append(Hit(recipient="", diagnosis=text, command=find_command(text)))
    if not hits:
        return None
    return Result(hits=hits, decoder=NAME)
