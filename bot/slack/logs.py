"""Logging that cannot leak secrets or pasted content.

Users paste bounces full of other people's addresses; tokens sit in the environment. Our
own code never logs payload text, and this filter is the second line of defence for what
libraries log (Bolt and slack_sdk print payloads at DEBUG and some errors at WARNING): it
redacts the configured secrets, any Slack token shape and any e-mail address from every
record before it is written.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
SLACK_TOKEN = re.compile(r"\bx(?:ox[abposr]|app)-[\w-]+")


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[secret]")
        text = SLACK_TOKEN.sub("[token]", text)
        return EMAIL.sub("[address]", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg = self.redact(message)
        record.args = None
        return True


def configure(level: str, secrets: Iterable[str]) -> None:
    """One stderr handler on the root logger, redacting; chatty libraries held at WARNING."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level if level in logging.getLevelNamesMapping() else "INFO")
    quiet = "WARNING" if root.level < logging.WARNING else level
    for name in ("slack_bolt", "slack_sdk", "aiohttp", "uvicorn.access", "asyncio"):
        logging.getLogger(name).setLevel(quiet)
