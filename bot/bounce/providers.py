"""Provider recognition for bounce records, backed by the shared knowledge base.

`provider_for_host` names the provider of a remote host or recipient domain (display only; the
reason tables per remote host are in rhosts.py). `provider_reason` / `provider_from_text` read
the knowledge base's markers for free text (chat), not for `smtpbot parse`. The knowledge base
is edited by other people while this engine runs, and a broken data file must not stop a
bounce from being parsed: every lookup here degrades to "no provider".
"""

from __future__ import annotations

import os
from functools import lru_cache

from bot.bounce.reasons import rules
from bot.tomlcache import cached

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs parse start-up
if TYPE_CHECKING:
    from typing import Any

KB_DATA = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "kb", "data", "en"
)


def _read_hosts(paths: list[str]) -> list[tuple[str, str]]:
    import tomllib

    pairs: list[tuple[str, str]] = []
    for path in paths:
        with open(path, "rb") as handle:
            for provider in tomllib.load(handle).get("provider", []):
                for host in provider.get("hosts", []):
                    pairs.append((str(host).lower().lstrip("."), str(provider["id"])))
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


@lru_cache(maxsize=1)
def _hosts() -> tuple[tuple[str, str], ...]:
    """(host suffix, provider id) pairs from the knowledge base's provider tables, longest first.

    Only the `[[provider]]` tables are needed, so the pairs are built from the provider files
    alone and kept (marshalled) between runs, rather than loading and validating the whole
    knowledge base, which would cost more than decoding a hundred bounces.
    """
    try:
        names = sorted(n for n in os.listdir(KB_DATA) if n.startswith("providers"))
        paths = [os.path.join(KB_DATA, n) for n in names if n.endswith(".toml")]
        pairs = cached("provider-hosts", paths, lambda: _read_hosts(paths))
        return tuple((str(host), str(ident)) for host, ident in pairs)
    except Exception:
        return ()


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
