"""Provider recognition for bounce records, backed by the shared knowledge base.

The knowledge base is edited by other people while this engine runs, and a broken data file
must not stop a bounce from being parsed: every lookup here degrades to "no provider".
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from bot.bounce.reasons import rules


@lru_cache(maxsize=1)
def _hosts() -> tuple[tuple[str, str], ...]:
    """(host suffix, provider id) pairs, longest suffix first."""
    try:
        from bot.kb.loader import load

        providers = load().providers
    except Exception:
        return ()
    pairs = [
        (host.lower().lstrip("."), provider.id)
        for provider in providers.values()
        for host in provider.hosts
        if host
    ]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


_KB_STATE = {"broken": False}


def _markers(text: str) -> list[Any]:
    if _KB_STATE["broken"]:
        return []
    try:
        from bot.kb.markers import find_markers

        return list(find_markers(text))
    except Exception:
        # Remember the failure: a broken knowledge base is not cached by its loader, and
        # re-reading it for every record would cost more than the whole parse.
        _KB_STATE["broken"] = True
        return []


def provider_for_host(host: str) -> str | None:
    host = (host or "").lower().strip(".[] ")
    if not host:
        return None
    for suffix, provider_id in _hosts():
        if host == suffix or host.endswith("." + suffix):
            return provider_id
    return None


def provider_reason(text: str, provider: str | None = None) -> str:
    """A reason a provider marker in `text` dictates, or ''.

    When `provider` is given, only that provider's markers count: a Gmail phrase quoted in an
    Outlook bounce says nothing about Outlook's decision.
    """
    if not text:
        return ""
    known = rules().status  # any reason name the engine knows is acceptable
    valid = set(known.values()) | set(rules().matchers) | {"onhold", "undefined"}
    for marker in _markers(text):
        reason = getattr(marker, "reason", "") or ""
        marker_provider = getattr(getattr(marker, "provider", None), "id", None)
        if provider and marker_provider != provider:
            continue
        if reason in valid:
            return reason
    return ""


def provider_from_text(text: str) -> str | None:
    for marker in _markers(text):
        provider = getattr(getattr(marker, "provider", None), "id", None)
        if provider:
            return str(provider)
    return None


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, tuple[str, ...], tuple[tuple[str, re.Pattern[str]], ...]], ...]:
    import tomllib

    from bot.bounce.reasons import DATA

    with DATA.open("rb") as handle:
        raw = tomllib.load(handle).get("provider_rules", {})
    out = []
    for provider_id, entry in raw.items():
        hosts = tuple(h.lower() for h in entry.get("hosts", []))
        tables = tuple(
            (reason, re.compile("|".join(re.escape(p) for p in phrases)))
            for reason, phrases in entry.items()
            if reason != "hosts" and phrases
        )
        out.append((provider_id, hosts, tables))
    return tuple(out)


def rule_provider(*hosts: str) -> str | None:
    """The provider of the first host that belongs to one in the provider rules."""
    for host in hosts:
        host = (host or "").lower().strip(".[] ")
        if not host:
            continue
        for provider_id, suffixes, _ in _rules():
            if any(host == s or host.endswith("." + s) for s in suffixes):
                return provider_id
    return None


def rule_reason(provider_id: str | None, text: str) -> str:
    """The reason a provider rule gives `text` (already lower-cased), or ''."""
    if not provider_id or not text:
        return ""
    for pid, _, tables in _rules():
        if pid != provider_id:
            continue
        for reason, pattern in tables:
            if pattern.search(text):
                return reason
    return ""
