"""Yahoo! Mail: "Sorry, we were unable to deliver your message to the following address.".

A qmail-like notice ("<addr>:" then "Remote host said: ...") recognised by Yahoo's own
X-YMailISG header; the bracketed state at the end of the reply ("[RCPT_TO]") names the SMTP
command, which the reply text alone does not.
"""

from __future__ import annotations

from bot.bounce.codes import is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import cut, header, pasted, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "Yahoo"
_START = "Sorry, we were unable to deliver your message"
_ENDS = ("--- Below this line is a copy of the message.",)
_RECIPIENT = lazy(r"^<([^<>\s]+@[^<>\s]+)>:\s*(.*)$")
_STATE = lazy(r"\[(RCPT_TO|MAIL_FROM|DATA|EHLO|HELO|BODY)\]")
_STATES = {"RCPT_TO": "RCPT", "MAIL_FROM": "MAIL", "DATA": "DATA", "BODY": "DATA"}


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, _START, "Remote host said:")
    if _START not in mail.body[:4000]:
        return False
    return bool(header(mail, "x-ymailisg")) or "yahoo" in mail.sender.lower()


def decode(mail: Mail) -> Result | None:
    at = mail.body.find(_START)
    if at < 0:
        return None
    notice = cut(mail.body[at:], _ENDS)
    hits: list[Hit] = []
    lines: list[list[str]] = []
    for raw in notice.split("\n")[1:]:
        line = raw.strip()
        if not line:
            continue
        found = _RECIPIENT.match(line)
        if found and is_address(found.group(1)):
            hits.append(Hit(recipient=found.group(1)))
            lines.append([found.group(2)] if found.group(2) else [])
        elif hits:
            lines[-1].append(line)
    for hit, text in zip(hits, lines, strict=True):
        diagnosis = squash(" ".join(text))
        state = _STATE.search(diagnosis)
        if state:
            hit.command = _STATES.get(state.group(1), state.group(1))
            diagnosis = squash(diagnosis.replace(state.group(0), ""))
        hit.diagnosis = diagnosis.removeprefix("Remote host said:").strip()
        if not hit.command and f"<{hit.recipient}>" in hit.diagnosis:
            hit.command = "RCPT"
    return Result(hits=hits, decoder=NAME) if hits else None
