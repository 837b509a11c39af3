"""Errors written by a local delivery agent (dovecot, mail.local, procmail, maildrop, vpopmail,
vmailmgr) into a notice that a generic reader decoded: the agent's own line names the reason."""

from __future__ import annotations

import re

from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

_SENDER = lazy(r"^(?:mail delivery subsystem|mailer-daemon|postmaster)", re.I)
_AGENTS = (
    ("dovecot", lazy(r"^Your message to [^ ]+ was automatically rejected:$")),
    ("mail.local", lazy(r"^mail\.local: ")),
    ("procmail", lazy(r"^procmail: ")),
    ("maildrop", lazy(r"^maildrop: ")),
    ("vpopmail", lazy(r"^vdelivermail: ")),
    ("vmailmgr", lazy(r"^vdeliver: ")),
)
_MESSAGES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "dovecot": (
        ("userunknown", ("mailbox doesn't exist: ",)),
        ("mailboxfull", ("quota exceeded", "not enough disk space")),
    ),
    "mail.local": (
        (
            "userunknown",
            (
                ": unknown user:",
                ": user unknown",
                ": invalid mailbox path",
                ": user missing home directory",
            ),
        ),
        ("mailboxfull", ("disc quota exceeded", "mailbox full or quota exceeded")),
        ("systemerror", ("temporary file write error",)),
    ),
    "procmail": (
        ("mailboxfull", ("quota exceeded while writing",)),
        ("systemfull", ("no space left to finish writing",)),
    ),
    "maildrop": (
        ("userunknown", ("invalid user specified.", "cannot find system user")),
        ("mailboxfull", ("maildir over quota.",)),
    ),
    "vpopmail": (
        ("userunknown", ("sorry, no mailbox here by that name.",)),
        (
            "filtered",
            ("account is locked email bounced", "user does not exist, but will deliver to "),
        ),
        ("mailboxfull", ("domain is over quota", "user is over quota")),
    ),
    "vmailmgr": (
        (
            "userunknown",
            (
                "invalid or unknown base user or domain",
                "invalid or unknown virtual user",
                "user name does not refer to a virtual user",
            ),
        ),
        ("mailboxfull", ("delivery failed due to system quota violation",)),
    ),
}


def inquire(mail: Mail) -> tuple[str, str, str] | None:
    """(agent, reason, message line) when a delivery agent wrote the error, else None."""
    if not _SENDER.match(mail.sender) or not mail.body:
        return None
    agent = ""
    lines: list[str] = []
    for line in mail.body.split("\n"):
        if not agent:
            if not line:
                continue
            for name, pattern in _AGENTS:
                if pattern.match(line):
                    agent = name
                    break
            if not agent:
                continue
        lines.append(line)
        if not line:
            break
    if not agent:
        return None
    for reason, phrases in _MESSAGES[agent]:
        for line in lines:
            low = line.lower()
            if any(p in low for p in phrases):
                return agent, reason, line
    return agent, "", ""
