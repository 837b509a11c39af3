"""Provider recognition for bounce records, backed by the shared knowledge base.

`provider_for_host` names the provider of a remote host or recipient domain (display only; the
reason tables per remote host are in rhosts.py). `provider_reason` / `provider_from_text` read
the knowledge base's markers for free text (chat), not for `smtpbot parse`. The knowledge base
is edited by other people while this engine runs, and a broken data file must not stop a
bounce from being parsed: every lookup here degrades to "no provider".
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.bounce.lazyre import lazy
from bot.bounce.reasons import rules

_PROVIDER_BLOCK = lazy(r"^\[\[provider\]\][ \t]*\n(.*?)(?=^\[|\Z)", re.M | re.S)
_ID_LINE = lazy(r'^id\s*=\s*"([^"]+)"', re.M)
_HOSTS_LINE = lazy(r"^hosts\s*=\s*\[([^\]]*)\]", re.M)


@lru_cache(maxsize=1)
def _hosts() -> tuple[tuple[str, str], ...]:
    """(host suffix, provider id) pairs, longest suffix first.

    Read from the knowledge base's provider tables with a light scan of their `[[provider]]`
    entries: parsing the whole knowledge base (hundreds of KB of TOML) would cost more than
    decoding a hundred bounces. The full loader is the fallback when the scan finds nothing.
    """
    pairs: list[tuple[str, str]] = []
    try:
        # The knowledge base's data directory, found without importing its loader.
        data_dir = Path(__file__).resolve().parents[1] / "kb" / "data" / "en"
        for path in sorted(data_dir.glob("providers*.toml")):
            for block in _PROVIDER_BLOCK.finditer(path.read_text(encoding="utf-8")):
                ident = _ID_LINE.search(block.group(1))
                hosts = _HOSTS_LINE.search(block.group(1))
                if ident and hosts:
                    for host in re.findall(r'"([^"]+)"', hosts.group(1)):
                        pairs.append((host.lower().lstrip("."), ident.group(1)))
        if not pairs:
            from bot.kb.loader import load

            pairs = [
                (host.lower().lstrip("."), provider.id)
                for provider in load().providers.values()
                for host in provider.hosts
                if host
            ]
    except Exception:
        return ()
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
