"""What the bounce parser reports, as plain data (one record per recipient, like Sisimai)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ReportKind = Literal["bounce", "delay", "delivered", "feedback", "vacation", "none"]


@dataclass
class Recipient:
    address: str | None = None
    status: str | None = None
    reply_code: str | None = None
    reason: str | None = None
    hard_bounce: bool | None = None
    diagnostic: str | None = None
    action: str | None = None
    remote_mta: str | None = None
    smtp_command: str | None = None
    reporting_mta: str | None = None
    provider: str | None = None
    feedback_type: str | None = None
    decoder: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class OriginalMessage:
    message_id: str | None = None
    sender: str | None = None
    to: str | None = None
    subject: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class BounceReport:
    """The result for one input. `recipients` is empty when the input is not a bounce."""

    kind: ReportKind = "none"
    recipients: list[Recipient] = field(default_factory=list)
    original: OriginalMessage = field(default_factory=OriginalMessage)
    decoder: str | None = None
