"""What the bounce parser reports, as plain data (one record per recipient, like Sisimai)."""

from __future__ import annotations

from bot.bounce.record import Factory, Record

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs parse start-up
if TYPE_CHECKING:
    from typing import Literal

    ReportKind = Literal["bounce", "delay", "delivered", "feedback", "vacation", "none"]


class Recipient(Record):
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

    @property
    def wire_status(self) -> str | None:
        """The status as the servers gave it: None for a parser-made pseudo status (x.0.9xx,
        Sisimai's convention for "no status, but the reason is …"), which users should not
        mistake for a code they can look up."""
        status = self.status
        detail = status.split(".")[-1] if status and status.count(".") == 2 else ""
        return None if detail.isdigit() and int(detail) >= 900 else status


class OriginalMessage(Record):
    message_id: str | None = None
    sender: str | None = None
    to: str | None = None
    subject: str | None = None


class BounceReport(Record):
    """The result for one input. `recipients` is empty when the input is not a bounce."""

    kind: ReportKind = "none"
    recipients: list[Recipient] = Factory(list)
    original: OriginalMessage = Factory(OriginalMessage)
    decoder: str | None = None
