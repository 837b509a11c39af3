"""fml mailing-list manager: the list's own refusals (not a member, loop, spam), from
"<list>-admin@" with an X-MLServer header and an ".FML" message ID.

These are rejections by the list, not by an MTA, and carry no SMTP code; the sentence (or
failing that the subject) is the only statement of the reason, so both are mapped here.
"""

from __future__ import annotations

from bot.bounce.codes import clean_address, is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import header, reason_from, squash
from bot.bounce.mail import Mail

NAME = "FML"
_END = "Original mail as follows:"
_TEXTS = (
    (
        "rejected",
        (
            " header may cause mail loop",
            "NOT MEMBER article from ",
            "reject mail from ",
            "reject spammers:",
            "You are not a member of this mailing list",
        ),
    ),
    (
        "systemerror",
        (" has detected a loop condition so that", "Duplicated Message-ID", "Loop Back Warning:"),
    ),
    ("securityerror", ("Security alert:",)),
)
_SUBJECTS = (
    (
        "rejected",
        (
            " are not member",
            "NOT MEMBER article from ",
            "reject mail ",
            "Spam mail from a spammer is rejected",
        ),
    ),
    (
        "systemerror",
        (
            "fml system error message",
            "Loop Alert: ",
            "Loop Back Warning: ",
            "WARNING: UNIX FROM Loop",
        ),
    ),
    ("securityerror", ("Security Alert",)),
)


def match(mail: Mail) -> bool:
    return (
        bool(header(mail, "x-mlserver"))
        and "-admin@" in mail.sender
        and ".FML" in header(mail, "message-id")
    )


def decode(mail: Mail) -> Result | None:
    notice = mail.body.split(_END, 1)[0]
    hits: list[Hit] = []
    for line in notice.split("\n"):
        if not line.strip():
            continue
        start, end = line.find("<"), line.rfind(">")
        address = clean_address(line[start + 1 : end]) if 0 < start < end else ""
        if address and is_address(address):
            hits.append(Hit(recipient=address, diagnosis=line))
        elif hits:
            hits[-1].diagnosis += " " + line
    for hit in hits:
        hit.diagnosis = squash(hit.diagnosis)
        hit.reason = reason_from(hit.diagnosis, _TEXTS) or reason_from(mail.subject, _SUBJECTS)
    return Result(hits=hits, decoder=NAME) if hits else None
