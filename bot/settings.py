"""Settings from the environment and an optional `.env` file.

One frozen object built at start-up, so that no module reads os.environ on its own and tests
can build settings explicitly. Secrets are kept out of `repr` so they cannot leak into logs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Mode = Literal["http", "socket", "console"]
DEFAULT_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL
    watch_channels: frozenset[str] = frozenset()
    watch_all: bool = False
    port: int = 3000
    log_level: str = "INFO"

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.bot_token, self.signing_secret, self.app_token) if s)

    def watches(self, channel: str | None) -> bool:
        return bool(channel) and (self.watch_all or channel in self.watch_channels)

    def auto_mode(self) -> Mode:
        """Socket Mode with an app token, HTTP with a signing secret and bot token, else console."""
        if self.app_token and self.bot_token:
            return "socket"
        if self.signing_secret and self.bot_token:
            return "http"
        return "console"


def _channels(raw: str) -> tuple[frozenset[str], bool]:
    items = frozenset(part.strip() for part in raw.split(",") if part.strip())
    return (frozenset(), True) if "all" in {i.lower() for i in items} else (items, False)


def load_settings(env: dict[str, str] | None = None, dotenv_path: Path | None = None) -> Settings:
    """Build settings from `env` (default: os.environ after loading `.env` without overriding)."""
    if env is None:
        from dotenv import load_dotenv

        load_dotenv(dotenv_path or Path.cwd() / ".env", override=False)
        env = dict(os.environ)
    api_url = env.get("SLACK_API_URL") or DEFAULT_API_URL
    if not api_url.endswith("/"):
        api_url += "/"
    channels, watch_all = _channels(env.get("SMTPBOT_WATCH_CHANNELS", ""))
    try:
        port = int(env.get("PORT", "3000"))
    except ValueError:
        port = 3000
    return Settings(
        bot_token=env.get("SLACK_BOT_TOKEN") or None,
        signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        app_token=env.get("SLACK_APP_TOKEN") or None,
        api_url=api_url,
        watch_channels=channels,
        watch_all=watch_all,
        port=port,
        log_level=(env.get("SMTPBOT_LOG_LEVEL") or "INFO").upper(),
    )
