"""Mimecast: "[Postmaster] Email Delivery Failure".

Mimecast writes each fact on a line starting with "-- ": first the address, then "the problem
appears to be", then the remote reply. Only the lines after the notice's opening sentence are
read, so a quoted signature separator ("-- ") in the returned message is never taken.
"""

from __future__ import annotations

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result, hits_from_dsn
from bot.bounce.decoders.formatkit import from_first, header, pasted, squash
from bot.bounce.mail import Mail

NAME = "Mimecast"
_STARTS = (
    "An email that you attempted to send to the following address",
    "could not be delivered",
)


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, _STARTS[0], "\n-- ")
    return "Email Delivery Failure" in mail.subject or ".mimecast.lan>" in header(
        mail, "message-id"
    )


def decode(mail: Mail) -> Result | None:
    notice = from_first(mail.body, _STARTS)
    if notice is None:
        return None
    hits: list[Hit] = []
    texts: list[list[str]] = []
    for raw in notice.split("\n"):
        if raw.startswith("Content-Type:") or raw.startswith("Received:"):
            break
        if not raw.startswith("-- "):
            continue
        value = raw[3:].strip()
        if " " not in value and is_address(value.strip("<>")):
            hits.append(Hit(recipient=value.strip("<>")))
            texts.append([])
        elif hits:
            texts[-1].append(value)
    if not hits:
        return None
    dsn, per_message = hits_from_dsn(mail.dsn_blocks)
    by_address = {h.recipient.lower(): h for h in dsn}
    for hit, text in zip(hits, texts, strict=True):
        hit.diagnosis = squash(" ".join(text))
        field = by_address.get(hit.recipient.lower())
        if field is not None:
            hit.status = field.status
            hit.rhost = field.rhost
            hit.diagnosis = hit.diagnosis or field.diagnosis
        hit.lhost = per_message.get("reporting-mta", "").partition(";")[2].strip()
    return Result(hits=hits, decoder=NAME)
