"""Turn Slack's message markup back into the plain text a person typed.

Slack auto-links e-mail addresses and host names and entity-escapes `&`, `<`, `>`, so a
Postfix line pasted into a channel reaches us as `&lt;<mailto:a@b|a@b>&gt;: host
<http://mx|mx>[…]`. The bounce engine expects the original text, so every surface decodes
here first. Link tokens are resolved before entities are unescaped: only real `<…>` are
Slack tokens, while `&lt;…&gt;` were angle brackets the user typed.
"""

from __future__ import annotations

import re

TOKEN = re.compile(r"<([^<>\n]*)>")
ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def _token(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):  # <@U123> or <@U123|name>
        return "@" + (label or target[1:])
    if target.startswith("#"):  # <#C123|general>
        return "#" + (label or target[1:])
    if target.startswith("!"):  # <!here>, <!subteam^S1|@team>, <!date^…|fallback>
        if label:
            return label
        return "@" + target[1:].split("^", 1)[0]
    if label:
        return label
    if target.startswith("mailto:"):
        return target[len("mailto:") :]
    return target


def unescape(text: str) -> str:
    """Undo Slack's three entity escapes (and only those: `&amp;lt;` stays `&lt;`)."""
    if "&" not in text:
        return text
    return re.sub(r"&(lt|gt|amp);", lambda m: {"lt": "<", "gt": ">", "amp": "&"}[m.group(1)], text)


def decode(text: str | None, *, strip_user: str | None = None) -> str:
    """Plain text from Slack markup. `strip_user` removes mentions of that user (the bot) so
    `<@UBOT> what is 421?` becomes `what is 421?`."""
    if not text:
        return ""
    if strip_user:
        text = re.sub(rf"<@{re.escape(strip_user)}(?:\|[^>]*)?>", " ", text)
    return unescape(TOKEN.sub(_token, text)).strip()


def mentions(text: str | None, user_id: str | None) -> bool:
    """Whether the raw Slack text mentions `user_id`."""
    return bool(text and user_id and f"<@{user_id}" in text)
