"""Oracle (Sun Java System) Messaging Server and PMDF: "Delivery Notification: ..." reports.

"Recipient address:" opens a record and "Original address:" (the address the sender used)
replaces it; "Reason:" is the diagnostic, and a status field written as `5.0.0 (text)` gives
both the status and, when no reason was given, the text.
"""

from __future__ import annotations

from bot.bounce.decoders.base import Hit, Result
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "MessagingServer"
_START = "This report relates to a message you sent with the following header fields:"
_RECIPIENT = lazy(r"^[ \t]+Recipient address:[ \t]*([^ ]+@[^ ]+)$")
_ORIGINAL = lazy(r"^[ \t]+Original address:[ \t]*([^ ]+@[^ ]+)$")
_REASON = lazy(r"^[ \t]+Reason:[ \t]*(.+)$")
_DIAGNOSTIC = lazy(r"^[ \t]+Diagnostic code:[ \t]*([^ ]+);(.+)$")
_REMOTE = lazy(r"^[ \t]+Remote system:[ \t]*dns;([^ ]+)")
_STATUS = lazy(r"^(\d\.\d\.\d)[ \t]*\((.+)\)$")


def match(mail: Mail) -> bool:
    ctype = str(mail.header.get("content-type", "") or "")
    return "Boundary_(ID_" in ctype or mail.subject.startswith("Delivery Notification: ")


def decode(mail: Mail) -> Result | None:
    hits: list[Hit] = []
    reading = False
    for line in mail.body.split("\n"):
        if not reading:
            reading = line.startswith(_START)
            continue
        if not line:
            continue
        if m := _RECIPIENT.match(line):
            hits.append(Hit(recipient=m.group(1).strip("<>")))
        elif not hits:
            continue
        elif m := _ORIGINAL.match(line):
            hits[-1].recipient = m.group(1).strip("<>")
        elif m := _REASON.match(line):
            hits[-1].diagnosis = m.group(1)
        elif m := _DIAGNOSTIC.match(line):
            hits[-1].spec = m.group(1).upper()
            hits[-1].diagnosis = m.group(2)
        elif m := _REMOTE.match(line):
            hits[-1].rhost = m.group(1)
    if not hits:
        return None
    last = hits[-1]
    for block in mail.dsn_blocks:
        status = _STATUS.match(block.get("status", "").strip())
        if status:
            last.status = status.group(1)
            last.diagnosis = last.diagnosis or status.group(2)
        if block.get("reporting-mta") and not last.lhost:
            last.lhost = block["reporting-mta"].partition(";")[2].strip()
    for hit in hits:
        hit.diagnosis = " ".join(hit.diagnosis.split())
        if "Illegal host/domain name found" in hit.diagnosis:
            hit.reason = "hostunknown"
    return Result(hits=hits, decoder=NAME)
