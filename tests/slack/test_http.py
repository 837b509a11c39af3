"""HTTP mode end to end: the real bot process, signed requests, a fake Slack Web API.

One test per behaviour of contract §9 (`http.*`), plus Slack-limit checks on every reply.
Replies are read back from the fake (what the bot posted) or from the ack body.
"""

from __future__ import annotations

import concurrent.futures
import json
import re
import time
from typing import Any

import pytest
from slackkit import (
    BOT_ID,
    BOT_TOKEN,
    BOT_USER,
    HUMAN,
    POSTFIX_BOUNCE,
    Bot,
    FakeSlack,
    all_text,
    blocks_of,
    ephemeral_slash,
    mention_event,
    message_event,
    new_channel,
    new_ts,
    raw_request,
    shortcut_payload,
    sign,
    slack_markup,
    wait_for,
    watched_channel,
)

from bot.render.limits import validate_message

SETTLE = 0.6  # how long "no reply" tests wait for a reply that must not come
USER_UNKNOWN = re.compile(r"(does not exist|doesn't exist|unknown|no such|not exist)", re.I)


def slash_reply(bot: Bot, fake: FakeSlack, text: str) -> dict[str, Any]:
    """The ephemeral reply to `/smtp text`: the ack body, else the response_url post."""
    return ephemeral_slash(bot, fake, text)[0]


def assert_valid(payload: dict[str, Any], surface: str = "message") -> None:
    problems = validate_message(payload, surface=surface)  # type: ignore[arg-type]
    assert not problems, problems


def words(text: str) -> int:
    return len(re.findall(r"[A-Za-z]{2,}", text))


def post_text(call: dict[str, Any]) -> str:
    return call["args"].get("text", "") + "\n" + all_text(blocks_of(call["args"]))


# ---------------------------------------------------------------- basics


def test_healthz(http_bot: Bot) -> None:
    assert raw_request(http_bot.port, "GET", "/healthz")[0] == 200


def test_url_verification(http_bot: Bot) -> None:
    body = json.dumps(
        {"token": "x", "challenge": "ch4ll3nge-value", "type": "url_verification"}
    ).encode()
    status, _, data, _ = http_bot.signed(body, "application/json")
    assert status == 200
    assert b"ch4ll3nge-value" in data


def test_bad_signature_401(http_bot: Bot, fake: FakeSlack) -> None:
    before = len(fake.calls())
    body = b"command=%2Fsmtp&text=554&response_url=x"
    assert http_bot.signed(body, "application/x-www-form-urlencoded", signature="v0=00")[0] == 401
    ts = int(time.time())
    signature = sign(http_bot.signing_secret, body, ts)
    tampered = body.replace(b"554", b"555")
    status = http_bot.signed(
        tampered, "application/x-www-form-urlencoded", timestamp=ts, signature=signature
    )[0]
    assert status == 401
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    assert raw_request(http_bot.port, "POST", "/slack/events", body, headers)[0] == 401
    time.sleep(0.2)
    assert len(fake.calls()) == before


@pytest.mark.parametrize("skew", [-301, 301, -3600])
def test_stale_timestamp_401(http_bot: Bot, skew: int) -> None:
    body = b"command=%2Fsmtp&text=554"
    assert (
        http_bot.signed(
            body, "application/x-www-form-urlencoded", timestamp=int(time.time()) + skew
        )[0]
        == 401
    )


# ---------------------------------------------------------------- slash command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("554", ["554"]),
        ("5.7.26", ["5.7.26"]),
        ("550 5.7.1", ["550", "5.7.1"]),
        ("211 vs 554", ["211", "554"]),
        ("compare 421 450", ["421", "450"]),
    ],
)
def test_slash_codes(http_bot: Bot, fake: FakeSlack, text: str, expected: list[str]) -> None:
    reply = slash_reply(http_bot, fake, text)
    assert_valid(reply)
    content = all_text(reply)
    for code in expected:
        assert code in content
    assert words(content) >= 8


@pytest.mark.parametrize("text", ["help", "", "   ", "flibbertigibbet wobble"])
def test_slash_help(http_bot: Bot, fake: FakeSlack, text: str) -> None:
    reply = slash_reply(http_bot, fake, text)
    assert_valid(reply)
    content = all_text(reply)
    assert "/smtp" in content
    assert words(content) >= 8
    assert "error" not in content.lower() or "couldn't" not in content.lower()


def test_slash_search_mailbox_full(http_bot: Bot, fake: FakeSlack) -> None:
    content = all_text(slash_reply(http_bot, fake, "search mailbox full"))
    assert sum(code in content for code in ("452", "552", "4.2.2", "5.2.2")) >= 2


def test_slash_pasted_bounce(http_bot: Bot, fake: FakeSlack) -> None:
    escaped = POSTFIX_BOUNCE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    reply = slash_reply(http_bot, fake, escaped)
    assert_valid(reply)
    content = all_text(reply)
    assert "5.1.1" in content
    assert USER_UNKNOWN.search(content)


def test_slash_unknown_code_299(http_bot: Bot, fake: FakeSlack) -> None:
    reply = slash_reply(http_bot, fake, "299")
    content = all_text(reply)
    assert "299" in content
    assert re.search(
        r"unknown|not a registered|not registered|not defined|unassigned", content, re.I
    )
    assert not re.search(r"traceback|exception|internal error", content, re.I)


def test_slash_40k_chars(http_bot: Bot, fake: FakeSlack) -> None:
    filler = "Received: from relay.example.org by mx.example.org; queue id 4F2A1\n"
    text = (POSTFIX_BOUNCE + filler * 700)[:40_000]
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    started = time.monotonic()
    reply = slash_reply(http_bot, fake, escaped)
    assert time.monotonic() - started < 10
    assert_valid(reply)
    content = all_text(reply)
    assert "5.1.1" in content or "550" in content


def test_slash_reply_carries_share_button(http_bot: Bot, fake: FakeSlack) -> None:
    reply = slash_reply(http_bot, fake, "554")
    buttons = [
        el
        for block in reply["blocks"]
        if block["type"] == "actions"
        for el in block["elements"]
        if el["type"] == "button"
    ]
    assert any(re.search(r"share|post .*channel", b["text"]["text"], re.I) for b in buttons)


def test_buttons_handled(http_bot: Bot, fake: FakeSlack) -> None:
    """Every button in a reply is acked; Share posts the same answer in the channel."""
    channel = new_channel()
    reply = slash_reply(http_bot, fake, "550 5.7.1")
    for block in reply["blocks"]:
        if block["type"] != "actions":
            continue
        for button in block["elements"]:
            response_url = fake.new_response_url()
            payload = {
                "type": "block_actions",
                "user": {"id": HUMAN},
                "team": {"id": "T0E2E0001"},
                "api_app_id": "A0E2E0001",
                "container": {"type": "message", "channel_id": channel, "is_ephemeral": True},
                "channel": {"id": channel},
                "trigger_id": "1.2.3",
                "response_url": response_url,
                "actions": [
                    {
                        "type": "button",
                        "action_id": button["action_id"],
                        "block_id": block.get("block_id", "b"),
                        "value": button.get("value", ""),
                        "text": button["text"],
                        "action_ts": new_ts(),
                    }
                ],
            }
            status, _, elapsed = http_bot.interactive(payload)
            assert status == 200 and elapsed < 3
            if re.search(r"share|post .*channel", button["text"]["text"], re.I):
                posted = wait_for(lambda url=response_url: fake.responses(url))
                assert posted
                body = posted[0]["body"]
                assert body["response_type"] == "in_channel"
                assert_valid(body)
                assert "550" in all_text(body) and "5.7.1" in all_text(body)


def test_unknown_action_is_acked(http_bot: Bot) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": HUMAN},
        "team": {"id": "T0E2E0001"},
        "trigger_id": "1.2.3",
        "actions": [{"type": "button", "action_id": "nobody_handles_this", "block_id": "x"}],
    }
    assert http_bot.interactive(payload)[0] == 200


# ---------------------------------------------------------------- mentions, DMs


def test_mention_threaded_reply(http_bot: Bot, fake: FakeSlack) -> None:
    channel = new_channel()
    event = mention_event(channel, "what is 421?")
    assert http_bot.event(event)[0] == 200
    posts = wait_for(lambda: fake.posts(channel))
    assert len(posts) == 1
    assert posts[0]["args"]["thread_ts"] == event["ts"]
    assert "421" in post_text(posts[0])
    assert posts[0]["result"]["ok"]


def test_mention_in_thread_replies_in_that_thread(http_bot: Bot, fake: FakeSlack) -> None:
    channel = new_channel()
    parent = new_ts()
    event = mention_event(channel, "what is 554?", thread_ts=parent)
    http_bot.event(event)
    posts = wait_for(lambda: fake.posts(channel))
    assert posts and posts[0]["args"]["thread_ts"] == parent


def test_mention_compare(http_bot: Bot, fake: FakeSlack) -> None:
    channel = new_channel()
    http_bot.event(mention_event(channel, "compare 421 450"))
    posts = wait_for(lambda: fake.posts(channel))
    assert posts
    text = post_text(posts[0])
    assert "421" in text and "450" in text


def test_mention_in_bounce_thread(http_bot: Bot, fake: FakeSlack) -> None:
    channel = new_channel()
    parent = fake.seed_message(channel, {"user": HUMAN, "text": slack_markup(POSTFIX_BOUNCE)})
    event = mention_event(channel, "can you explain this?", thread_ts=parent["ts"])
    http_bot.event(event)
    posts = wait_for(lambda: fake.posts(channel))
    assert len(posts) == 1
    assert posts[0]["args"]["thread_ts"] == parent["ts"]
    assert "5.1.1" in post_text(posts[0])


def test_dm_to_bot(http_bot: Bot, fake: FakeSlack) -> None:
    channel = "D0E2E" + new_channel()[5:]
    http_bot.event(message_event(channel, "what is 550 5.7.1?"))
    posts = wait_for(lambda: fake.posts(channel))
    assert len(posts) == 1
    assert "5.7.1" in post_text(posts[0])


# ---------------------------------------------------------------- watched channels


def test_bounce_paste_threaded_reply(http_bot: Bot, fake: FakeSlack) -> None:
    channel = watched_channel()
    event = message_event(channel, slack_markup(POSTFIX_BOUNCE))
    http_bot.event(event)
    posts = wait_for(lambda: fake.posts(channel))
    assert len(posts) == 1
    assert posts[0]["args"]["thread_ts"] == event["ts"]
    text = post_text(posts[0])
    assert "5.1.1" in text and USER_UNKNOWN.search(text)
    time.sleep(SETTLE)
    assert len(fake.posts(channel)) == 1


def test_contract_watched_channel_c123(http_bot: Bot, fake: FakeSlack) -> None:
    event = message_event("C123", slack_markup(POSTFIX_BOUNCE))
    http_bot.event(event)
    assert wait_for(
        lambda: [c for c in fake.posts("C123") if c["args"].get("thread_ts") == event["ts"]]
    )


def test_edit_of_answered_message_ignored(http_bot: Bot, fake: FakeSlack) -> None:
    channel = watched_channel()
    original = message_event(channel, slack_markup(POSTFIX_BOUNCE))
    http_bot.event(original)
    assert wait_for(lambda: fake.posts(channel))
    edited = {**original, "text": original["text"] + "\n(edited)"}
    edit = {
        "type": "message",
        "subtype": "message_changed",
        "channel": channel,
        "hidden": True,
        "ts": new_ts(),
        "message": {**edited, "edited": {"user": HUMAN, "ts": new_ts()}},
        "previous_message": original,
        "channel_type": "channel",
    }
    assert http_bot.event(edit)[0] == 200
    time.sleep(SETTLE)
    assert len(fake.posts(channel)) == 1


def test_mention_plus_message_one_reply(http_bot: Bot, fake: FakeSlack) -> None:
    channel = watched_channel()
    text = f"<@{BOT_USER}> " + slack_markup(POSTFIX_BOUNCE)
    ts = new_ts()
    mention = {**mention_event(channel, ""), "text": text, "ts": ts}
    message = {**message_event(channel, text), "ts": ts}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        list(pool.map(http_bot.event, [message, mention]))
    assert wait_for(lambda: fake.posts(channel))
    time.sleep(SETTLE)
    posts = fake.posts(channel)
    assert len(posts) == 1
    assert "5.1.1" in post_text(posts[0])


@pytest.mark.parametrize(
    "text",
    ["good morning everyone!", "the build on 10.3.1 passed, lunch at 12", "deploy 554 done?"],
)
def test_ordinary_chat_ignored(http_bot: Bot, fake: FakeSlack, text: str) -> None:
    channel = watched_channel()
    assert http_bot.event(message_event(channel, text))[0] == 200
    time.sleep(SETTLE)
    assert fake.posts(channel) == []


def test_unwatched_channel_ignored(http_bot: Bot, fake: FakeSlack) -> None:
    channel = new_channel()
    assert http_bot.event(message_event(channel, slack_markup(POSTFIX_BOUNCE)))[0] == 200
    time.sleep(SETTLE)
    assert fake.posts(channel) == []


@pytest.mark.parametrize(
    "extra",
    [
        {"user": BOT_USER, "bot_id": BOT_ID},
        {"user": BOT_USER},
        {"bot_id": "B0OTHER01", "user": "U0OTHER01"},
        {"subtype": "bot_message", "bot_id": "B0OTHER02", "username": "alerts"},
    ],
    ids=["own", "own_user", "other_bot", "bot_message"],
)
def test_bot_messages_ignored(http_bot: Bot, fake: FakeSlack, extra: dict[str, Any]) -> None:
    channel = watched_channel()
    event = {**message_event(channel, slack_markup(POSTFIX_BOUNCE)), **extra}
    assert http_bot.event(event)[0] == 200
    time.sleep(SETTLE)
    assert fake.posts(channel) == []


def test_eml_file_share(http_bot: Bot, fake: FakeSlack) -> None:
    channel = watched_channel()
    eml = make_dsn("j.doe@example.net", "5.1.1", "550 5.1.1 <j.doe@example.net>: User unknown")
    file = fake.add_file("bounce.eml", eml)
    event = message_event(channel, "", subtype="file_share", files=[file])
    http_bot.event(event)
    posts = wait_for(lambda: fake.posts(channel))
    assert posts and posts[0]["args"]["thread_ts"] == event["ts"]
    assert "5.1.1" in post_text(posts[0])
    fetches = [f for f in fake.file_fetches() if f["file"] == file["id"]]
    assert fetches and all(f["authorized"] for f in fetches)


def test_5mb_eml(http_bot: Bot, fake: FakeSlack) -> None:
    channel = watched_channel()
    eml = make_dsn("big@example.net", "5.2.2", "552 5.2.2 Mailbox full", attachment=5 * 1024 * 1024)
    assert len(eml) > 5 * 1024 * 1024
    file = fake.add_file("big.eml", eml)
    assert http_bot.event(message_event(channel, "", subtype="file_share", files=[file]))[0] == 200
    posts = wait_for(lambda: fake.posts(channel), timeout=20)
    assert posts and posts[0]["result"]["ok"]
    assert "5.2.2" in post_text(posts[0])


# ---------------------------------------------------------------- shortcut, home


def test_message_shortcut(http_bot: Bot, fake: FakeSlack) -> None:
    channel = new_channel()
    response_url = fake.new_response_url()
    text = "Got 550 5.7.1 from one host and 421 4.7.0 from another"
    status, _, elapsed = http_bot.interactive(shortcut_payload(text, channel, response_url))
    assert status == 200 and elapsed < 3
    posted = wait_for(lambda: fake.responses(response_url))
    assert posted and "error" not in posted[0]
    body = posted[0]["body"]
    assert body.get("response_type", "ephemeral") == "ephemeral"
    content = all_text(body)
    assert "550" in content and "421" in content and words(content) >= 8


def test_home_tab(http_bot: Bot, fake: FakeSlack) -> None:
    user = "U0E2EHOME" + new_channel()[-4:]
    event = {"type": "app_home_opened", "user": user, "channel": "D0E2EHOME", "tab": "home"}
    assert http_bot.event(event)[0] == 200
    calls = wait_for(
        lambda: [c for c in fake.calls("views.publish") if c["args"].get("user_id") == user]
    )
    assert calls and calls[0]["result"]["ok"]
    view = calls[0]["args"]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    assert "/smtp" in all_text(view)


def test_messages_tab_does_not_publish(http_bot: Bot, fake: FakeSlack) -> None:
    user = "U0E2EMSGS" + new_channel()[-4:]
    http_bot.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "messages"})
    time.sleep(SETTLE)
    assert not [c for c in fake.calls("views.publish") if c["args"].get("user_id") == user]


def test_unhandled_event_gets_2xx(http_bot: Bot) -> None:
    assert http_bot.event({"type": "reaction_added", "user": HUMAN, "reaction": "+1"})[0] == 200
    assert http_bot.event({"type": "channel_created", "channel": {"id": "C1"}})[0] == 200


# ---------------------------------------------------------------- retries


def test_retry_after_reply_no_double_post(http_bot: Bot, fake: FakeSlack) -> None:
    channel = new_channel()
    event = mention_event(channel, "what is 421?")
    _, event_id = http_bot.event(event)
    assert wait_for(lambda: fake.posts(channel))
    assert http_bot.event(event, event_id=event_id, retry=1)[0] == 200
    assert http_bot.event(event, event_id=event_id, retry=2)[0] == 200
    time.sleep(SETTLE)
    assert len(fake.posts(channel)) == 1


def test_retry_storm_no_double_post(http_bot: Bot, fake: FakeSlack) -> None:
    channel = watched_channel()
    event = message_event(channel, slack_markup(POSTFIX_BOUNCE))
    event_id = "EvSTORM" + new_channel()[-6:]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        statuses = list(
            pool.map(lambda r: http_bot.event(event, event_id=event_id, retry=r)[0], range(4))
        )
    assert statuses == [200] * 4
    assert wait_for(lambda: fake.posts(channel))
    time.sleep(SETTLE)
    assert len(fake.posts(channel)) == 1


def test_retry_of_unseen_event_answered(http_bot: Bot, fake: FakeSlack) -> None:
    channel = new_channel()
    assert http_bot.event(mention_event(channel, "what is 554?"), retry=1)[0] == 200
    posts = wait_for(lambda: fake.posts(channel))
    assert len(posts) == 1 and "554" in post_text(posts[0])


# ---------------------------------------------------------------- size and speed


def test_paste_40k_chars(http_bot: Bot, fake: FakeSlack) -> None:
    channel = watched_channel()
    lines = [
        f"<user{n}@example.net>: host mail.example.net[203.0.113.25] said: 550 5.1.1 "
        f"<user{n}@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO)"
        for n in range(400)
    ]
    text = ("This is the mail system at host mx.example.org.\n\n" + "\n".join(lines))[:40_000]
    event = message_event(channel, slack_markup(text)[:40_000])
    started = time.monotonic()
    assert http_bot.event(event)[0] == 200
    assert time.monotonic() - started < 3
    posts = wait_for(lambda: fake.posts(channel), timeout=20)
    assert posts and posts[0]["result"]["ok"], posts and posts[0]["result"]
    assert "5.1.1" in post_text(posts[0]) or "550" in post_text(posts[0])


def test_latency_sequential(http_bot: Bot) -> None:
    times = [http_bot.slash("554")[3] for _ in range(50)]
    assert max(times) < 3
    assert sorted(times)[len(times) // 2] < 0.1


def test_latency_concurrent_20(http_bot: Bot) -> None:
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        results = list(pool.map(lambda _: http_bot.slash("554"), range(100)))
    assert all(r[0] == 200 and r[1] and "554" in all_text(r[1]) for r in results)
    assert max(r[3] for r in results) < 3


# ---------------------------------------------------------------- hygiene (run last)


def test_zz_web_api_calls_all_ok(http_bot: Bot, fake: FakeSlack) -> None:
    calls = [c for c in fake.calls() if c["method"] != "apps.connections.open"]
    assert calls
    failed = [(c["method"], c["result"]) for c in calls if not c["result"].get("ok")]
    assert not failed
    bad = [r for r in _all_responses(fake) if "error" in r]
    assert not bad, bad[:3]


def test_zz_auth_token_used(http_bot: Bot, fake: FakeSlack) -> None:
    calls = [c for c in fake.calls() if c["method"] != "apps.connections.open"]
    assert calls and all(c["token"] == BOT_TOKEN and not c["token_param"] for c in calls)


def test_zz_no_secrets_or_addresses_in_logs(http_bot: Bot) -> None:
    log = http_bot.log_text()
    for secret in (BOT_TOKEN, http_bot.signing_secret, "xapp-test"):
        assert secret not in log
    assert not re.search(r"[\w.+-]+@example\.(net|org)", log)


def test_zz_sigterm_exits_cleanly(fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory):
    from slackkit import free_port, wait_healthy

    port = free_port()
    bot = Bot("http", fake, tmp_path_factory.mktemp("term") / "bot.log", port=port)
    assert wait_healthy(port, bot.proc)
    started = time.monotonic()
    assert bot.stop() is not None
    assert time.monotonic() - started < 10


def _all_responses(fake: FakeSlack) -> list[dict[str, Any]]:
    return fake._get("responses")


# ---------------------------------------------------------------- helpers


def make_dsn(address: str, status: str, diagnostic: str, attachment: int = 0) -> bytes:
    """A multipart/report DSN (RFC 3464), optionally padded with a large attachment."""
    boundary = "BOUNDARY-e2e"
    padding = ""
    if attachment:
        line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\n"
        padding = (
            f"--{boundary}\nContent-Type: application/octet-stream\n"
            "Content-Transfer-Encoding: base64\n\n" + line * (attachment // len(line) + 1)
        )
    text = f"""From: MAILER-DAEMON@mx.example.org
To: sender@example.org
Subject: Undelivered Mail Returned to Sender
Date: Mon, 3 Mar 2025 10:00:00 +0000
Message-ID: <dsn.1@mx.example.org>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"

--{boundary}
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered to {address}.

--{boundary}
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Arrival-Date: Mon, 3 Mar 2025 09:59:58 +0000

Final-Recipient: rfc822; {address}
Original-Recipient: rfc822;{address}
Action: failed
Status: {status}
Remote-MTA: dns; mail.example.net
Diagnostic-Code: smtp; {diagnostic}

{padding}--{boundary}
Content-Type: text/rfc822-headers

From: sender@example.org
To: {address}
Subject: hello
Message-ID: <orig.1@example.org>

--{boundary}--
"""
    return text.replace("\n", "\r\n").encode()
