"""What the engine answers, as plain data.

Every front end (plain text, JSON, Block Kit) renders these objects and nothing else, so a
Slack reply, a CLI answer and a console answer can never disagree about the facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.bounce.model import BounceReport
from bot.kb.model import Bounce, ReasonInfo, Reference, Retry

ExplanationKind = Literal["basic", "enhanced", "combined", "provider"]


@dataclass(frozen=True)
class ProviderNote:
    """How one provider uses a code, or what one of its markers means."""

    provider: str
    marker_id: str
    name: str
    summary: str
    fix: tuple[str, ...]
    url: str
    reason: str
    provider_id: str = ""


@dataclass(frozen=True)
class Explanation:
    """One code explained. `code` is written as the user would see it: 550, 5.7.26, 550 5.7.26."""

    code: str
    kind: ExplanationKind
    registered: bool
    name: str
    class_digit: str
    class_name: str
    category: str
    retry: Retry
    bounce: Bounce
    stages: tuple[str, ...]
    summary: str
    description: str
    when: str
    causes: tuple[str, ...]
    fix_sender: tuple[str, ...]
    fix_admin: tuple[str, ...]
    references: tuple[Reference, ...]
    related: tuple[str, ...] = ()
    provider_notes: tuple[ProviderNote, ...] = ()
    parts: tuple[Explanation, ...] = ()
    notice: str | None = None


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    items: tuple[Explanation, ...]
    rows: tuple[ComparisonRow, ...]
    key_difference: str
    when_each: tuple[str, ...]
    notice: str | None = None


@dataclass(frozen=True)
class SearchHit:
    code: str
    name: str
    summary: str
    score: float


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[SearchHit, ...]


@dataclass(frozen=True)
class Problem:
    """Input we could not use, with what to try instead. Never an internal error."""

    message: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Help:
    title: str
    lines: tuple[str, ...]
    examples: tuple[str, ...]
    notice: str | None = None


@dataclass(frozen=True)
class CodesFound:
    """Several codes found in a pasted text, each explained; `omitted` counts the ones left out."""

    items: tuple[Explanation, ...]
    omitted: int = 0


@dataclass(frozen=True)
class BounceAnswer:
    """A parsed bounce message with an explanation for each distinct status it reports."""

    report: BounceReport
    explanations: tuple[Explanation, ...] = field(default_factory=tuple)
    # What each reason in the report means, in the order the reasons first appear.
    reasons: tuple[ReasonInfo, ...] = ()

    def reason(self, name: str | None) -> ReasonInfo | None:
        return next((r for r in self.reasons if r.name == name), None)


Answer = Explanation | Comparison | SearchResult | Problem | Help | CodesFound | BounceAnswer
