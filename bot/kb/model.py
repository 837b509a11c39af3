"""Typed records of the SMTP code knowledge base.

The records are frozen so that the single loaded knowledge base can be shared freely between
threads (the Slack runners serve requests concurrently) without defensive copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Retry = Literal["yes", "no", "n/a"]
Bounce = Literal["hard", "soft", "none"]

RETRY_VALUES: tuple[str, ...] = ("yes", "no", "n/a")
BOUNCE_VALUES: tuple[str, ...] = ("hard", "soft", "none")
STAGES: tuple[str, ...] = (
    "connect",
    "EHLO",
    "STARTTLS",
    "AUTH",
    "MAIL",
    "RCPT",
    "DATA",
    "end-of-data",
    "BDAT",
    "VRFY",
    "EXPN",
    "HELP",
    "NOOP",
    "RSET",
    "QUIT",
    "ETRN",
    "ATRN",
    "delivery",
    "any",
)


@dataclass(frozen=True)
class Reference:
    label: str
    url: str


@dataclass(frozen=True)
class Guidance:
    """The reader's questions about a code, answered in one locale."""

    summary: str
    description: str
    when: str
    causes: tuple[str, ...]
    fix_sender: tuple[str, ...]
    fix_admin: tuple[str, ...]


@dataclass(frozen=True)
class ClassInfo:
    """A first digit: of a basic reply code (2..5) or of an enhanced code (2, 4, 5)."""

    digit: str
    name: str
    description: str
    retry: Retry
    bounce: Bounce
    when: str
    causes: tuple[str, ...]
    fix_sender: tuple[str, ...]
    fix_admin: tuple[str, ...]
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class CategoryInfo:
    """The second digit of a basic reply code (x0z syntax, x1z information, ...)."""

    digit: str
    name: str
    description: str


@dataclass(frozen=True)
class SubjectInfo:
    """The subject of an enhanced code (X.1.YYY addressing, X.2.YYY mailbox, ...)."""

    digit: str
    name: str
    description: str


@dataclass(frozen=True)
class BasicCode:
    code: str
    name: str
    status: str
    stages: tuple[str, ...]
    retry: Retry
    bounce: Bounce
    text: Guidance
    references: tuple[Reference, ...]
    related: tuple[str, ...]
    keywords: tuple[str, ...]

    @property
    def class_digit(self) -> str:
        return self.code[0]


@dataclass(frozen=True)
class EnhancedCode:
    """A registered enhanced status code, stored class-free as in the IANA registry (X.1.1)."""

    code: str
    name: str
    classes: tuple[str, ...]
    basic_codes: tuple[str, ...]
    stages: tuple[str, ...]
    permanent_bounce: Bounce
    text: Guidance
    references: tuple[Reference, ...]
    related: tuple[str, ...]
    keywords: tuple[str, ...]

    @property
    def subject(self) -> str:
        return self.code.split(".")[1]

    @property
    def detail(self) -> str:
        return self.code.split(".")[2]


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    postmaster_url: str
    hosts: tuple[str, ...]


@dataclass(frozen=True)
class ProviderMarker:
    """A provider's own code, bracketed token or reply phrase, with what it means there."""

    id: str
    provider: Provider
    basic: tuple[str, ...]
    enhanced: tuple[str, ...]
    tokens: tuple[str, ...]
    phrases: tuple[str, ...]
    name: str
    retry: Retry
    bounce: Bounce
    reason: str
    text: Guidance
    references: tuple[Reference, ...]

    def covers_enhanced(self, code: str) -> bool:
        """True when `code` (5.7.708) is one of this marker's codes or inside one of its ranges."""
        for item in self.enhanced:
            if item == code:
                return True
            if "-" in item:
                base, _, high = item.rpartition("-")
                cls_subj, _, low = base.rpartition(".")
                head, _, detail = code.rpartition(".")
                if (
                    head == cls_subj
                    and detail.isdigit()
                    and low.isdigit()
                    and high.isdigit()
                    and int(low) <= int(detail) <= int(high)
                ):
                    return True
        return False


@dataclass(frozen=True)
class ReasonInfo:
    """A bounce reason (Sisimai's vocabulary) in words a person can act on."""

    name: str
    title: str
    summary: str
    action: str
    failure: bool
    typical_codes: tuple[str, ...]


@dataclass(frozen=True)
class KnowledgeBase:
    locale: str
    basic_classes: dict[str, ClassInfo]
    enhanced_classes: dict[str, ClassInfo]
    categories: dict[str, CategoryInfo]
    subjects: dict[str, SubjectInfo]
    basic: dict[str, BasicCode]
    enhanced: dict[str, EnhancedCode]
    providers: dict[str, Provider]
    markers: tuple[ProviderMarker, ...]
    reasons: dict[str, ReasonInfo]
