"""Exchange Server 2007 and later, Exchange Online / Office 365: "Undeliverable: ..." NDRs.

The text part has a section "Diagnostic information for administrators:" naming the
generating server, then each recipient on a line of its own followed by the remote reply
("Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; ...'" or
"#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##"). That reply is more telling than the
DSN part's fields (often just "5.1.10" and no text), and the RESOLVER/QUEUE token in it names
the reason more precisely than the status code, so it is read even when a DSN part exists.
Exchange Online's own status codes (5.7.708, 5.4.316 ...) have a table of their own, shared
with the generic DSN reader.
"""

from __future__ import annotations

import re

from bot.bounce.codes import clean_address, find_status, is_address
from bot.bounce.decoders import rfc3464
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import cut, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "Exchange2007"
NAME_O365 = "Office365"

_ADMIN = lazy(
    r"^(?:Diagnostic information for administrators:|Diagnostische gegevens voor beheerders:|"
    r"Informa.{1,4}es de diagn.{1,3}stico para administradores:)",
    re.M,
)
_FAILED = lazy(
    r"^(?:Delivery has failed to these recipients or groups:|"
    r"Falha na entrega a estes destinat.{1,3}rios ou grupos:|"
    r"Uw bericht kan niet worden bezorgd bij de volgende geadresseerden of groepen:)",
    re.M,
)
_ENDS = (
    "\nOriginal message headers:",
    "\nOriginal Message Headers",
    "\nMessage Hops",
    "\nOorspronkelijke berichtkoppen:",
    "\nCabeçalhos originais da mensagem:",
)
_SERVER = lazy(r"^(?:Generating server|Bronserver|Servidor de origem):\s*(\S+)", re.M)
_RECEIVING = lazy(r"^Receiving server:\s*(\S+)", re.M)
_MAILTO = lazy(r"^\s*(\S+@\S+?)\s*(?:<mailto:[^>]+>|\(\S+@\S+\))?\s*$")
_REPLY = lazy(r"[45]\d\d[ -][45]\.\d{1,3}\.\d{1,3}")
_RETURNED = lazy(r"returned '(.+?)'?\s*$")
_TOKEN = lazy(r"((?:RESOLVER|QUEUE|SMTPSEND)\.[A-Za-z]+(?:\.\w+)?)")
# Exchange's categorised errors (the token after the status) and the reason each one means.
_TOKENS = {
    "SMTPSEND.DNS.NonExistentDomain": "hostunknown",
    "SMTPSEND.DNS.MxLoopback": "networkerror",
    "RESOLVER.ADR.BadPrimary": "systemerror",
    "RESOLVER.ADR.RecipNotFound": "userunknown",
    "RESOLVER.ADR.RecipientNotFound": "userunknown",
    "RESOLVER.ADR.ExRecipNotFound": "userunknown",
    "RESOLVER.ADR.RecipLimit": "toomanyconn",
    "RESOLVER.ADR.InvalidInSmtp": "systemerror",
    "RESOLVER.ADR.Ambiguous": "systemerror",
    "RESOLVER.RST.AuthRequired": "securityerror",
    "RESOLVER.RST.NotAuthorized": "rejected",
    "RESOLVER.RST.RecipSizeLimit": "mesgtoobig",
    "QUEUE.Expired": "expired",
}


def match(mail: Mail) -> bool:
    # Wide enough for an HTML-only NDR whose converted text starts with its style sheet.
    head = mail.body[:16000]
    return bool(_ADMIN.search(head) or _FAILED.search(head))


def _admin_section(notice: str) -> tuple[dict[str, str], list[str], str, str]:
    """address -> remote reply, the addresses in order, the generating and receiving servers."""
    start = _ADMIN.search(notice)
    if not start:
        return {}, [], "", ""
    section = notice[start.end() :]
    server = _SERVER.search(section)
    receiving = _RECEIVING.search(section)
    replies: dict[str, str] = {}
    order: list[str] = []
    current = ""
    for raw in section.split("\n"):
        line = raw.strip()
        if not line or _SERVER.match(line) or _RECEIVING.match(line):
            continue
        found = _MAILTO.match(line)
        address = clean_address(found.group(1)) if found else ""
        if address and is_address(address) and not _REPLY.search(line):
            current = address
            if current.lower() not in replies:
                order.append(current)
                replies[current.lower()] = ""
            continue
        if not current:
            continue
        key = current.lower()
        if replies[key] and not replies[key].endswith("="):
            # Only a reply cut by quoted-printable-like wrapping continues on the next line.
            continue
        returned = _RETURNED.search(line)
        text = returned.group(1) if returned else line.strip("#").strip()
        if replies[key].endswith("="):
            replies[key] = replies[key][:-1] + text
        elif _REPLY.search(line) or returned:
            replies[key] = text
    return (
        replies,
        order,
        server.group(1) if server else "",
        receiving.group(1) if receiving else "",
    )


def _user_section(notice: str) -> list[str]:
    """Addresses listed under "Delivery has failed to these recipients or groups:"."""
    start = _FAILED.search(notice)
    if not start:
        return []
    found: list[str] = []
    for raw in notice[start.end() : start.end() + 4000].split("\n"):
        if _ADMIN.match(raw.strip()):
            break
        m = _MAILTO.match(raw)
        address = clean_address(m.group(1)) if m else ""
        if address and is_address(address) and address not in found:
            found.append(address)
    return found


def _token_reason(text: str) -> str:
    token = _TOKEN.search(text)
    return _TOKENS.get(token.group(1), "") if token else ""


def decode(mail: Mail) -> Result | None:
    notice = cut(mail.body, _ENDS)
    replies, order, server, receiving = _admin_section(notice)
    profile = rfc3464.microsoft_profile(mail)
    name = NAME_O365 if profile == "office365" else NAME
    hits: list[Hit] = []
    if mail.dsn_blocks:
        result = rfc3464.decode(mail)
        if result is not None:
            hits = result.hits
    if not hits:
        addresses = order or _user_section(notice)
        hits = [Hit(recipient=a) for a in addresses]
    if not hits:
        return None
    for hit in hits:
        key = hit.recipient.lower()
        reply = replies.get(key, "")
        if not reply and len(hits) == 1 and len(replies) == 1:
            reply = next(iter(replies.values()))
        if reply and (not hit.diagnosis or len(squash(reply)) > len(hit.diagnosis)):
            hit.diagnosis = squash(reply)
        if not hit.status or hit.status.endswith(".0.0"):
            hit.status = find_status(hit.diagnosis) or hit.status
        if server and not hit.lhost:
            hit.lhost = server.lower()
        if receiving and not hit.rhost:
            hit.rhost = receiving.lower()
        # Exchange Online's own status codes are finer than the shared RESOLVER tokens, and an
        # on-premises server has only the tokens.
        if not hit.reason and profile:
            hit.reason = rfc3464.profile_reason(profile, hit)
        if not hit.reason:
            hit.reason = _token_reason(hit.diagnosis)
        if not hit.command and "unknown recipient or mailbox unavailable" in hit.diagnosis:
            hit.command = "RCPT"
    return Result(hits=hits, decoder=name)
