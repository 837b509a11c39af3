"""The decoders, in the order they are tried.

Each module has NAME, `match(mail) -> bool` (cheap: subject, sender, a substring) and
`decode(mail) -> Result | None`. Non-failure reports (ARF, auto-replies) and MTA-specific
decoders come first, the generic RFC 3464 reader last but one, and the fallback scanner last.
"""

from __future__ import annotations

from types import ModuleType

from bot.bounce.decoders import (
    arf,
    autoreply,
    exchange,
    exim,
    fallback,
    gmail,
    imailserver,
    postfix,
    qmail,
    rfc3464,
)

DECODERS: tuple[ModuleType, ...] = (
    arf,
    postfix,
    gmail,
    exim,
    qmail,
    exchange,
    imailserver,
    rfc3464,
    autoreply,
    fallback,
)
