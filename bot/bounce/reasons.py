"""Decide a bounce reason from the status code, reply code, SMTP command and diagnostic text.

The procedure mirrors Sisimai 5's (status-code checks in a fixed precedence, then the text
alone, then the code's class) so that the two can be compared record by record. The phrase
lists live in data/reasons.toml; each reason's list is compiled into one regex, loaded once.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from bot.bounce.lazyre import compile_cached, lazy
from bot.bounce.record import Record
from bot.tomlcache import load_toml

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs parse start-up
if TYPE_CHECKING:
    from typing import Any

DATA = os.path.join(os.path.dirname(__file__), "data", "reasons.toml")
_SPACES = lazy(r"\s+")
_PRE_SMTP = frozenset({"CONN", "EHLO", "HELO", "MAIL", "RCPT"})
# A reason the decoder already chose passes these reasons' checks (when a status exists, for
# the reasons that need one), as the reference parser's per-reason checks do.
_PRESET_TRUE = frozenset(
    {
        "blocked",
        "exceedlimit",
        "filtered",
        "hasmoved",
        "hostunknown",
        "mailboxfull",
        "mesgtoobig",
        "notaccept",
        "rejected",
        "spamdetected",
        "suspend",
        "toomanyconn",
        "userunknown",
    }
)
_NEED_STATUS = frozenset({"mailboxfull", "exceedlimit", "spamdetected", "suspend"})


class Matcher:
    """One reason's phrase list: literal phrases are tested as substrings (no compile cost at
    start-up), and the few real regular expressions are compiled into one alternation the
    first time the reason is asked about."""

    __slots__ = ("_compiled", "aligned", "literals", "patterns")

    def __init__(
        self,
        literals: tuple[str, ...],
        patterns: tuple[str, ...],
        aligned: tuple[tuple[str, ...], ...] = (),
    ) -> None:
        self.literals = literals
        self.patterns = patterns
        self.aligned = aligned
        self._compiled: re.Pattern[str] | None = None

    def search(self, text: str) -> bool:
        for phrase in self.literals:
            if phrase in text:
                return True
        for parts in self.aligned:
            at = 0
            for part in parts:
                at = text.find(part, at)
                if at < 0:
                    break
                at += len(part)
            else:
                return True
        if not self.patterns:
            return False
        if self._compiled is None:
            self._compiled = compile_cached("|".join(f"(?:{p})" for p in self.patterns))
        return self._compiled.search(text) is not None


# A pattern that is a literal once its one-character classes (`[ ]`, `[.]`) are written out.
_CLASS_CHAR = lazy(r"\[(\\?.)\]")
_META = lazy(r"[\\^$.|?*+()\[\]{}]")


def _literal(pattern: str) -> str | None:
    plain = _CLASS_CHAR.sub(lambda m: m.group(1)[-1], pattern)
    return None if _META.search(plain) else plain


class Rules(Record):
    matchers: dict[str, Matcher]
    vetoes: dict[str, tuple[str, ...]]
    status: dict[str, str]
    pseudo_temporary: dict[str, str]
    pseudo_permanent: dict[str, str]
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    text_only: tuple[str, ...]
    retry: frozenset[str]
    retry_decoder: frozenset[str]
    hard_reasons: frozenset[str]
    hard_if_permanent: frozenset[str]


def _matcher(entry: dict[str, Any]) -> Matcher | None:
    literals = list(entry.get("phrases", []))
    patterns: list[str] = []
    for pattern in entry.get("patterns", []):
        plain = _literal(pattern)
        if plain is None:
            patterns.append(pattern)
        else:
            literals.append(plain)
    aligned = tuple(tuple(parts) for parts in entry.get("aligned", []))
    if not literals and not patterns and not aligned:
        return None
    return Matcher(tuple(literals), tuple(patterns), aligned)


@lru_cache(maxsize=1)
def rules() -> Rules:
    raw = load_toml(DATA)
    matchers: dict[str, Matcher] = {}
    vetoes: dict[str, tuple[str, ...]] = {}
    for name, entry in raw.get("reasons", {}).items():
        matcher = _matcher(entry)
        if matcher is not None:
            matchers[name] = matcher
        if entry.get("not_phrases"):
            vetoes[name] = tuple(entry["not_phrases"])
    order = raw["order"]
    return Rules(
        matchers=matchers,
        vetoes=vetoes,
        status=dict(raw["status"]),
        pseudo_temporary=dict(raw["pseudo"]["temporary"]),
        pseudo_permanent=dict(raw["pseudo"]["permanent"]),
        primary=tuple(order["primary"]),
        secondary=tuple(order["secondary"]),
        text_only=tuple(order["text_only"]),
        retry=frozenset(raw["retry"]),
        retry_decoder=frozenset(raw["retry_decoder"]),
        hard_reasons=frozenset(raw["hard_reasons"]),
        hard_if_permanent=frozenset(raw["hard_if_permanent"]),
    )


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text.lower()).strip()


def matches(reason: str, text: str) -> bool:
    """Whether the (already normalised) text carries one of `reason`'s phrases."""
    r = rules()
    matcher = r.matchers.get(reason)
    if matcher is None or not text:
        return False
    veto = r.vetoes.get(reason)
    if veto is not None and any(v in text for v in veto):
        return False
    return matcher.search(text)


def status_reason(status: str) -> str:
    return rules().status.get(status or "", "")


class Context(Record):
    status: str = ""
    reply_code: str = ""
    diagnostic: str = ""  # normalised: lower case, single spaces
    command: str = ""
    spec: str = ""  # diagnostic type: SMTP, X-UNIX, X-POSTFIX ...
    action: str = ""
    preset: str = ""  # a reason the decoder already chose (kept unless a primary check wins)


def _true(reason: str, c: Context) -> bool:
    """Sisimai's per-reason `true` check: the status code first, then the text."""
    name = status_reason(c.status)
    d = c.diagnostic
    if c.preset == reason and reason in _PRESET_TRUE:
        return bool(c.status) or reason not in _NEED_STATUS
    if reason == "norelaying" and c.preset in ("securityerror", "systemerror", "undefined"):
        return False
    if reason in ("mailboxfull", "exceedlimit", "toomanyconn", "blocked"):
        if reason != "toomanyconn" and reason != "blocked" and not c.status:
            return False
        return name == reason or matches(reason, d)
    if reason == "mesgtoobig":
        if name == "mesgtoobig":
            return True
        if name == "exceedlimit" or c.status == "5.2.3":
            return False
        return matches(reason, d)
    if reason == "suspend":
        return bool(c.status) and (name == "suspend" or matches(reason, d))
    if reason == "hasmoved":
        return matches(reason, d)
    if reason == "norelaying":
        return c.command not in ("CONN", "EHLO", "HELO") and matches(reason, d)
    if reason == "userunknown":
        if name == "suspend":
            return False
        if name == "userunknown":
            return not any(
                matches(other, d)
                for other in (
                    "norelaying",
                    "blocked",
                    "mailboxfull",
                    "hasmoved",
                    "rejected",
                    "notaccept",
                )
            )
        if c.command == "RCPT":
            return matches(reason, d)
        return False
    if reason == "filtered":
        if name == "suspend":
            return False
        if name == "filtered":
            return matches("userunknown", d) or matches("filtered", d)
        if c.command in _PRE_SMTP:
            return False
        return matches("filtered", d) or matches("userunknown", d)
    if reason == "rejected":
        if name == "rejected":
            return True
        if c.command == "MAIL":
            return matches(reason, d)
        if c.command == "DATA":
            return name != "userunknown" and matches(reason, d)
        if (name or "undefined") in ("onhold", "undefined", "securityerror", "systemerror"):
            return matches(reason, d)
        return False
    if reason == "hostunknown":
        if name == "hostunknown":
            return not matches("networkerror", d)
        return matches(reason, d)
    if reason == "spamdetected":
        if not c.status:
            return False
        if name == "spamdetected":
            return True
        if c.command in _PRE_SMTP:
            return False
        return matches(reason, d)
    if reason in ("authfailure", "requireptr", "badreputation", "speeding", "notcompliantrfc"):
        return name == reason or matches(reason, d)
    return matches(reason, d)


def _another(c: Context) -> str:
    r = rules()
    name = status_reason(c.status)
    try_text = not name or name == "expired" or name in r.retry or c.spec != "SMTP"
    if not try_text:
        return name
    for reason in r.secondary:
        if matches(reason, c.diagnostic):
            return reason
    if name:
        # A status code that names a reason keeps it when the text names no other.
        return name
    head = c.status[:3]
    if head in ("4.6", "5.6"):
        return "contenterror"
    if head in ("4.7", "5.7"):
        return "securityerror"
    if c.spec.startswith("X-UNIX"):
        return "mailererror"
    if re.fullmatch(r"[45]0[1-7]", c.reply_code or ""):
        return "syntaxerror"
    if c.action in ("delayed", "expired"):
        return "expired"
    if c.command in ("EHLO", "HELO"):
        return "blocked"
    return name


def decide(c: Context) -> str:
    """The reason for one recipient record."""
    if c.status.startswith("2."):
        return "delivered"
    r = rules()
    found = ""
    if c.spec in ("SMTP", ""):
        for reason in r.primary:
            if _true(reason, c):
                found = reason
                break
    if not found or found == "undefined":
        found = c.preset or _another(c)
        if found == "undefined":
            found = ""
        if not found and c.action == "delayed":
            found = "expired"
        if found:
            return found
        if matches("vacation", c.diagnostic):
            return "vacation"
        return "onhold" if c.diagnostic else "undefined"
    return found


def classify(
    status: str | None,
    reply_code: str | None,
    diagnostic: str | None,
    provider: str | None = None,
) -> str:
    """The Sisimai reason for a status / reply code / diagnostic text triple.

    `provider` (a knowledge-base provider id) lets provider-specific markers win over the
    generic phrase lists, as Sisimai's per-provider rules do.
    """
    from bot.bounce.providers import provider_reason

    text = normalise(diagnostic or "")
    special = provider_reason(diagnostic or "", provider)
    if special:
        return special
    status = status or ""
    if not status and text:
        from bot.bounce.codes import find_status

        status = find_status(diagnostic or "")
    reply = reply_code or ""
    if not reply and text:
        from bot.bounce.codes import find_reply

        reply = find_reply(diagnostic or "")
    if status or reply:
        from bot.bounce.decoders.base import find_command

        command = find_command(diagnostic or "")
        return decide(Context(status=status, reply_code=reply, diagnostic=text, command=command))
    for reason in rules().text_only:
        if matches(reason, text):
            return reason
    return "onhold" if text else "undefined"


def pseudo_status(reason: str, temporary: bool) -> str:
    r = rules()
    table = r.pseudo_temporary if temporary else r.pseudo_permanent
    return table.get(reason) or r.pseudo_permanent.get(reason, "")


def is_hard(reason: str, status: str, reply_code: str) -> bool:
    r = rules()
    if reason in r.hard_reasons:
        return True
    if reason in r.hard_if_permanent:
        first = (status or reply_code or "5")[:1]
        return first != "4"
    return False
