"""IBM (Lotus) Domino: "DELIVERY FAILURE: ..." notices.

The text says "Your message ... was not delivered to: <address> because: <reason>"; Domino's
own reasons (not in the directory, several matches) are mapped here, and the fields of the
delivery-status part, when there is one, belong to the last address.
"""

from __future__ import annotations

from bot.bounce.decoders.base import Hit, Result
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail
from bot.bounce.reasons import pseudo_status

NAME = "Domino"
_SUBJECT = lazy(r"^DELIVERY(?: |_)FAILURE:")
_ADDRESS = lazy(r"^  ([^ ]+@[^ ]+)$")
_MESSAGES = (
    (
        "userunknown",
        (
            "not listed in Domino Directory",
            "not listed in public Name & Address Book",
            "non répertorié dans l'annuaire Domino",
            "Domino ディレクトリには見つかりません",
        ),
    ),
    ("filtered", ("Cannot route mail to user",)),
    ("systemerror", ("Several matches found in Domino Directory",)),
)


def match(mail: Mail) -> bool:
    return bool(_SUBJECT.match(mail.subject))


def decode(mail: Mail) -> Result | None:
    hits: list[Hit] = []
    reading = False
    waiting = False  # the line after "because:" is the reason
    for line in mail.body.split("\n"):
        if not reading:
            reading = line.startswith("Your message")
            continue
        if not line:
            continue
        if line == "was not delivered to:":
            hits.append(Hit())
        elif hits and _ADDRESS.match(line):
            hits[-1].recipient = line.strip().strip("<>")
        elif hits and line == "because:":
            waiting = True
        elif hits and waiting:
            hits[-1].diagnosis = " ".join(line.split())
            waiting = False
    hits = [h for h in hits if h.recipient]
    if not hits:
        return None
    last = hits[-1]
    for block in mail.dsn_blocks:
        if block.get("status"):
            last.status = block["status"].split()[0]
        if block.get("action"):
            last.action = block["action"].split()[0].lower()
        if not last.diagnosis and block.get("diagnostic-code"):
            last.diagnosis = block["diagnostic-code"].partition(";")[2].strip()
    for hit in hits:
        for reason, phrases in _MESSAGES:
            if any(p in hit.diagnosis for p in phrases):
                hit.reason = reason
                hit.status = hit.status or pseudo_status(reason, False)
                break
    return Result(hits=hits, decoder=NAME)
