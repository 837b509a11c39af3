"""Recognise provider markers (tokens, reply phrases, provider-only codes) in any text.

All phrases and tokens are compiled into one regular expression per locale, so recognising
markers costs one linear scan of the text however many markers the knowledge base holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.kb.loader import load
from bot.kb.model import KnowledgeBase, ProviderMarker
from bot.trie import trie_pattern

ENHANCED_IN_TEXT = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)")


@dataclass(frozen=True)
class MarkerIndex:
    pattern: re.Pattern[str] | None
    by_text: dict[str, list[ProviderMarker]]
    markers: tuple[ProviderMarker, ...]


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


@lru_cache(maxsize=4)
def _index(locale: str) -> MarkerIndex:
    kb = load(locale)
    by_text: dict[str, list[ProviderMarker]] = {}
    tokens: set[str] = set()
    for marker in kb.markers:
        for token in marker.tokens:
            by_text.setdefault(token.lower(), []).append(marker)
            tokens.add(token.lower())
        for phrase in marker.phrases:
            by_text.setdefault(_normalise(phrase), []).append(marker)
    phrases = [text for text in by_text if text not in tokens]
    parts = []
    if tokens:
        parts.append(rf"(?<![a-z0-9])(?:{trie_pattern(sorted(tokens))})(?![a-z0-9])")
    if phrases:
        parts.append(trie_pattern(sorted(phrases)))
    pattern = re.compile("|".join(parts)) if parts else None
    return MarkerIndex(pattern, by_text, kb.markers)


def is_registered_enhanced(kb: KnowledgeBase, code: str) -> bool:
    _, subject, detail = code.split(".")
    return f"X.{int(subject)}.{int(detail)}" in kb.enhanced


def markers_for_code(code: str, locale: str = "en") -> list[ProviderMarker]:
    """Markers that use the enhanced code `code` (5.7.708), ranges included."""
    return [m for m in _index(locale).markers if m.covers_enhanced(code)]


def find_markers(text: str, locale: str = "en") -> list[ProviderMarker]:
    """Provider markers recognised in `text`, in order of first appearance, each once.

    Registered enhanced codes (5.7.1) say nothing about the provider and are ignored here;
    provider-only codes (Microsoft's 5.7.708) identify their marker on their own.
    """
    kb = load(locale)
    index = _index(locale)
    found: dict[str, tuple[int, ProviderMarker]] = {}
    normalised = _normalise(text)
    if index.pattern is not None:
        for match in index.pattern.finditer(normalised):
            for marker in index.by_text.get(match.group(0), ()):
                found.setdefault(marker.id, (match.start(), marker))
    for match in ENHANCED_IN_TEXT.finditer(normalised):
        code = match.group(0)
        if is_registered_enhanced(kb, code):
            continue
        for marker in index.markers:
            if marker.covers_enhanced(code):
                found.setdefault(marker.id, (match.start(), marker))
    return [marker for _, marker in sorted(found.values(), key=lambda item: item[0])]
