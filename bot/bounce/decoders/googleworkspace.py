"""Gmail and Google Workspace (G Suite) notices: "** Address not found **" and kin.

Google's current bounces come from mailer-daemon@googlemail.com with a DSN part whose
Diagnostic-Code is often bare or generic, while the text part quotes the remote server after
"The response was:" / "The response from the remote server was:". That quoted reply has the
real status and reply code, so it replaces the DSN's when the DSN's is empty or x.0.0; and
Google's own sentences (address not found, null MX, NXDOMAIN) name the reason.
"""

from __future__ import annotations

import re

from bot.bounce.codes import find_reply, find_status, is_address
from bot.bounce.decoders import rfc3464
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import reason_from, squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "GoogleWorkspace"
_BANNER = lazy(r"^\*\* .+ \*\*\s*$", re.M)
_PASTED = lazy(r"(?:wasn't|was not|has not been) delivered to (\S+@[^\s,;]+?)[.,;]?(?:\s|$)")
_RESPONSE = ("The response was:", "The response from the remote server was:")
_MESSAGES = (
    (
        "userunknown",
        (
            "because the address couldn't be found. Check for typos or unnecessary spaces and "
            "try again.",
        ),
    ),
    ("notaccept", ("Null MX",)),
    ("networkerror", (" had no relevant answers.", " responded with code NXDOMAIN")),
)


def match(mail: Mail) -> bool:
    if mail.fragment:
        # A pasted notice has lost its DSN part; the banner and Google's sentence remain.
        return bool(_BANNER.search(mail.body[:3000])) and bool(_PASTED.search(mail.body[:6000]))
    return (
        "<mailer-daemon@googlemail.com>" in str(mail.header.get("from", "") or "").lower()
        and "Delivery Status Notification" in mail.subject
        and bool(_BANNER.search(mail.body[:3000]))
        and bool(mail.dsn_blocks)
    )


def _response(body: str) -> str:
    """The remote server's reply quoted in the text part, joined over its wrapped lines."""
    at = -1
    for marker in _RESPONSE:
        at = body.find(marker)
        if at >= 0:
            at += len(marker)
            break
    if at < 0:
        return ""
    lines: list[str] = []
    for line in body[at:].split("\n"):
        if line.startswith("Content-Type:") or line.startswith("----- "):
            break
        if not line.strip():
            if lines:
                break
            continue
        lines.append(line.strip())
    return squash(" ".join(lines))


def _banner_text(body: str) -> str:
    """The banner and the sentence under it ("Your message wasn't delivered to ...")."""
    found = _BANNER.search(body)
    if not found:
        return ""
    rest = body[found.start() :].split("\n\n", 2)
    return squash(" ".join(rest[:2]))


def decode(mail: Mail) -> Result | None:
    response = _response(mail.body)
    banner = _banner_text(mail.body)
    result = rfc3464.decode(mail) if mail.dsn_blocks else _from_text(mail.body, response, banner)
    if result is None:
        return None
    for hit in result.hits:
        _improve(hit, response or banner)
        hit.reason = hit.reason or reason_from(f"{hit.diagnosis} {banner}", _MESSAGES)
    result.decoder = NAME
    return result


def _from_text(body: str, response: str, banner: str) -> Result | None:
    """Records from the human-readable notice alone (a paste without the DSN part)."""
    hits = [
        Hit(recipient=m.group(1).strip("<>"), diagnosis=response or banner)
        for m in _PASTED.finditer(body[:6000])
        if is_address(m.group(1).strip("<>"))
    ]
    return Result(hits=hits, decoder=NAME) if hits else None


def _improve(hit: Hit, other: str) -> None:
    """Let the quoted reply replace a bare or generic DSN diagnostic (Google's own rule)."""
    if not other:
        return
    if not hit.diagnosis or hit.diagnosis.strip().isdigit():
        hit.diagnosis = other
        return
    status = ""
    if hit.status in ("", "5.0.0", "4.0.0"):
        status = find_status(other)
        if status and not status.endswith(".0.0"):
            hit.status = status
        else:
            status = ""
    reply = ""
    if hit.reply_code in ("", "500", "400"):
        reply = find_reply(other)
        if reply and not reply.endswith("00"):
            hit.reply_code = reply
        else:
            reply = ""
    if status or (reply and len(other) > len(hit.diagnosis)):
        hit.diagnosis = other
