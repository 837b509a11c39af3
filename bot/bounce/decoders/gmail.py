"""Gmail's old plain-text notices ("Delivery to the following recipient failed permanently")."""

from __future__ import annotations

import re

from bot.bounce.codes import ADDRESS, find_status
from bot.bounce.decoders.base import Hit, Result, split_original
from bot.bounce.decoders.textscan import join
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail
from bot.bounce.reasons import status_reason

NAME = "Gmail"
_START = lazy(
    r"Delivery to the following recipients? (?:failed permanently|has been delayed|"
    r"failed|was unsuccessful)[^\n]*:",
    re.I,
)
_DETAILS = lazy(r"Technical details of (?:permanent|temporary) failure:\s*", re.I)
_STATE = lazy(r"\((SENT_\w+|[A-Z_]{4,})\)")
# Gmail's own wording and the SMTP state it failed in, as Sisimai maps them.
_MESSAGES = {
    "expired": lazy(
        r"dns error: could not contact dns servers|"
        r"delivery to the following recipient has been delayed|"
        r"the recipient server did not accept our requests to connect",
        re.I,
    ),
    "hostunknown": lazy(
        r"dns error: domain name not found|dns error: dns server returned answer with no data",
        re.I,
    ),
}
_STATES = {
    "SENT_HELO": ("EHLO", "blocked"),
    "SENT_MAIL": ("MAIL", ""),
    "SENT_RCPT": ("RCPT", ""),
    "SENT_DATA": ("DATA", ""),
}


def match(mail: Mail) -> bool:
    # Only Gmail's own notices: the same wording relayed by other systems is left to the
    # generic readers, which see the whole text.
    sender = str(mail.header.get("from", "") or "")
    return "<mailer-daemon@googlemail.com>" in sender and (
        "Delivery Status Notification" in mail.subject
    )


# Gmail's "(state N)" codes: the SMTP command it was at and what the failure there means.
_STATE_NUMBERS = {
    "6": ("MAIL", "systemerror"),
    "8": ("AUTH", "systemerror"),
    "9": ("AUTH", "systemerror"),
    "12": ("AUTH", "norelaying"),
    "13": ("EHLO", "blocked"),
    "14": ("RCPT", "userunknown"),
    "15": ("DATA", "filtered"),
    "17": ("DATA", "filtered"),
    "18": ("DATA", "filtered"),
}
_STATE_NUMBER = lazy(r"\(state (\d+)\)\.")
_ADDRESS_LINE = lazy(r"^[ \t]+([^ ]+@[^ ]+)$")
_CUT = lazy(r"^ *----- (?:Original message|Message header follows) -----", re.M)


def decode(mail: Mail) -> Result | None:
    cut = _CUT.search(mail.body)
    notice = mail.body[: cut.start()] if cut else split_original(mail.body)[0]
    start = _START.search(notice)
    if not start:
        return None
    # Every line from "Delivery to the following recipient" on is the diagnostic of the
    # address listed last before it (the lines before the first address go to the first).
    records: list[list[str]] = [[]]
    addresses: list[str] = []
    line_start = notice.rfind("\n", 0, start.start()) + 1
    for line in notice[line_start:].split("\n"):
        if not line:
            continue
        found = _ADDRESS_LINE.match(line)
        if found and ADDRESS.fullmatch(found.group(1).strip("<>.")):
            if addresses:
                records.append([])
            addresses.append(found.group(1).strip("<>."))
            continue
        records[-1].append(line)
    if not addresses:
        return None
    delayed = "delayed" in start.group(0).lower() or "temporary failure" in notice.lower()
    hits: list[Hit] = []
    for address, lines in zip(addresses, records, strict=False):
        diagnosis = join(lines)
        hit = Hit(recipient=address, diagnosis=diagnosis)
        number = _STATE_NUMBER.search(diagnosis)
        state = _STATE.search(diagnosis)
        if number and number.group(1) in _STATE_NUMBERS:
            hit.command, hit.reason = _STATE_NUMBERS[number.group(1)]
        elif state and state.group(1) in _STATES:
            hit.command, hit.reason = _STATES[state.group(1)]
        else:
            for reason, pattern in _MESSAGES.items():
                if pattern.search(diagnosis):
                    hit.reason = reason
                    break
        if hit.reason:
            # A status code in the text overrides the reason when it is a specific one.
            status = find_status(diagnosis)
            if re.fullmatch(r"[45]\.[1-7]\.[1-9]", status):
                hit.status = status
                hit.reason = status_reason(status)
        if delayed:
            hit.action = "delayed"
        hits.append(hit)
    return Result(hits=hits, decoder=NAME)
