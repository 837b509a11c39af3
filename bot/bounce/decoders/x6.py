"""Unknown MTA "X6": "There was an error sending your mail" (a webmail-style notice).

Each error is a sentence naming the remote server and the recipient ("SMTP Server <host>
rejected recipient <addr> (Error following RCPT command). It responded as follows: [...]"),
so the command and the reply are both in that sentence and its wrapped continuation.
"""

from __future__ import annotations

from bot.bounce.codes import clean_address, is_address
from bot.bounce.decoders.base import Hit, Result, find_command
from bot.bounce.decoders.formatkit import between, pasted, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "X6"
_START = "We had trouble delivering your message. Full details follow:"
_END = "The attachment contains the original mail headers"
_SERVER = lazy(r"^SMTP Server <([^<>]+)> rejected recipient <([^<>\s]+)>")
_PERMANENT = "The following recipients returned permanent errors: "


def match(mail: Mail) -> bool:
    if mail.fragment:
        return pasted(mail, _START)
    return mail.subject.startswith("There was an error sending your mail") and (
        _START in mail.body[:4000]
    )


def decode(mail: Mail) -> Result | None:
    notice = between(mail.body, _START, _END)
    if notice is None:
        return None
    hits: list[Hit] = []
    texts: list[list[str]] = []
    continued = False
    for line in notice.split("\n"):
        server = _SERVER.match(line)
        address = ""
        if server:
            address = server.group(2)
        elif line.startswith(_PERMANENT):
            address = clean_address(line[len(_PERMANENT) :].split(" ", 1)[0].rstrip("."))
        if address and is_address(address):
            hits.append(Hit(recipient=address, rhost=server.group(1) if server else ""))
            texts.append([line])
            continued = True
        elif continued and line.startswith(" ") and line.strip():
            texts[-1].append(line)
        else:
            continued = False
    for hit, text in zip(hits, texts, strict=True):
        hit.diagnosis = squash(" ".join(text)).replace("[", "").replace("]", "")
        hit.command = find_command(hit.diagnosis) or (
            "RCPT" if "following RCPT command" in hit.diagnosis else ""
        )
    records = hits
    return Result(hits=records, decoder=NAME) if records else None
