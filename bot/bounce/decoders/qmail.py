"""qmail and its clones (netqmail, notqmail, vpopmail setups): "failure notice" from qmail-send.

After "Hi. This is the qmail-send program", each failed address is a line `<address>:` and the
lines below it are its diagnostic: qmail-remote's own sentence ("... does not like recipient.",
"... failed after I sent the message.") names the SMTP stage, and "Remote host said:" carries
the remote server's reply. The wording comes from qmail's source (qmail-remote.c, qmail-send.c,
qmail-local.c) and the LDAP patch; the reasons it maps to follow the reference parser.
"""

from __future__ import annotations

from bot.bounce.codes import find_status
from bot.bounce.decoders.base import Hit, Result, sisimai_command
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "qmail"
_RECEIVED = lazy(r"\(qmail .*invoked (?:for bounce\)|from .*network\))")
_START = "Hi. This is the qmail"
_CUT = "--- Below this line is a copy of the message."
_RECIPIENT = lazy(r"^<[^>]*@[^>]*>.*:")
_RHOST = ("Giving up on ", "Connected to ", "remote host ")
_COMMANDS = (
    ("CONN", (" but greeting failed.",)),
    ("EHLO", (" but my name was rejected.",)),
    ("MAIL", (" but sender was rejected.",)),
    ("RCPT", (" does not like recipient.",)),
    ("DATA", (" failed on DATA command", " failed after I sent the message")),
)
_EXPIRED = "this message has been in the queue too long."
_ONHOLD = lazy(r" does not like recipient\..*this message has been in the queue too long\.")
_MESSAGES = (
    ("userunknown", ("no mailbox here by that name", "does not like recipient.")),
    ("mailboxfull", ("disk quota exceeded",)),
    ("mesgtoobig", ("Message size exceeds fixed maximum message size:",)),
    ("hostunknown", ("Sorry, I couldn't find any host ",)),
    ("systemfull", ("Requested action not taken: mailbox unavailable (not enough free space)",)),
    ("systemerror", ("bad interpreter: No such file or directory", "system error", "Unable to")),
    ("notaccept", ("Sorry, I couldn't find a mail exchanger or IP address",)),
    (
        "networkerror",
        (
            "Sorry, I wasn't able to establish an SMTP connection",
            "Sorry. Although I'm listed as a best-preference MX or A for that host",
        ),
    ),
)
# qmail-ldap's messages.
_LDAP = (
    (
        "suspend",
        (
            "Mailaddress is administrativly disabled",
            "Mailaddress is administrately disabled",
            "Mailaddress is administratively disabled",
        ),
    ),
    ("userunknown", ("Sorry, no mailbox here by that name",)),
    ("exceedlimit", ("The message exeeded the maximum size the user accepts",)),
    (
        "systemerror",
        (
            "Automatic homedir creator crashed",
            "Illegal value in LDAP attribute",
            "LDAP attribute is not given but mandatory",
            "Timeout while performing search on LDAP server",
            "Too many results returned but needs to be unique",
            "Permanent error while executing qmail-forward",
            "Temporary error in automatic homedir creation",
            "Temporary error while executing qmail-forward",
            "Temporary failure in LDAP lookup",
            "Unable to contact LDAP server",
            "Unable to login into LDAP server, bad credentials",
        ),
    ),
)


def match(mail: Mail) -> bool:
    if mail.subject == "failure notice":
        return True
    received = mail.header.get_all("received") or []
    return any(_RECEIVED.search(" ".join(str(r).split())) for r in received)


def _first(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    for reason, phrases in table:
        if any(p in text for p in phrases):
            return reason
    return ""


def decode(mail: Mail) -> Result | None:
    cut = mail.body.find(_CUT)
    notice = mail.body[:cut] if cut >= 0 else mail.body
    hits: list[Hit] = []
    lines: list[list[str]] = []
    remote: list[str] = []
    reply: list[str] = []
    reading = False
    for line in notice.split("\n"):
        if not reading:
            reading = line.startswith(_START)
            continue
        if not line:
            continue
        if _RECIPIENT.match(line):
            address = line[1 : line.index(">")].strip()
            hits.append(Hit(recipient=address))
            lines.append([])
            remote.append("")
            reply.append("")
            continue
        if not hits:
            continue
        lines[-1].append(line)
        if line.startswith("Remote host said:"):
            reply[-1] = line
        if not remote[-1]:
            for marker in _RHOST:
                at = line.find(marker)
                if at == -1:
                    continue
                rest = line[at + len(marker) :]
                remote[-1] = rest.split(" ", 1)[0].rstrip(".") if rest else ""
                break
    for hit, text, host, said in zip(hits, lines, remote, reply, strict=True):
        diagnosis = " ".join(" ".join(text).split())
        hit.diagnosis = diagnosis
        hit.rhost = host
        for command, phrases in _COMMANDS:
            if any(diagnosis.find(p) > 0 for p in phrases):
                hit.command = command
                break
        if not hit.command and "Sorry, no SMTP connection got far enough; most progress was " in (
            diagnosis
        ):
            hit.command = sisimai_command(diagnosis)
        if hit.command == "EHLO":
            hit.reason = "blocked"
        elif _ONHOLD.search(diagnosis):
            hit.reason = "onhold"
        else:
            # The remote server's own reply, when there is one, is what the table is read on.
            hit.reason = _first(said, _MESSAGES) if said else _first(diagnosis, _MESSAGES)
            hit.reason = hit.reason or _first(diagnosis, _LDAP)
            if not hit.reason and _EXPIRED in diagnosis:
                hit.reason = "expired"
        hit.command = hit.command or sisimai_command(diagnosis)
        hit.status = find_status(diagnosis)
    hits = [h for h in hits if h.recipient]
    return Result(hits=hits, decoder=NAME) if hits else None
