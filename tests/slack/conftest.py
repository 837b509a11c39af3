"""Fixtures for the Slack tests: a fake Slack and the real bot, each in its own process.

One fake and one bot per session (Socket Mode: per module) keep the suite fast; tests use
fresh channel ids so they never see each other's replies.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from slackkit import FAKE, Bot, FakeSlack, free_port, raw_request, wait_for, wait_healthy


@pytest.fixture(scope="session")
def fake() -> Iterator[FakeSlack]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(FAKE), "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    fake = FakeSlack(port, proc)

    def up() -> bool:
        try:
            return raw_request(port, "GET", "/_fake/socket")[0] == 200
        except OSError:
            return False

    assert wait_for(up, timeout=20), "fake Slack did not start"
    yield fake
    proc.terminate()
    proc.wait(10)


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
