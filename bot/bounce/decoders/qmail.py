"""qmail and its relatives (vpopmail, netqmail, X4): "<addr>:" paragraphs after a greeting."""

from __future__ import annotations

import re

from bot.bounce.decoders.base import Hit, Result, split_original
from bot.bounce.decoders.rfc3464 import text_reports
from bot.bounce.mail import Mail

NAME = "qmail"
_GREETING = re.compile(
    r"This is the qmail-send program|I'm afraid I wasn't able to deliver your message|"
    r"Hi\. This is the|unable to deliver your message to the following addresses|"
    r"could not be delivered to the following address",
    re.I,
)
_CUT = re.compile(
    r"^--- (?:Below this line is a copy of the message|Enclosed are the original)"
    r"|^--- Below this line",
    re.I | re.M,
)
_TABLE = (
    (
        "hostunknown",
        re.compile(
            r"Sorry, I couldn't find any host (?:named|by that name)|"
            r"no host by that name",
            re.I,
        ),
    ),
    (
        "expired",
        re.compile(
            r"I'm not going to try again; this message has been in the queue "
            r"too long|Unable to (?:deliver|forward) message after",
            re.I,
        ),
    ),
    (
        "networkerror",
        re.compile(
            r"Sorry, I wasn't able to establish an SMTP connection|"
            r"Sorry, I couldn't find a mail exchanger or IP address",
            re.I,
        ),
    ),
    (
        "systemerror",
        re.compile(
            r"Sorry, I wasn't able to|Sorry\. Although I'm listed as a best-"
            r"preference MX",
            re.I,
        ),
    ),
    ("mailboxfull", re.compile(r"disk quota exceeded|mailbox is full|over quota", re.I)),
    (
        "userunknown",
        re.compile(
            r"Sorry, no mailbox here by that name|No such user|"
            r"this address no longer accepts mail",
            re.I,
        ),
    ),
    ("mailererror", re.compile(r"Unable to (?:chdir|run) |child crashed|unable to fork", re.I)),
)


def match(mail: Mail) -> bool:
    return bool(_GREETING.search(mail.body[:3000])) and not mail.dsn_blocks


def decode(mail: Mail) -> Result | None:
    cut = _CUT.search(mail.body)
    notice = mail.body[: cut.start()] if cut else split_original(mail.body)[0]
    hits: list[Hit] = []
    for address, (text, command) in text_reports(notice).items():
        hit = Hit(recipient=address, diagnosis=text, command=command)
        low = text.lower()
        if "does not like recipient" in low:
            hit.command = hit.command or "RCPT"
        elif "didn't like the message" in low or "does not like the message" in low:
            hit.command = hit.command or "DATA"
        elif "does not like sender" in low:
            hit.command = hit.command or "MAIL"
        for reason, pattern in _TABLE:
            if pattern.search(text):
                hit.reason = reason
                break
        hits.append(hit)
    return Result(hits=hits, decoder=NAME) if hits else None
