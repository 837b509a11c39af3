"""Fixtures for the Slack tests: a fake Slack and the real bot, each in its own process.

One fake and one bot per session (Socket Mode: per module) keep the suite fast; tests use
fresh channel ids so they never see each other's replies.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slackkit import Bot, FakeSlack, free_port, start_fake, wait_for, wait_healthy


@pytest.fixture(scope="session")
def fake() -> Iterator[FakeSlack]:
    fake = start_fake()
    yield fake
    fake.proc.terminate()
    fake.proc.wait(10)


# ---------------------------------------------------------------- the bot


@pytest.fixture(scope="session")
def http_bot(fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    port = free_port()
    bot = Bot("http", fake, tmp_path_factory.mktemp("http") / "bot.log", port=port)
    if not wait_healthy(port, bot.proc):
        bot.stop()
        pytest.fail("HTTP bot did not become healthy:\n" + bot.log_text()[-3000:])
    yield bot
    bot.stop()


@pytest.fixture(scope="module")
def socket_bot(fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    before = fake.socket_state()["connects"]
    bot = Bot("socket", fake, tmp_path_factory.mktemp("socket") / "bot.log")

    def connected() -> bool:
        state = fake.socket_state()
        return state["connects"] > before and state["live"] > 0

    if not wait_for(connected, timeout=60, interval=0.1):
        bot.stop()
        pytest.fail("Socket Mode bot did not connect:\n" + bot.log_text()[-3000:])
    yield bot
    bot.stop()
