"""Mail.Ru: Exim notices from *.mail.ru, with a Russian preface before the English text.

The Exim reader declines senders at mail.ru (the Russian preface and the Mail.Ru message IDs
upset its heuristics), so this module gates on all three of Mail.Ru's marks (sender, message
ID, an Exim subject) and then reads the English part the way the Exim reader does. When no
address line survives, X-Failed-Recipients still names the recipients.
"""

from __future__ import annotations

from bot.bounce.codes import clean_address, is_address
from bot.bounce.decoders import exim
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import header
from bot.bounce.mail import Mail

NAME = "MailRu"
_START = "This message was created automatically by mail delivery software."


def match(mail: Mail) -> bool:
    sender = mail.sender.lower()
    msgid = header(mail, "message-id")
    return (
        "mailer-daemon@" in sender
        and "mail.ru" in sender
        and (".mail.ru>" in msgid or "smailru.net>" in msgid)
        and any(s in mail.subject for s in exim.SUBJECTS)
    )


def decode(mail: Mail) -> Result | None:
    at = mail.body.find(_START)
    if at > 0:
        # Drop the Russian preface so the Exim reader starts at the English notice (on a copy:
        # the decoders tried after this one must see the message as it was).
        mail = mail.replace(body=mail.body[at:])
    result = exim.decode(mail)
    if result is None or not result.hits:
        hits = [
            Hit(recipient=clean_address(p))
            for p in header(mail, "x-failed-recipients").split(",")
            if is_address(clean_address(p))
        ]
        if not hits:
            return None
        result = Result(hits=hits, decoder=NAME)
    result.decoder = NAME
    return result
