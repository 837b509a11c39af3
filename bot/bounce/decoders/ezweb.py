"""au by KDDI (EZweb, ezweb.ne.jp / au.com): "Mail System Error - Returned Mail".

The notice is not a DSN and its sentences ("The user(s) account is disabled.") are the only
statement of the reason; they are often next to Japanese (ISO-2022-JP) lines, which are
skipped. The carrier rejects unknown users at RCPT, so a rejected RCPT means the user is
unknown, and a carrier filter ("X-SPASIGN: NG") means the message was filtered.
"""

from __future__ import annotations

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import cut, header, reason_from, received, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "EZweb"
_STARTS = ("The user(s) ", "Your message ", "Each of the following", "<")
_ENDS = ("-" * 50, "Content-Type: message/rfc822")
_RECIPIENT = lazy(r"^\s*(?:Recipient:\s*)?<([^<>\s]+@[^<>\s]+)>:?\s*(.*)$")
_MESSAGES = (
    ("mailboxfull", ("The user(s) account is temporarily over quota",)),
    (
        "suspend",
        ("The user(s) account is disabled.", "The user(s) account is temporarily limited."),
    ),
    ("expired", ("Your message was not delivered within ",)),
    ("onhold", ("Each of the following recipients was rejected by a remote mail server",)),
)
_PHRASES = tuple(p for _, phrases in _MESSAGES for p in phrases)


def match(mail: Mail) -> bool:
    sender = mail.sender.lower()
    msgid = header(mail, "message-id").strip()
    hops = received(mail)
    score = (
        ("postmaster@ezweb.ne.jp" in sender or "postmaster@au.com" in sender)
        + (mail.subject == "Mail System Error - Returned Mail")
        + any("ezweb.ne.jp (EZweb Mail) with" in r or ".au.com (" in r for r in hops)
        + (msgid.endswith(".ezweb.ne.jp>") or msgid.endswith(".au.com>"))
    )
    return score >= 2


def decode(mail: Mail) -> Result | None:
    hits: list[Hit] = []
    messages: list[list[str]] = []
    others: list[list[str]] = []
    started = False
    general: list[str] = []
    for line in cut(mail.body, _ENDS).split("\n"):
        if not started:
            started = any(s in line for s in _STARTS)
        if not started or not line.strip() or not line.isascii():
            continue
        found = _RECIPIENT.match(line)
        if found and is_address(found.group(1)):
            hits.append(Hit(recipient=found.group(1)))
            messages.append([])
            others.append([found.group(2)] if found.group(2) else [])
            continue
        if " >>> " in line or line.lstrip().startswith(">>> "):
            if hits:
                word = line.split(">>>", 1)[1].split()
                hits[-1].command = word[0].upper()[:4] if word else ""
            continue
        if any(p in line for p in _PHRASES):
            (messages[-1] if hits else general).append(line)
        elif hits:
            others[-1].append(line)
    if not hits:
        return None
    filtered = header(mail, "x-spasign").strip() == "NG"
    for hit, message, other in zip(hits, messages, others, strict=True):
        text = squash(" ".join(general + message))
        alternative = squash(" ".join(other))
        hit.diagnosis = text or alternative
        if filtered:
            hit.reason = "filtered"
        elif hit.command == "RCPT":
            hit.reason = "userunknown"
        else:
            hit.reason = reason_from(hit.diagnosis, _MESSAGES)
        domain = hit.recipient.rpartition("@")[2].lower()
        if not hit.reason and domain not in ("ezweb.ne.jp", "au.com"):
            hit.reason = "userunknown"
    return Result(hits=hits, decoder=NAME)
