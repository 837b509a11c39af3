"""Courier MTA: "NOTICE: mail delivery status." / "WARNING: delayed mail.".

Courier's text part is a small transcript per recipient ("<addr>:", the remote host, then
">>> RCPT TO:..." and "<<< 550 ..."), which names the failing command; its DSN part names the
recipients and status. Both are read. Courier's own DNS messages ("No such domain.") carry no
SMTP code, so they are mapped to reasons here.
"""

from __future__ import annotations

from bot.bounce.codes import is_address
from bot.bounce.decoders import rfc3464
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import header, pasted, reason_from, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "Courier"
_SUBJECT = lazy(r"NOTICE: mail delivery status\.|WARNING: delayed mail\.")
_MSGID = lazy(r"^\s*<courier\.[0-9A-F]+\.")
_STARTS = ("UNDELIVERABLE MAIL", "DELAYS IN DELIVERING YOUR MESSAGE")
_RECIPIENT = lazy(r"^<([^<>\s]+@[^<>\s]+)>:\s*$")
_HOST = lazy(r"^\s+([A-Za-z0-9.-]+\.[A-Za-z]{2,})\s+\[[0-9a-fA-F.:]+\]:\s*$")
_MESSAGES = (
    ("hostunknown", ("No such domain.",)),
    ("systemerror", ("This domain's DNS violates RFC 1035.",)),
    ("networkerror", ("DNS lookup failed.",)),
)


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, "running the Courier mail server")
    return bool(
        "Courier mail server at " in mail.sender
        or _SUBJECT.search(mail.subject)
        or _MSGID.match(header(mail, "message-id"))
    )


def _transcripts(body: str) -> dict[str, Hit]:
    """address -> what the per-recipient transcript of the text part says."""
    start = max((body.find(s) for s in _STARTS), default=-1)
    if start < 0:
        return {}
    found: dict[str, Hit] = {}
    current: Hit | None = None
    replies: list[str] = []
    for line in body[start:].split("\n"):
        if line.startswith("-----") and found:
            break
        recipient = _RECIPIENT.match(line)
        if recipient and is_address(recipient.group(1)):
            if current is not None:
                current.diagnosis = squash(" ".join(replies))
            current = Hit(recipient=recipient.group(1))
            found.setdefault(current.recipient.lower(), current)
            replies = []
            continue
        if current is None:
            continue
        host = _HOST.match(line)
        if host:
            current.rhost = host.group(1)
        elif line.startswith(">>> "):
            current.command = line[4:8].upper()
        elif line.startswith("<<< "):
            replies.append(line[4:])
        elif line.strip() and not line.startswith(" "):
            replies.append(line)
    if current is not None:
        current.diagnosis = squash(" ".join(replies))
    return found


def decode(mail: Mail) -> Result | None:
    texts = _transcripts(mail.body)
    hits: list[Hit] = []
    if mail.dsn_blocks:
        result = rfc3464.decode(mail)
        hits = result.hits if result else []
    if not hits:
        hits = list(texts.values())
    delayed = "DELAYS IN DELIVERING YOUR MESSAGE" in mail.body or "delayed mail" in mail.subject
    for hit in hits:
        text = texts.get(hit.recipient.lower())
        if text is not None and text is not hit:
            hit.command = hit.command or text.command
            hit.rhost = hit.rhost or text.rhost
            if len(text.diagnosis) > len(hit.diagnosis):
                hit.diagnosis = text.diagnosis
        hit.reason = hit.reason or reason_from(hit.diagnosis, _MESSAGES)
        if delayed and not hit.action:
            hit.action = "delayed"
    return Result(hits=hits, decoder=NAME) if hits else None
