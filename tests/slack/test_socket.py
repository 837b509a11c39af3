"""Socket Mode end to end: the real bot process against the fake's Socket Mode server.

Envelopes carry exactly what HTTP mode would receive; each must be acked within 3 s by
envelope_id. Contract §9 `socket.*` behaviours.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from slackkit import (
    APP_TOKEN,
    BOT_TOKEN,
    HUMAN,
    POSTFIX_BOUNCE,
    Bot,
    FakeSlack,
    all_text,
    blocks_of,
    envelope,
    event_callback,
    mention_event,
    new_channel,
    send,
    shortcut_payload,
    slack_markup,
    slash_form,
    wait_for,
    watched_channel,
)

from bot.render.limits import validate_message


def slash(fake: FakeSlack, text: str) -> dict[str, Any]:
    response_url = fake.new_response_url()
    ack = send(fake, envelope("slash_commands", slash_form(text, new_channel(), response_url)))
    payload = ack.get("payload") or {}
    if payload.get("text") or payload.get("blocks"):
        return payload
    posted = wait_for(lambda: fake.responses(response_url))
    assert posted
    return posted[0]["body"]


def test_connects_with_app_token(socket_bot: Bot, fake: FakeSlack) -> None:
    opens = fake.calls("apps.connections.open")
    assert opens
    assert all(c["token"] == APP_TOKEN and not c["token_param"] for c in opens)
    assert fake.socket_state()["live"] >= 1


def test_slash_554(socket_bot: Bot, fake: FakeSlack) -> None:
    reply = slash(fake, "554")
    assert reply.get("response_type", "ephemeral") == "ephemeral"
    assert not validate_message(reply)
    assert "554" in all_text(reply)


def test_mention_threaded_reply(socket_bot: Bot, fake: FakeSlack) -> None:
    channel = new_channel()
    event = mention_event(channel, "what is 421?")
    send(fake, envelope("events_api", event_callback(event, "Ev" + uuid.uuid4().hex[:10])))
    posts = wait_for(lambda: fake.posts(channel))
    assert len(posts) == 1
    assert posts[0]["args"]["thread_ts"] == event["ts"]
    assert "421" in all_text(blocks_of(posts[0]["args"]))


def test_redelivery_no_double_post(socket_bot: Bot, fake: FakeSlack) -> None:
    channel = watched_channel()
    event = {
        "type": "message",
        "channel": channel,
        "user": HUMAN,
        "text": slack_markup(POSTFIX_BOUNCE),
        "ts": f"{time.time():.6f}",
        "channel_type": "channel",
    }
    body = event_callback(event, "EvREDELIVER" + uuid.uuid4().hex[:6])
    send(fake, envelope("events_api", body))
    assert wait_for(lambda: fake.posts(channel))
    send(fake, envelope("events_api", body, retry=1))
    send(fake, envelope("events_api", body, retry=2))
    time.sleep(0.6)
    posts = fake.posts(channel)
    assert len(posts) == 1 and "5.1.1" in all_text(blocks_of(posts[0]["args"]))


def test_message_shortcut(socket_bot: Bot, fake: FakeSlack) -> None:
    response_url = fake.new_response_url()
    text = "Got 550 5.7.1 from one host and 421 4.7.0 from another"
    send(fake, envelope("interactive", shortcut_payload(text, new_channel(), response_url)))
    posted = wait_for(lambda: fake.responses(response_url))
    assert posted and "error" not in posted[0]
    content = all_text(posted[0]["body"])
    assert "550" in content and "421" in content


def test_home_tab(socket_bot: Bot, fake: FakeSlack) -> None:
    user = "U0E2ESOCK" + new_channel()[-4:]
    event = {"type": "app_home_opened", "user": user, "channel": "D0E2E0002", "tab": "home"}
    send(fake, envelope("events_api", event_callback(event, "Ev" + uuid.uuid4().hex[:10])))
    calls = wait_for(
        lambda: [c for c in fake.calls("views.publish") if c["args"].get("user_id") == user]
    )
    assert calls and calls[0]["result"]["ok"]


def test_reconnect_on_refresh(socket_bot: Bot, fake: FakeSlack) -> None:
    before = fake.socket_state()["connects"]
    assert fake.socket_refresh()["ok"]
    assert wait_for(lambda: fake.socket_state()["connects"] > before, timeout=10)
    time.sleep(1.5)  # the fake closes the old socket 1 s after the new one is up
    assert fake.socket_state()["live"] >= 1
    assert "554" in all_text(slash(fake, "554"))


def test_zz_web_api_calls_all_ok(socket_bot: Bot, fake: FakeSlack) -> None:
    failed = [(c["method"], c["result"]) for c in fake.calls() if not c["result"].get("ok")]
    assert not failed


def test_zz_no_secrets_in_logs(socket_bot: Bot) -> None:
    log = socket_bot.log_text()
    for secret in (BOT_TOKEN, APP_TOKEN):
        assert secret not in log
    assert not re.search(r"[\w.+-]+@example\.(net|org)", log)


def test_zz_sigterm_exits_cleanly(socket_bot: Bot) -> None:
    started = time.monotonic()
    assert socket_bot.stop() is not None
    assert time.monotonic() - started < 10
