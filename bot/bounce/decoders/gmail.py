"""Gmail's old plain-text notices ("Delivery to the following recipient failed permanently")."""

from __future__ import annotations

import re

from bot.bounce.codes import ADDRESS
from bot.bounce.decoders.base import Hit, Result, split_original
from bot.bounce.decoders.textscan import join
from bot.bounce.mail import Mail

NAME = "Gmail"
_START = re.compile(
    r"Delivery to the following recipients? (?:failed permanently|has been delayed|"
    r"failed|was unsuccessful)[^\n]*:",
    re.I,
)
_DETAILS = re.compile(r"Technical details of (?:permanent|temporary) failure:\s*", re.I)
_STATE = re.compile(r"\((SENT_\w+|[A-Z_]{4,})\)")
# Gmail's own wording and the SMTP state it failed in, as Sisimai maps them.
_MESSAGES = {
    "expired": re.compile(
        r"dns error: could not contact dns servers|"
        r"delivery to the following recipient has been delayed|"
        r"the recipient server did not accept our requests to connect",
        re.I,
    ),
    "hostunknown": re.compile(
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
    return bool(_START.search(mail.body[:5000])) or bool(_DETAILS.search(mail.body[:5000]))


def decode(mail: Mail) -> Result | None:
    notice, _ = split_original(mail.body)
    start = _START.search(notice)
    if not start:
        return None
    rest = notice[start.end() :]
    details = _DETAILS.search(rest)
    head = rest[: details.start()] if details else rest[:2000]
    addresses = [m.group(0).strip(".") for m in ADDRESS.finditer(head)]
    if not addresses:
        return None
    diag_text = rest[details.end() :] if details else ""
    diag_lines = []
    for line in diag_text.split("\n"):
        if line.strip().startswith("----- ") or line.startswith("Received:"):
            break
        diag_lines.append(line)
    diagnosis = join(diag_lines)
    delayed = "delayed" in start.group(0).lower() or "temporary failure" in rest.lower()
    hits: list[Hit] = []
    for address in dict.fromkeys(addresses):
        hit = Hit(recipient=address, diagnosis=diagnosis)
        state = _STATE.search(diagnosis)
        if state and state.group(1) in _STATES:
            hit.command, hit.reason = _STATES[state.group(1)]
        for reason, pattern in _MESSAGES.items():
            if pattern.search(diagnosis):
                hit.reason = reason
                break
        if delayed:
            hit.action = "delayed"
        hits.append(hit)
    return Result(hits=hits, decoder=NAME)
