"""Keyword search over the knowledge base: symptoms to codes ("mailbox full" -> 452, 552 ...).

A small weighted bag-of-words index, built once per locale: a phrase someone would search for
(an entry's `keywords`) weighs most, then the name, then the summary and description. That is
enough for a few hundred entries and needs no dependency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.kb.loader import load
from bot.results import SearchHit, SearchResult

WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    "a an and are as at be by can cannot code codes do does error for from how i in is it me "
    "mean means my not of on or smtp the this to what when why with you your".split()
)
WEIGHTS = {"keywords": 4.0, "name": 3.0, "summary": 2.0, "body": 0.5}
PHRASE_BONUS = 8.0
MAX_HITS = 10


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _terms(text: str) -> list[str]:
    return [_stem(w) for w in WORD.findall(text.lower()) if w not in STOPWORDS]


@dataclass(frozen=True)
class _Doc:
    code: str
    name: str
    summary: str
    phrases: tuple[str, ...]
    fields: dict[str, frozenset[str]]


@lru_cache(maxsize=4)
def _index(locale: str) -> tuple[_Doc, ...]:
    kb = load(locale)
    docs = []

    def add(code: str, name: str, summary: str, body: str, phrases: tuple[str, ...]) -> None:
        docs.append(
            _Doc(
                code=code,
                name=name,
                summary=summary,
                phrases=tuple(" ".join(_terms(p)) for p in phrases),
                fields={
                    "keywords": frozenset(_terms(" ".join(phrases))),
                    "name": frozenset(_terms(name)),
                    "summary": frozenset(_terms(summary)),
                    "body": frozenset(_terms(body)),
                },
            )
        )

    for entry in kb.basic.values():
        add(entry.code, entry.name, entry.text.summary, entry.text.description, entry.keywords)
    for entry in kb.enhanced.values():
        _, subject, detail = entry.code.split(".")
        classes = [c for c in entry.classes if c != "2"] or list(entry.classes) or ["5"]
        for digit in classes:
            code = f"{digit}.{subject}.{detail}"
            add(code, entry.name, entry.text.summary, entry.text.description, entry.keywords)
    for marker in kb.markers:
        label = marker.tokens[0] if marker.tokens else " ".join(marker.enhanced or marker.basic)
        add(
            f"{label} ({marker.provider.name})",
            marker.name,
            marker.text.summary,
            marker.text.description,
            marker.phrases,
        )
    return tuple(docs)


def search(query: str, locale: str = "en", *, phrase_only: bool = False) -> SearchResult:
    """Codes ranked by how well they match `query`, best first.

    `phrase_only` keeps only entries one of whose search phrases contains the whole query: for
    guessing that free text ("mailbox full") was meant as a search, where loose word matches
    ("why did this bounce?") would only produce noise.
    """
    terms = _terms(query)
    if not terms:
        return SearchResult(query=query, hits=())
    wanted = set(terms)
    phrase = " ".join(terms)
    scored = []
    for doc in _index(locale):
        score = 0.0
        for field, weight in WEIGHTS.items():
            score += weight * len(wanted & doc.fields[field])
        if any(phrase in p for p in doc.phrases):
            score += PHRASE_BONUS
        elif phrase_only:
            continue
        # Entries that match only some of the words rank under those that match all of them.
        covered = wanted & (doc.fields["keywords"] | doc.fields["name"] | doc.fields["summary"])
        if score > 0 and covered:
            score *= len(covered) / len(wanted)
            scored.append((score, doc))
    scored.sort(key=lambda item: -item[0])
    hits = tuple(
        SearchHit(code=d.code, name=d.name, summary=d.summary, score=round(s, 2))
        for s, d in scored[:MAX_HITS]
    )
    return SearchResult(query=query, hits=hits)
