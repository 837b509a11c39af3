"""Apache James: "[BOUNCE]" notices from its notify mailets.

The error comes first ("Error message below:"), then "Message details:" with the envelope
("  RCPT TO: addr"), so the recipient is read from the details and the text between the two
headings is the diagnostic.
"""

from __future__ import annotations

from bot.bounce.codes import clean_address, is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import pasted, received, squash
from bot.bounce.mail import Mail

NAME = "ApacheJames"
_ERROR = "Error message below:"
_DETAILS = "Message details:"


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, _ERROR, _DETAILS, "  RCPT TO: ")
    marked = (
        mail.subject == "[BOUNCE]"
        or ".JavaMail." in str(mail.header.get("message-id", "") or "")
        or any("JAMES SMTP Server" in r for r in received(mail))
    )
    return marked and _DETAILS in mail.body and "  RCPT TO: " in mail.body


def decode(mail: Mail) -> Result | None:
    head, _, details = mail.body.partition(_DETAILS)
    at = head.find(_ERROR)
    diagnosis = squash(head[at + len(_ERROR) :] if at >= 0 else "")
    hits: list[Hit] = []
    for line in details.split("\n"):
        if line.startswith("  RCPT TO: "):
            address = clean_address(line[11:])
            if is_address(address):
                hits.append(Hit(recipient=address, diagnosis=diagnosis))
        elif line.startswith("Content-Type:"):
            break
    return Result(hits=hits, decoder=NAME) if hits else None
