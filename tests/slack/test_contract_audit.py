"""Contract audit: black-box checks of /work/shared/slack-contract.md §1–§9 that the other
Slack tests cover loosely or not at all.

Written the way the external checker drives the app: the real process, a clean environment,
stdin closed, signed requests, a fake Slack on loopback. Replies are checked with a Block Kit
validator written here from the contract's §5 list — deliberately independent of
`bot.render.limits`, which the shared fake also uses, so a gap in the bot's own validator
cannot hide a reply Slack would refuse.

Tests that make the Web API fail (error paths) or need other settings run against a private
fake and a private bot, so the shared fake's "every Web API call succeeded" checks stay valid.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from slackkit import (
    APP_TOKEN,
    BOT_ID,
    BOT_TOKEN,
    BOT_USER,
    HUMAN,
    POSTFIX_BOUNCE,
    REPO,
    TEAM_ID,
    Bot,
    FakeSlack,
    all_text,
    blocks_of,
    envelope,
    ephemeral_slash,
    event_callback,
    free_port,
    mention_event,
    message_event,
    new_channel,
    new_ts,
    raw_request,
    send,
    shortcut_payload,
    sign,
    slack_markup,
    slash_form,
    start_fake,
    wait_for,
    wait_healthy,
    watched_channel,
)

SETTLE = 0.6
CONTRACT = Path("/work/shared/slack-contract.md")
MEANING_5_1_1 = re.compile(
    r"(does not exist|doesn't exist|not exist|unknown|no such|invalid|not found)", re.I
)
INTERNAL_ERROR = re.compile(
    r"traceback|unhandled exception|internal error|something went wrong|unexpected error|"
    r"could ?n[o']t (?:process|handle)|failed to|stack trace|\bbug\b",
    re.I,
)
# §4: the Postfix line exactly as Slack delivers it.
CONTRACT_LINE = (
    "&lt;<mailto:j.doe@example.net|j.doe@example.net>&gt;: host "
    "<http://mail.example.net|mail.example.net>[203.0.113.25] said: 550 5.1.1"
)
SHARE_LABEL = re.compile(r"share|post .*channel", re.I)


# ================================================================ an independent validator

MAX_BLOCKS = {"message": 50, "home": 100, "modal": 100}


def _text_obj(obj: Any, where: str, out: list[str], limit: int = 3000, plain: bool = False):
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        out.append(f"{where}: not a text object: {obj!r:.80}")
        return
    if plain and obj["type"] != "plain_text":
        out.append(f"{where}: must be plain_text")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        out.append(f"{where}: empty text")
    elif len(text) > min(limit, 3000):
        out.append(f"{where}: {len(text)} chars > {min(limit, 3000)}")
    if "emoji" in obj and obj["type"] != "plain_text":
        out.append(f"{where}: emoji on mrkdwn")
    if "verbatim" in obj and obj["type"] != "mrkdwn":
        out.append(f"{where}: verbatim on plain_text")


def _button(el: dict[str, Any], where: str, out: list[str]) -> None:
    _text_obj(el.get("text"), f"{where}.text", out, 75, plain=True)
    if not isinstance(el.get("action_id"), str) or not 0 < len(el["action_id"]) <= 255:
        out.append(f"{where}: action_id missing or > 255")
    if "value" in el and (not isinstance(el["value"], str) or len(el["value"]) > 2000):
        out.append(f"{where}: value > 2000")
    if "url" in el and (not isinstance(el["url"], str) or len(el["url"]) > 3000):
        out.append(f"{where}: url > 3000")


def block_problems(blocks: Any, surface: str = "message") -> list[str]:
    out: list[str] = []
    if not isinstance(blocks, list) or not blocks:
        return ["blocks missing or empty"]
    if len(blocks) > MAX_BLOCKS[surface]:
        out.append(f"{len(blocks)} blocks > {MAX_BLOCKS[surface]}")
    ids: set[str] = set()
    markdown = 0
    for i, b in enumerate(blocks):
        w = f"blocks[{i}]"
        kind = b.get("type")
        if "block_id" in b:
            bid = b["block_id"]
            if not isinstance(bid, str) or not bid or len(bid) > 255 or bid in ids:
                out.append(f"{w}: bad or duplicate block_id")
            ids.add(str(bid))
        if kind == "section":
            if "text" not in b and not b.get("fields"):
                out.append(f"{w}: section without text or fields")
            if "text" in b:
                _text_obj(b["text"], f"{w}.text", out)
            if "fields" in b:
                if not isinstance(b["fields"], list) or not 0 < len(b["fields"]) <= 10:
                    out.append(f"{w}: fields must be 1..10")
                for j, f in enumerate(b.get("fields") or []):
                    _text_obj(f, f"{w}.fields[{j}]", out, 2000)
            if "accessory" in b and b["accessory"].get("type") == "button":
                _button(b["accessory"], f"{w}.accessory", out)
        elif kind == "header":
            _text_obj(b.get("text"), f"{w}.text", out, 150, plain=True)
        elif kind == "context":
            els = b.get("elements")
            if not isinstance(els, list) or not 0 < len(els) <= 10:
                out.append(f"{w}: context needs 1..10 elements")
            for j, el in enumerate(els or []):
                if el.get("type") != "image":
                    _text_obj(el, f"{w}.elements[{j}]", out)
        elif kind == "actions":
            els = b.get("elements")
            if not isinstance(els, list) or not 0 < len(els) <= 25:
                out.append(f"{w}: actions needs 1..25 elements")
            seen: set[str] = set()
            for j, el in enumerate(els or []):
                if el.get("type") == "button":
                    _button(el, f"{w}.elements[{j}]", out)
                if el.get("action_id") in seen:
                    out.append(f"{w}: duplicate action_id")
                seen.add(el.get("action_id"))
        elif kind == "markdown":
            markdown += len(b.get("text") or "")
        elif kind not in ("divider", "image", "rich_text"):
            out.append(f"{w}: unexpected block type {kind!r}")
    if markdown > 12_000:
        out.append("markdown blocks > 12,000 chars")
    return out


def payload_problems(payload: dict[str, Any]) -> list[str]:
    """§5 for a message payload: non-empty `text` (≤ 4,000: no truncation warning) + blocks."""
    out: list[str] = []
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip():
        out.append("no text fallback")
    elif len(text) > 4000:
        out.append(f"text is {len(text)} chars (Slack warns above 4,000)")
    blocks = payload.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if len(all_text(blocks)) > 12_000:  # Slack's msg_blocks_too_long starts near 13,000
        out.append(f"blocks hold {len(all_text(blocks))} chars of text: not compact")
    return out + block_problems(blocks)


def assert_payload(payload: dict[str, Any]) -> None:
    problems = payload_problems(payload)
    assert not problems, problems


def words(text: str) -> int:
    return len(re.findall(r"[A-Za-z]{2,}", text))


def post_text(call: dict[str, Any]) -> str:
    return str(call["args"].get("text", "")) + "\n" + all_text(blocks_of(call["args"]))


# ================================================================ helpers


def slash_reply(bot: Bot, fake: FakeSlack, text: str) -> tuple[dict[str, Any], str]:
    """(the ephemeral reply, its response_url); asserts the §6.1 delivery rules and §5."""
    reply, response_url = ephemeral_slash(bot, fake, text)
    assert_payload(reply)
    return reply, response_url


def buttons(reply: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [
        (block, el)
        for block in reply.get("blocks") or []
        if block.get("type") == "actions"
        for el in block.get("elements") or []
        if el.get("type") == "button"
    ]


def click(bot: Bot, block: dict, button: dict, **payload: Any) -> tuple[int, float]:
    body = {
        "type": "block_actions",
        "user": {"id": HUMAN, "username": "human", "team_id": TEAM_ID},
        "api_app_id": "A0E2E0001",
        "team": {"id": TEAM_ID, "domain": "smtpbot-e2e"},
        "trigger_id": f"{int(time.time())}.1.{uuid.uuid4().hex}",
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
        **payload,
    }
    status, _, elapsed = bot.interactive(body)
    return status, elapsed


def thread_posts(fake: FakeSlack, channel: str, thread_ts: str) -> list[dict[str, Any]]:
    return [c for c in fake.posts(channel) if c["args"].get("thread_ts") == thread_ts]


def dm_channel() -> str:
    return "D0E2E" + uuid.uuid4().hex[:6].upper()


class Started(Bot):
    """A bot started like the checker does, with options the shared fixture lacks: stdin
    really closed (not /dev/null), the `smtpbot` console script, extra environment."""

    def __init__(
        self,
        mode: str,
        fake: FakeSlack,
        log_path: Path,
        port: int | None = None,
        *,
        script: bool = False,
        env: dict[str, str] | None = None,
    ) -> None:
        self.mode, self.fake, self.log_path, self.port = mode, fake, log_path, port
        self.signing_secret = uuid.uuid4().hex
        base = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_API_URL": fake.api_url,
            "SMTPBOT_WATCH_CHANNELS": "C123",
            "PYTHONUNBUFFERED": "1",
        }
        if mode == "http":
            base["SLACK_SIGNING_SECRET"] = self.signing_secret
        else:
            base["SLACK_APP_TOKEN"] = APP_TOKEN
        self.env = {**base, **(env or {})}
        script_path = Path(sys.executable).with_name("smtpbot")
        cmd = [str(script_path)] if script else [sys.executable, "-m", "bot"]
        cmd += ["run", "--mode", mode] + (["--port", str(port)] if port else [])
        self.log = log_path.open("wb")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            env=self.env,
            stdin=None,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: os.close(0),  # stdin closed, as §1 says
        )


# ================================================================ §9 names → tests


HTTP_BEHAVIOURS = {
    "healthz": ["test_http.py::test_healthz"],
    "auth_token_used": ["test_http.py::test_zz_auth_token_used"],
    "url_verification": ["test_http.py::test_url_verification", "test_url_verification_exact"],
    "slash_554": ["test_http.py::test_slash_codes", "test_slash_table"],
    "slash_5.7.26": ["test_http.py::test_slash_codes", "test_slash_table"],
    "slash_550_5.7.1": ["test_http.py::test_slash_codes", "test_slash_table"],
    "slash_211_vs_554": ["test_http.py::test_slash_codes", "test_slash_table"],
    "slash_compare_421_450": ["test_http.py::test_slash_codes", "test_slash_table"],
    "slash_help": ["test_http.py::test_slash_help", "test_slash_help_and_empty"],
    "slash_empty_gives_help": ["test_http.py::test_slash_help", "test_slash_help_and_empty"],
    "slash_search_mailbox_full": ["test_slash_search_mailbox_full_exact"],
    "slash_pasted_bounce": ["test_slash_pasted_bounce_as_slack_sends_it"],
    "slash_unknown_code_299": ["test_slash_299_unknown_not_an_error"],
    "slash_40k_chars": ["test_http.py::test_slash_40k_chars", "test_slash_40k_every_delivery"],
    "buttons_handled": ["test_http.py::test_buttons_handled", "test_every_button_acked"],
    "mention_threaded_reply": ["test_mention_contract_line"],
    "mention_compare": ["test_http.py::test_mention_compare"],
    "mention_in_bounce_thread": ["test_mention_in_bounce_thread_wordings"],
    "dm_to_bot": ["test_dm_channel_type_im"],
    "bounce_paste_threaded_reply": ["test_message_contract_line_watched"],
    "edit_of_answered_message_ignored": ["test_edit_variants_ignored"],
    "mention_plus_message_one_reply": ["test_twin_in_either_order"],
    "ordinary_chat_ignored": ["test_http.py::test_ordinary_chat_ignored"],
    "unwatched_channel_ignored": ["test_http.py::test_unwatched_channel_ignored"],
    "own_message_ignored": ["test_http.py::test_bot_messages_ignored"],
    "other_bot_message_ignored": ["test_http.py::test_bot_messages_ignored"],
    "eml_file_share": ["test_eml_variants"],
    "message_shortcut": ["test_shortcut_contract_messages"],
    "home_tab": ["test_home_tab_contract"],
    "retry_after_reply_no_double_post": ["test_retry_header_variants"],
    "retry_storm_no_double_post": ["test_retry_storm_mixed_reasons"],
    "retry_of_unseen_event_answered": ["test_retry_header_variants"],
    "bad_signature_401": ["test_http.py::test_bad_signature_401", "test_signature_edge_cases"],
    "stale_timestamp_401": ["test_http.py::test_stale_timestamp_401"],
    "paste_40k_chars": ["test_http.py::test_paste_40k_chars"],
    "latency_sequential": ["test_http.py::test_latency_sequential"],
    "latency_concurrent_20": ["test_http.py::test_latency_concurrent_20"],
    "web_api_calls_all_ok": [
        "test_zz_every_payload_valid",
        "test_http.py::test_zz_web_api_calls_all_ok",
    ],
    "no_secrets_in_logs": ["test_error_paths_keep_logs_clean"],
    "no_addresses_in_logs": ["test_error_paths_keep_logs_clean"],
}
SOCKET_BEHAVIOURS = {
    "connects_with_app_token": ["test_socket_connects_with_app_token"],
    "slash_554": ["test_socket_slash_554"],
    "mention_threaded_reply": ["test_socket_mention_and_redelivery"],
    "redelivery_no_double_post": ["test_socket_mention_and_redelivery"],
    "message_shortcut": ["test_socket_shortcut_and_home"],
    "home_tab": ["test_socket_shortcut_and_home"],
    "reconnect_on_refresh": ["test_socket_reconnect_keeps_serving"],
    "web_api_calls_all_ok": ["test_socket_zz_calls_ok_logs_clean_sigterm"],
    "no_secrets_in_logs": ["test_socket_zz_calls_ok_logs_clean_sigterm"],
}


def test_every_contract_behaviour_has_a_test() -> None:
    here = Path(__file__).parent
    names = {"http": HTTP_BEHAVIOURS, "socket": SOCKET_BEHAVIOURS}
    if CONTRACT.exists():  # the list in §9, as written (else the copy above)
        section = CONTRACT.read_text().split("## 9.", 1)[1].split("## 10.", 1)[0]
        http_part, socket_part = section.split("Socket Mode:", 1)
        listed = {
            "http": set(re.findall(r"`([\w.]+)`", http_part)) - {"http."},
            "socket": set(re.findall(r"`([\w.]+)`", socket_part)) - {"socket."},
        }
        for mode in names:
            assert listed[mode] == set(names[mode]), listed[mode] ^ set(names[mode])
    for mapping in names.values():
        for tests in mapping.values():
            for ref in tests:
                module, _, name = ref.rpartition("::")
                source = (here / (module or Path(__file__).name)).read_text()
                assert f"def {name}(" in source, ref


# ================================================================ §1, §2: processes


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSlack, Started]]:
    """A private fake and an HTTP bot started with the `smtpbot` script, stdin closed,
    watching `all` channels — for error paths that must not pollute the shared fake."""
    fake = start_fake()
    port = free_port()
    log = tmp_path_factory.mktemp("private") / "bot.log"
    bot = Started("http", fake, log, port, script=True, env={"SMTPBOT_WATCH_CHANNELS": "all"})
    healthy = wait_healthy(port, bot.proc, timeout=60)
    bot.startup = time.monotonic() - bot.started
    if not healthy:
        bot.stop()
        fake.proc.terminate()
        pytest.fail("private bot did not start:\n" + bot.log_text()[-3000:])
    yield fake, bot
    bot.stop()
    fake.proc.terminate()
    fake.proc.wait(10)


def test_script_with_stdin_closed_starts_fast(private: tuple[FakeSlack, Started]) -> None:
    _, bot = private
    assert bot.startup < 60
    status, ack, _, elapsed = bot.slash("554")
    assert status == 200 and elapsed < 3 and ack and "554" in all_text(ack)
    # binding 127.0.0.1 works (contract: connections on 127.0.0.1:PORT)
    assert raw_request(bot.port, "GET", "/healthz")[0] == 200


def test_watch_all_channels(private: tuple[FakeSlack, Started]) -> None:
    fake, bot = private
    channel = new_channel()
    event = message_event(channel, slack_markup(POSTFIX_BOUNCE))
    assert bot.event(event)[0] == 200
    posts = wait_for(lambda: thread_posts(fake, channel, event["ts"]))
    assert len(posts) == 1 and "5.1.1" in post_text(posts[0])
    chat = new_channel()
    assert bot.event(message_event(chat, "morning all, coffee?"))[0] == 200
    time.sleep(SETTLE)
    assert fake.posts(chat) == []


def test_error_paths_keep_logs_clean(private: tuple[FakeSlack, Started]) -> None:
    """Web API errors, a failing response_url and unreadable files: every one is logged,
    none with a token, the signing secret or a pasted address."""
    fake, bot = private
    secret_address = "priv.person+tag@example.net"
    text = slack_markup(POSTFIX_BOUNCE.replace("j.doe@example.net", secret_address))
    # channel_not_found from chat.postMessage (a channel id the fake refuses)
    bad = "c-not-a-channel"
    bot.event({**mention_event(bad, ""), "text": f"<@{BOT_USER}> {text}"})
    bot.event(message_event("dm-bad", text, channel_type="im"))
    # a used-up response_url: the 6th post is refused with 404
    response_url = fake.new_response_url()
    for _ in range(6):
        raw_request(fake.port, "POST", "/response/" + response_url.rsplit("/", 1)[-1], b"{}")
    bot.slash(text, response_url=response_url)
    # a file the fake answers with the sign-in page (unknown id)
    file = {
        "id": "FNOPE0001",
        "name": f"{secret_address}.eml",
        "url_private_download": f"{fake.base}/files-pri/{TEAM_ID}-FNOPE0001/download/x.eml",
    }
    bot.event(message_event(new_channel(), text, subtype="file_share", files=[file]))
    # a thread whose parent is gone (conversations.replies: thread_not_found)
    bot.event(mention_event(new_channel(), "what about this?", thread_ts=new_ts()))
    time.sleep(1.5)
    assert [c for c in fake.calls() if not c["result"].get("ok")], "no error path was exercised"
    log = bot.log_text()
    for secret in (BOT_TOKEN, bot.signing_secret, APP_TOKEN):
        assert secret not in log
    assert secret_address not in log and "j.doe@example.net" not in log
    assert not re.search(r"[\w.+-]+@example\.(net|org)", log)
    assert bot.proc.poll() is None  # still serving
    assert bot.slash("554")[0] == 200


def test_private_sigterm_exits_within_10s(private: tuple[FakeSlack, Started]) -> None:
    _, bot = private
    big = slack_markup(POSTFIX_BOUNCE) + "\n" + "Received: from relay.example.org; id 4F2A1\n" * 900
    bot.event(message_event(new_channel(), big[:40_000]))  # work still in flight at SIGTERM
    bot.slash(POSTFIX_BOUNCE * 60)
    started = time.monotonic()
    assert bot.stop() is not None, "had to be SIGKILLed"
    assert time.monotonic() - started < 10


def test_wrong_bot_token_never_logged(tmp_path: Path) -> None:
    """The fake answers invalid_auth to every call: the token still never reaches the log."""
    fake = start_fake()
    try:
        port = free_port()
        token = "xoxb-wrong-" + uuid.uuid4().hex
        bot = Started("http", fake, tmp_path / "bot.log", port, env={"SLACK_BOT_TOKEN": token})
        try:
            assert wait_healthy(port, bot.proc, timeout=60)
            bot.event(mention_event(new_channel(), "what is 421?"))
            form = slash_form("554", new_channel(), fake.new_response_url())
            bot.signed(urlencode(form).encode(), "application/x-www-form-urlencoded")
            time.sleep(0.8)
        finally:
            bot.stop()
        log = bot.log_text()
        assert token not in log and bot.signing_secret not in log
        assert fake.calls("auth.test")  # the error path was exercised
    finally:
        fake.proc.terminate()
        fake.proc.wait(10)


# ================================================================ §2: settings, §5: every renderer


@pytest.mark.parametrize(
    ("raw", "watched", "unwatched"),
    [
        ("", [], ["C123"]),
        ("C123", ["C123"], ["C0E2E0001", "D0E2EDM01"]),
        (" C123 , C456 ,", ["C123", "C456"], ["C789"]),
        ("all", ["C123", "C0E2EABCDEF"], []),
        ("ALL", ["C123"], []),
    ],
)
def test_watch_channel_setting(raw: str, watched: list[str], unwatched: list[str]) -> None:
    from bot.settings import load_settings

    settings = load_settings({"SMTPBOT_WATCH_CHANNELS": raw})
    assert all(settings.watches(c) for c in watched)
    assert not any(settings.watches(c) for c in unwatched)


def test_api_url_setting() -> None:
    from bot.settings import load_settings

    assert load_settings({}).api_url == "https://slack.com/api/"
    url = "http://127.0.0.1:5555/api/"
    assert load_settings({"SLACK_API_URL": url}).api_url == url
    assert load_settings({"SLACK_API_URL": url[:-1]}).api_url == url


def test_every_code_and_big_input_renders_valid() -> None:
    """Every code in the knowledge base, and the biggest inputs, as the Slack surfaces render
    them (with the Share button), under the independent validator; the Home view too."""
    from bot.answer import answer
    from bot.kb.loader import load
    from bot.render.blocks import render_home
    from bot.settings import Settings
    from bot.slack.runtime import Runtime

    rt = Runtime(settings=Settings())
    kb = load("en")
    queries = [c.replace("X.", "5.") for c in kb.enhanced] + list(kb.basic)
    queries += [c.replace("X.", "4.") for c in kb.enhanced]
    queries += ["compare " + " ".join(list(kb.basic)[:12]), "search mail", "help", "299", "999"]
    many = "\n".join(
        f"<u{n}@example.net>: host mail.example.net[203.0.113.25] said: 5{n % 6}0 5.{n % 8}.{n % 9}"
        for n in range(500)
    )
    queries += [many, " ".join(f"550 5.7.{n}" for n in range(60)), "x" * 100_000]
    problems = []
    for query in queries:
        message = rt.render(answer(query), share_text=query)
        found = payload_problems(message.payload())
        problems += [(query[:30], p) for p in found]
    home = render_home([(f"5.7.{n}", n) for n in range(40)])
    problems += [("home", p) for p in block_problems(home["blocks"], "home")]
    assert not problems, problems[:10]


# ================================================================ §3: endpoints and signatures


def test_slash_ack_is_json_ephemeral(http_bot: Bot) -> None:
    form = slash_form("554", new_channel(), "http://127.0.0.1:9/unused")
    status, headers, data, elapsed = http_bot.signed(
        urlencode(form).encode(), "application/x-www-form-urlencoded"
    )
    assert status == 200 and elapsed < 3
    assert headers.get("content-type", "").startswith("application/json")
    ack = json.loads(data)
    assert ack["response_type"] == "ephemeral" and ack["text"].strip() and ack["blocks"]


def test_ssl_check_acked(http_bot: Bot) -> None:
    body = b"ssl_check=1&token=unused"
    assert http_bot.signed(body, "application/x-www-form-urlencoded")[0] == 200


def test_url_verification_exact(http_bot: Bot, fake: FakeSlack) -> None:
    before = len(fake.calls())
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    body = json.dumps({"token": "x", "challenge": challenge, "type": "url_verification"})
    status, _, data, elapsed = http_bot.signed(body.encode(), "application/json")
    assert status == 200 and elapsed < 3
    assert challenge in data.decode()
    assert len(fake.calls()) == before


def test_signature_edge_cases(http_bot: Bot, fake: FakeSlack) -> None:
    """Missing/garbled timestamps, other signature versions, a re-signed body with a changed
    timestamp, a tampered event: 401 and no effect at all."""
    channel = watched_channel()
    event = message_event(channel, slack_markup(POSTFIX_BOUNCE))
    body = json.dumps(event_callback(event, "EvSIG" + uuid.uuid4().hex[:8])).encode()
    ts = int(time.time())
    good = sign(http_bot.signing_secret, body, ts)
    port = http_bot.port
    assert port is not None
    cases = [
        {"X-Slack-Signature": good},  # no timestamp
        {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": good},
        {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": good.replace("v0=", "v1=")},
        {"X-Slack-Request-Timestamp": str(ts + 1), "X-Slack-Signature": good},
        {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": good.upper()[:-1] + "0"},
        {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": ""},
    ]
    for headers in cases:
        headers["Content-Type"] = "application/json"
        assert raw_request(port, "POST", "/slack/events", body, headers)[0] == 401, headers
    tampered = body.replace(b"550 5.1.1", b"550 5.1.2")
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": good,
    }
    assert raw_request(port, "POST", "/slack/events", tampered, headers)[0] == 401
    signed_with_other = sign("not-the-secret", body, ts)
    headers["X-Slack-Signature"] = signed_with_other
    assert raw_request(port, "POST", "/slack/events", body, headers)[0] == 401
    time.sleep(SETTLE)
    assert fake.posts(channel) == []


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", {"type": "app_rate_limited", "minute_rate_limited": 1}),
        ("application/json", {"type": "event_callback", "event": {"type": "team_join"}}),
        ("form", {"type": "shortcut", "callback_id": "someone_elses"}),
        ("form", {"type": "message_action", "callback_id": "another_shortcut"}),
        (
            "form",
            {"type": "view_submission", "view": {"id": "V1", "type": "modal", "callback_id": "x"}},
        ),
        (
            "form",
            {"type": "view_closed", "view": {"id": "V1", "type": "modal", "callback_id": "x"}},
        ),
        ("form", {"type": "block_suggestion", "action_id": "x", "block_id": "y", "value": ""}),
        ("slash", {"command": "/other", "text": "554"}),
    ],
    ids=[
        "app_rate_limited",
        "team_join",
        "global_shortcut",
        "other_message_action",
        "view_submission",
        "view_closed",
        "block_suggestion",
        "other_command",
    ],
)
def test_every_verified_request_gets_2xx(
    http_bot: Bot, content_type: str, body: dict[str, Any]
) -> None:
    """§3.3: Bolt answers 404 to what no listener handles; Slack would retry those."""
    common = {
        "token": "unused",
        "team_id": TEAM_ID,
        "api_app_id": "A0E2E0001",
        "event_id": "Ev" + uuid.uuid4().hex[:10],
        "user": {"id": HUMAN},
        "team": {"id": TEAM_ID},
        "trigger_id": "1.2.3",
    }
    if content_type == "application/json":
        raw = json.dumps({**common, **body}).encode()
        ctype = "application/json"
    elif content_type == "slash":
        form = {**slash_form("554", new_channel(), "http://127.0.0.1:9/x"), **body}
        raw, ctype = urlencode(form).encode(), "application/x-www-form-urlencoded"
    else:
        raw = urlencode({"payload": json.dumps({**common, **body})}).encode()
        ctype = "application/x-www-form-urlencoded"
    status, _, _, elapsed = http_bot.signed(raw, ctype)
    assert 200 <= status < 300 and elapsed < 3, status


# ================================================================ §4: markup, via every surface


def test_message_contract_line_watched(http_bot: Bot, fake: FakeSlack) -> None:
    """The §4 example, exactly as Slack sends it, pasted into the watched channel C123."""
    event = message_event("C123", CONTRACT_LINE)
    assert http_bot.event(event)[0] == 200
    posts = wait_for(lambda: thread_posts(fake, "C123", event["ts"]))
    assert len(posts) == 1 and posts[0]["result"]["ok"]
    text = post_text(posts[0])
    assert "5.1.1" in text and MEANING_5_1_1.search(text)
    assert_payload(posts[0]["args"])
    time.sleep(SETTLE)
    assert len(thread_posts(fake, "C123", event["ts"])) == 1


def test_mention_contract_line(http_bot: Bot, fake: FakeSlack) -> None:
    channel = new_channel()
    event = {**mention_event(channel, ""), "text": f"<@{BOT_USER}> {CONTRACT_LINE}"}
    assert http_bot.event(event)[0] == 200
    posts = wait_for(lambda: fake.posts(channel))
    assert len(posts) == 1 and posts[0]["args"]["thread_ts"] == event["ts"]
    text = post_text(posts[0])
    assert "5.1.1" in text and MEANING_5_1_1.search(text)
    assert "mailto:" not in text and "&amp;lt;" not in text
    assert_payload(posts[0]["args"])


def test_mention_with_display_name_and_entities(http_bot: Bot, fake: FakeSlack) -> None:
    """`<@U…|name>`, `&amp;` and a mention at the end still leave the codes readable."""
    channel = new_channel()
    text = f"what is 421 &amp; 450? <@{BOT_USER}|smtpbot>"
    event = {**mention_event(channel, ""), "text": text}
    http_bot.event(event)
    posts = wait_for(lambda: fake.posts(channel))
    assert len(posts) == 1
    content = post_text(posts[0])
    assert "421" in content and "450" in content


def test_shortcut_contract_messages(http_bot: Bot, fake: FakeSlack) -> None:
    """§6.4 with the §4 markup: the Postfix line, and a message with 550 5.7.1 + 421 4.7.0
    whose host names arrive auto-linked."""
    cases = [
        (CONTRACT_LINE, ["5.1.1"]),
        (
            "Mail to <mailto:a@example.net|a@example.net> failed: 550 5.7.1 from "
            "<http://mx1.example.org|mx1.example.org>, then 421 4.7.0 &amp; retry later",
            ["550", "421"],
        ),
        ("550 5.7.1 and 421 4.7.0", ["550", "421"]),
    ]
    for text, expected in cases:
        response_url = fake.new_response_url()
        payload = shortcut_payload(text, new_channel(), response_url)
        status, _, elapsed = http_bot.interactive(payload)
        assert status == 200 and elapsed < 3
        posted = wait_for(lambda url=response_url: fake.responses(url))
        assert len(posted) == 1 and "error" not in posted[0], posted
        reply = posted[0]["body"]
        assert reply.get("response_type", "ephemeral") == "ephemeral"
        assert_payload(reply)
        content = all_text(reply)
        for code in expected:
            assert code in content, (code, text)
        assert words(content) >= 8


def test_shortcut_without_codes_still_answers_validly(http_bot: Bot, fake: FakeSlack) -> None:
    response_url = fake.new_response_url()
    http_bot.interactive(shortcut_payload("see you at lunch :)", new_channel(), response_url))
    posted = wait_for(lambda: fake.responses(response_url))
    assert len(posted) == 1 and "error" not in posted[0]
    assert_payload(posted[0]["body"])
    assert not INTERNAL_ERROR.search(all_text(posted[0]["body"]))


# ================================================================ §6.1: slash table


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("554", ["554"]),
        ("5.7.26", ["5.7.26"]),
        ("550 5.7.1", ["550", "5.7.1"]),
        ("211 vs 554", ["211", "554"]),
        ("compare 421 450", ["421", "450"]),
    ],
)
def test_slash_table(http_bot: Bot, fake: FakeSlack, text: str, codes: list[str]) -> None:
    reply, response_url = slash_reply(http_bot, fake, text)
    content = all_text(reply)
    for code in codes:
        assert code in content
    rest = content
    for code in codes:
        rest = rest.replace(code, " ")
    assert words(rest) >= 8
    assert not INTERNAL_ERROR.search(content)
    time.sleep(0.2)
    assert len(fake.responses(response_url)) <= 1  # one reply, not one per code


@pytest.mark.parametrize("text", ["help", "", "HELP", " help "])
def test_slash_help_and_empty(http_bot: Bot, fake: FakeSlack, text: str) -> None:
    reply, _ = slash_reply(http_bot, fake, text)
    content = all_text(reply)
    assert "/smtp" in content and words(content) >= 8
    assert "/smtp" in reply["text"]  # the fallback alone is usable too


def test_slash_search_mailbox_full_exact(http_bot: Bot, fake: FakeSlack) -> None:
    reply, _ = slash_reply(http_bot, fake, "search mailbox full")
    content = all_text(reply)
    assert sum(code in content for code in ("452", "552", "4.2.2", "5.2.2")) >= 2


def test_slash_pasted_bounce_as_slack_sends_it(http_bot: Bot, fake: FakeSlack) -> None:
    """Slash text is entity-escaped only (no auto-links)."""
    escaped = POSTFIX_BOUNCE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for text in (escaped, escaped.replace("\n", "\r\n"), escaped.splitlines()[-3]):
        reply, _ = slash_reply(http_bot, fake, text)
        content = all_text(reply)
        assert "5.1.1" in content and MEANING_5_1_1.search(content), text[:60]


def test_slash_299_unknown_not_an_error(http_bot: Bot, fake: FakeSlack) -> None:
    reply, _ = slash_reply(http_bot, fake, "299")
    content = all_text(reply)
    assert "299" in content
    assert re.search(
        r"unknown|not (?:a )?(?:registered|known|defined)|unregistered|undefined", content, re.I
    )
    assert not INTERNAL_ERROR.search(content)
    assert "299" in reply["text"]


def test_slash_40k_every_delivery(http_bot: Bot, fake: FakeSlack) -> None:
    """40,000 chars of bounce text, several shapes: ack < 3 s, valid blocks, 5.1.1 or 550."""
    many = "\n".join(
        f"<u{n}@example.net>: host mail.example.net[203.0.113.25] said: 550 5.1.1 "
        f"<u{n}@example.net>: Recipient address rejected: User unknown"
        for n in range(600)
    )
    padded = POSTFIX_BOUNCE + "x" * 40_000
    for raw in (many[:40_000], padded[:40_000], ("550 5.1.1 " * 5000)[:40_000]):
        escaped = raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")[:40_000]
        reply, _ = slash_reply(http_bot, fake, escaped)
        content = all_text(reply)
        assert "5.1.1" in content or "550" in content


# ================================================================ §6.1: buttons, response_url


def test_every_button_acked(http_bot: Bot, fake: FakeSlack) -> None:
    """Every button of every slash reply kind is acked 2xx in < 3 s; Share posts in_channel,
    valid, the same answer; a response_url never gets more than one post per click."""
    channel = new_channel()
    for text in ("554", "compare 421 450", "search mailbox full", "help", "299"):
        reply, _ = slash_reply(http_bot, fake, text)
        found = buttons(reply)
        assert found, f"no buttons on /smtp {text}"
        for block, button in found:
            response_url = fake.new_response_url()
            status, elapsed = click(
                http_bot,
                block,
                button,
                container={"type": "message", "channel_id": channel, "is_ephemeral": True},
                channel={"id": channel, "name": "test"},
                response_url=response_url,
            )
            assert status == 200 and elapsed < 3
            if SHARE_LABEL.search(button["text"]["text"]):
                posted = wait_for(lambda url=response_url: fake.responses(url))
                assert len(posted) == 1 and "error" not in posted[0], posted
                body = posted[0]["body"]
                assert body["response_type"] == "in_channel"
                assert_payload(body)
                assert all(
                    code in all_text(body) for code in re.findall(r"\d\.\d+\.\d+|\d{3}", text)
                )


def test_share_with_unknown_value_replies_validly(http_bot: Bot, fake: FakeSlack) -> None:
    """A Share click whose stored question is gone still gets a §5-valid reply."""
    response_url = fake.new_response_url()
    block = {"type": "actions", "block_id": "smtpbot_share"}
    button = {
        "action_id": "share_in_channel",
        "text": {"type": "plain_text", "text": "Share in channel"},
        "value": "k:no-such-key",
    }
    status, elapsed = click(
        http_bot, block, button, response_url=response_url, channel={"id": new_channel()}
    )
    assert status == 200 and elapsed < 3
    posted = wait_for(lambda: fake.responses(response_url))
    assert posted and "error" not in posted[0], posted
    assert_payload(posted[0]["body"])


def test_share_without_response_url_or_channel(http_bot: Bot, fake: FakeSlack) -> None:
    """A Share click with neither response_url nor channel: acked, and no Web API call is
    made that Slack would refuse (a post with no channel)."""
    before = len(fake.calls())
    block = {"type": "actions", "block_id": "smtpbot_share"}
    button = {
        "action_id": "share_in_channel",
        "text": {"type": "plain_text", "text": "Share in channel"},
        "value": "q:554",
    }
    status, _ = click(http_bot, block, button)
    assert status == 200
    time.sleep(SETTLE)
    failed = [c for c in fake.calls()[before:] if not c["result"].get("ok")]
    assert not failed, failed


def test_share_via_chat_post_message_when_no_response_url(http_bot: Bot, fake: FakeSlack) -> None:
    channel = new_channel()
    block = {"type": "actions", "block_id": "smtpbot_share"}
    button = {
        "action_id": "share_in_channel",
        "text": {"type": "plain_text", "text": "Share in channel"},
        "value": "q:550 5.7.1",
    }
    status, _ = click(http_bot, block, button, channel={"id": channel})
    assert status == 200
    posts = wait_for(lambda: fake.posts(channel))
    assert len(posts) == 1 and posts[0]["result"]["ok"]
    assert "5.7.1" in post_text(posts[0])


# ================================================================ §6.2: mentions


@pytest.mark.parametrize(
    "wording",
    [
        "",
        "can you explain this?",
        "why did this bounce?",
        "what happened here?",
        "explain this bounce please",
        "what's wrong with this email",
    ],
)
def test_mention_in_bounce_thread_wordings(http_bot: Bot, fake: FakeSlack, wording: str) -> None:
    """A mention without codes in a bounce's thread analyses the parent, however it is put."""
    channel = new_channel()
    parent = fake.seed_message(channel, {"user": HUMAN, "text": slack_markup(POSTFIX_BOUNCE)})
    event = mention_event(channel, wording, thread_ts=parent["ts"])
    assert http_bot.event(event)[0] == 200
    posts = wait_for(lambda: fake.posts(channel))
    assert len(posts) == 1
    assert posts[0]["args"]["thread_ts"] == parent["ts"]
    text = post_text(posts[0])
    assert "5.1.1" in text and MEANING_5_1_1.search(text), wording


def test_mention_in_bounce_thread_found_by_history(http_bot: Bot, fake: FakeSlack) -> None:
    """The parent is the thread's first message even when other replies are in it."""
    channel = new_channel()
    parent = fake.seed_message(channel, {"user": HUMAN, "text": CONTRACT_LINE})
    fake.seed_message(channel, {"user": HUMAN, "text": "ugh", "thread_ts": parent["ts"]})
    event = mention_event(channel, "?", thread_ts=parent["ts"])
    http_bot.event(event)
    posts = wait_for(lambda: fake.posts(channel))
    assert len(posts) == 1 and "5.1.1" in post_text(posts[0])


def test_mention_with_code_in_thread_answers_the_code(http_bot: Bot, fake: FakeSlack) -> None:
    channel = new_channel()
    parent = fake.seed_message(channel, {"user": HUMAN, "text": slack_markup(POSTFIX_BOUNCE)})
    http_bot.event(mention_event(channel, "what is 421?", thread_ts=parent["ts"]))
    posts = wait_for(lambda: fake.posts(channel))
    assert len(posts) == 1 and "421" in post_text(posts[0])


def test_mention_search_in_bounce_thread_is_a_search(http_bot: Bot, fake: FakeSlack) -> None:
    channel = new_channel()
    parent = fake.seed_message(channel, {"user": HUMAN, "text": slack_markup(POSTFIX_BOUNCE)})
    http_bot.event(mention_event(channel, "search mailbox full", thread_ts=parent["ts"]))
    posts = wait_for(lambda: fake.posts(channel))
    assert len(posts) == 1
    text = post_text(posts[0])
    assert sum(code in text for code in ("452", "552", "4.2.2", "5.2.2")) >= 2


# ================================================================ §6.3: messages


def test_dm_channel_type_im(http_bot: Bot, fake: FakeSlack) -> None:
    for text, codes in (
        ("what is 421?", ["421"]),
        ("compare 421 450", ["421", "450"]),
        (CONTRACT_LINE, ["5.1.1"]),
    ):
        channel = dm_channel()
        event = message_event(channel, text)
        assert event["channel_type"] == "im"
        assert http_bot.event(event)[0] == 200
        posts = wait_for(lambda c=channel: fake.posts(c))
        assert len(posts) == 1 and posts[0]["result"]["ok"], posts
        assert all(code in post_text(posts[0]) for code in codes)
        assert_payload(posts[0]["args"])
    # the contract's own DM id, and the bot's own DM messages are never answered
    event = message_event("D0E2EDM01", "what is 554?")
    http_bot.event(event)
    assert wait_for(
        lambda: [c for c in fake.posts("D0E2EDM01") if "554" in post_text(c)], timeout=5
    )
    own = {**message_event("D0E2EDM01", "554 explained"), "user": BOT_USER, "bot_id": BOT_ID}
    count = len(fake.posts("D0E2EDM01"))
    http_bot.event(own)
    time.sleep(SETTLE)
    assert len(fake.posts("D0E2EDM01")) == count


def test_twin_in_either_order(http_bot: Bot, fake: FakeSlack) -> None:
    """The app_mention and message twins of one post get one reply whichever comes first,
    and also when the message twin arrives after the reply was posted."""
    for order in ("message_first", "mention_first", "message_after_reply"):
        channel = watched_channel()
        text = f"<@{BOT_USER}> " + slack_markup(POSTFIX_BOUNCE)
        ts = new_ts()
        mention = {**mention_event(channel, ""), "text": text, "ts": ts}
        message = {**message_event(channel, text), "ts": ts}
        first, second = (message, mention) if order == "message_first" else (mention, message)
        assert http_bot.event(first)[0] == 200
        if order == "message_after_reply":
            assert wait_for(lambda c=channel: fake.posts(c))
        assert http_bot.event(second)[0] == 200
        assert wait_for(lambda c=channel: fake.posts(c))
        time.sleep(SETTLE)
        posts = fake.posts(channel)
        assert len(posts) == 1, order
        assert posts[0]["args"]["thread_ts"] == ts and "5.1.1" in post_text(posts[0])


def _edit(original: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "subtype": "message_changed",
        "channel": original["channel"],
        "hidden": True,
        "ts": new_ts(),
        "event_ts": new_ts(),
        "channel_type": "channel",
        "message": {
            "type": "message",
            "user": HUMAN,
            "text": text,
            "ts": original["ts"],
            "edited": {"user": HUMAN, "ts": new_ts()},
        },
        "previous_message": {k: v for k, v in original.items() if k != "channel"},
    }


def test_edit_variants_ignored(http_bot: Bot, fake: FakeSlack) -> None:
    """Edits of an answered paste — a new text, the same text, Slack's own reply_count
    update after our threaded reply, and a retry of the edit — never add a reply."""
    channel = watched_channel()
    original = message_event(channel, slack_markup(POSTFIX_BOUNCE))
    http_bot.event(original)
    assert wait_for(lambda: fake.posts(channel))
    edits = [
        _edit(original, original["text"] + "\n(also 552 5.2.2 for another one)"),
        _edit(original, original["text"]),
        _edit(original, CONTRACT_LINE),
    ]
    parent_update = _edit(original, original["text"])
    parent_update["message"].pop("edited")
    parent_update["message"].update({"thread_ts": original["ts"], "reply_count": 1})
    edits.append(parent_update)
    for edit in edits:
        status, event_id = http_bot.event(edit)
        assert status == 200
        assert http_bot.event(edit, event_id=event_id, retry=1)[0] == 200
    time.sleep(SETTLE)
    assert len(fake.posts(channel)) == 1


def test_edit_arriving_with_original_one_reply(http_bot: Bot, fake: FakeSlack) -> None:
    channel = watched_channel()
    original = message_event(channel, slack_markup(POSTFIX_BOUNCE))
    edit = _edit(original, original["text"] + " (edited)")
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        list(pool.map(http_bot.event, [original, edit]))
    assert wait_for(lambda: fake.posts(channel))
    time.sleep(SETTLE)
    assert len(fake.posts(channel)) == 1


def test_eml_variants(http_bot: Bot, fake: FakeSlack) -> None:
    """A .eml shared in C123: read from url_private_download with the bearer token, also when
    the event's file object carries only its id (files.info first) or no name."""
    from test_http import make_dsn

    eml = make_dsn("j.doe@example.net", "5.1.1", "550 5.1.1 <j.doe@example.net>: User unknown")
    full = fake.add_file("bounce.eml", eml)
    shapes = [
        full,
        {"id": full["id"], "name": "bounce.eml"},
        {"id": full["id"]},
        {k: v for k, v in full.items() if k != "url_private_download"},
    ]
    for shape in shapes:
        event = message_event("C123", "", subtype="file_share", files=[shape], upload=True)
        before = len(fake.file_fetches())
        assert http_bot.event(event)[0] == 200
        posts = wait_for(lambda ts=event["ts"]: thread_posts(fake, "C123", ts), timeout=10)
        assert len(posts) == 1, shape
        text = post_text(posts[0])
        assert "5.1.1" in text and MEANING_5_1_1.search(text)
        fetches = fake.file_fetches()[before:]
        assert fetches and all(f["authorized"] for f in fetches)


def test_non_bounce_file_in_watched_channel_ignored(http_bot: Bot, fake: FakeSlack) -> None:
    channel = watched_channel()
    file = fake.add_file("notes.txt", b"Lunch menu: soup, salad, bread.\n")
    http_bot.event(message_event(channel, "", subtype="file_share", files=[file]))
    time.sleep(SETTLE + 0.4)
    assert fake.posts(channel) == []


# ================================================================ §6.5: home


def test_home_tab_contract(http_bot: Bot, fake: FakeSlack) -> None:
    user = "U0E2EH" + uuid.uuid4().hex[:5].upper()
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0E2EDM01",
        "tab": "home",
        "event_ts": new_ts(),
    }
    assert http_bot.event(event)[0] == 200
    calls = wait_for(
        lambda: [c for c in fake.calls("views.publish") if c["args"].get("user_id") == user]
    )
    assert len(calls) == 1 and calls[0]["result"]["ok"]
    view = calls[0]["args"]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home"
    assert not block_problems(view["blocks"], "home")
    assert len(view["blocks"]) <= 100
    content = all_text(view)
    assert "/smtp" in content and words(content) >= 8


# ================================================================ §6.6: retries


@pytest.mark.parametrize("reason", ["http_timeout", "http_error", "unknown_error", ""])
def test_retry_header_variants(http_bot: Bot, fake: FakeSlack, reason: str) -> None:
    """X-Slack-Retry-Num 1..3 with each reason (or none): after a reply nothing more; a
    retry whose original was lost is answered once."""
    port = http_bot.port
    assert port is not None

    def deliver(event: dict[str, Any], event_id: str, num: int | None) -> int:
        body = json.dumps(event_callback(event, event_id)).encode()
        ts = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(http_bot.signing_secret, body, ts),
        }
        if num is not None:
            headers["X-Slack-Retry-Num"] = str(num)
            if reason:
                headers["X-Slack-Retry-Reason"] = reason
        return raw_request(port, "POST", "/slack/events", body, headers)[0]

    channel = new_channel()
    event = mention_event(channel, "what is 421?")
    event_id = "EvR" + uuid.uuid4().hex[:9].upper()
    assert deliver(event, event_id, None) == 200
    assert wait_for(lambda: fake.posts(channel))
    for num in (1, 2, 3):
        assert deliver(event, event_id, num) == 200
    lost = new_channel()
    lost_event = mention_event(lost, "what is 554?")
    lost_id = "EvL" + uuid.uuid4().hex[:9].upper()
    assert deliver(lost_event, lost_id, 3) == 200
    assert wait_for(lambda: fake.posts(lost))
    time.sleep(SETTLE)
    assert len(fake.posts(channel)) == 1
    assert len(fake.posts(lost)) == 1 and "554" in post_text(fake.posts(lost)[0])


def test_retry_storm_mixed_reasons(http_bot: Bot, fake: FakeSlack) -> None:
    """Original + 3 retries at once, for a mention, a DM and a watched paste: one reply each."""
    targets = [
        (new_channel(), lambda c: mention_event(c, "compare 421 450")),
        (dm_channel(), lambda c: message_event(c, "what is 550 5.7.1?")),
        (watched_channel(), lambda c: message_event(c, CONTRACT_LINE)),
    ]
    jobs = []
    for channel, make in targets:
        event = make(channel)
        event_id = "EvS" + uuid.uuid4().hex[:9].upper()
        jobs += [(event, event_id, retry) for retry in range(4)]
    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        statuses = list(
            pool.map(lambda j: http_bot.event(j[0], event_id=j[1], retry=j[2])[0], jobs)
        )
    assert statuses == [200] * len(jobs)
    for channel, _ in targets:
        assert wait_for(lambda c=channel: fake.posts(c))
    time.sleep(SETTLE)
    for channel, _ in targets:
        assert len(fake.posts(channel)) == 1, channel


# ================================================================ §5: every payload, at the end


def test_zz_every_payload_valid(http_bot: Bot, fake: FakeSlack) -> None:
    """Every chat.* / views.* call and response_url post so far, under the independent
    validator; no response_url used more than 5 times (or more than twice by one slash)."""
    problems = []
    for call in fake.calls():
        method, args = call["method"], call["args"]
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            found = payload_problems(args)
        elif method in ("views.publish", "views.open", "views.update"):
            view = args.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            found = block_problems(view.get("blocks"), "home" if "publish" in method else "modal")
            if not str(args.get("text") or "").strip():
                found.append("no text fallback")
        else:
            continue
        problems += [(method, p) for p in found]
    uses: dict[str, int] = {}
    for response in fake._get("responses"):
        uses[response["rid"]] = uses.get(response["rid"], 0) + 1
        if response.get("body") is not None and response.get("error") != "used_url":
            body = response["body"]
            if body.get("delete_original") or body == {}:
                continue
            problems += [("response_url", p) for p in payload_problems(body)]
    assert not problems, problems[:10]
    assert max(uses.values(), default=0) <= 5
    tokens = {c["token"] for c in fake.calls() if c["method"] != "apps.connections.open"}
    assert tokens <= {BOT_TOKEN}


# ================================================================ §7: Socket Mode


@pytest.fixture(scope="module")
def socket_closed(fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Started]:
    """A Socket Mode bot as the checker starts it: no signing secret, stdin closed."""
    before = fake.socket_state()["connects"]
    bot = Started("socket", fake, tmp_path_factory.mktemp("socket-audit") / "bot.log")
    assert "SLACK_SIGNING_SECRET" not in bot.env

    def connected() -> bool:
        state = fake.socket_state()
        return state["connects"] > before and state["live"] > 0

    if not wait_for(connected, timeout=60, interval=0.1):
        bot.stop()
        pytest.fail("Socket Mode bot did not connect:\n" + bot.log_text()[-3000:])
    bot.startup = time.monotonic() - bot.started
    time.sleep(0.3)  # the hello is processed
    yield bot
    bot.stop()


def test_socket_connects_with_app_token(socket_closed: Started, fake: FakeSlack) -> None:
    assert socket_closed.startup < 60
    opens = fake.calls("apps.connections.open")
    assert opens and all(c["token"] == APP_TOKEN and not c["token_param"] for c in opens)
    assert all(c["result"]["ok"] for c in opens)


def test_socket_slash_554(socket_closed: Started, fake: FakeSlack) -> None:
    for text, codes in (("554", ["554"]), ("", ["/smtp"]), ("299", ["299"])):
        response_url = fake.new_response_url()
        ack = send(fake, envelope("slash_commands", slash_form(text, new_channel(), response_url)))
        reply = ack.get("payload") or {}
        if not (reply.get("text") or reply.get("blocks")):
            posted = wait_for(lambda url=response_url: fake.responses(url))
            assert posted
            reply = posted[0]["body"]
        assert reply.get("response_type", "ephemeral") == "ephemeral"
        assert_payload(reply)
        assert all(code in all_text(reply) for code in codes)
        assert words(all_text(reply)) >= 8


def test_socket_mention_and_redelivery(socket_closed: Started, fake: FakeSlack) -> None:
    channel = new_channel()
    event = {**mention_event(channel, ""), "text": f"<@{BOT_USER}> {CONTRACT_LINE}"}
    body = event_callback(event, "EvSK" + uuid.uuid4().hex[:8])
    send(fake, envelope("events_api", body))
    posts = wait_for(lambda: fake.posts(channel))
    assert posts and posts[0]["args"]["thread_ts"] == event["ts"]
    for attempt in (1, 2, 3):
        send(fake, envelope("events_api", body, retry=attempt))
    # a redelivery whose original never arrived is answered
    lost = new_channel()
    lost_body = event_callback(
        mention_event(lost, "compare 421 450"), "EvSL" + uuid.uuid4().hex[:8]
    )
    send(fake, envelope("events_api", lost_body, retry=2))
    assert wait_for(lambda: fake.posts(lost))
    time.sleep(SETTLE)
    assert len(fake.posts(channel)) == 1 and "5.1.1" in post_text(fake.posts(channel)[0])
    assert len(fake.posts(lost)) == 1
    assert "421" in post_text(fake.posts(lost)[0]) and "450" in post_text(fake.posts(lost)[0])


def test_socket_shortcut_and_home(socket_closed: Started, fake: FakeSlack) -> None:
    response_url = fake.new_response_url()
    text = "Got 550 5.7.1 from one host and 421 4.7.0 from another"
    send(fake, envelope("interactive", shortcut_payload(text, new_channel(), response_url)))
    posted = wait_for(lambda: fake.responses(response_url))
    assert len(posted) == 1 and "error" not in posted[0]
    assert_payload(posted[0]["body"])
    assert "550" in all_text(posted[0]["body"]) and "421" in all_text(posted[0]["body"])
    user = "U0E2ES" + uuid.uuid4().hex[:5].upper()
    event = {"type": "app_home_opened", "user": user, "channel": "D0E2EDM01", "tab": "home"}
    send(fake, envelope("events_api", event_callback(event, "EvSH" + uuid.uuid4().hex[:8])))
    calls = wait_for(
        lambda: [c for c in fake.calls("views.publish") if c["args"].get("user_id") == user]
    )
    assert calls and calls[0]["result"]["ok"]
    view = calls[0]["args"]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert not block_problems(view["blocks"], "home") and "/smtp" in all_text(view)


def test_socket_button_click_acked(socket_closed: Started, fake: FakeSlack) -> None:
    response_url = fake.new_response_url()
    channel = new_channel()
    payload = {
        "type": "block_actions",
        "user": {"id": HUMAN},
        "team": {"id": TEAM_ID},
        "api_app_id": "A0E2E0001",
        "container": {"type": "message", "channel_id": channel, "is_ephemeral": True},
        "channel": {"id": channel},
        "trigger_id": "1.2.3",
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": "share_in_channel",
                "block_id": "smtpbot_share",
                "value": "q:554",
                "text": {"type": "plain_text", "text": "Share in channel"},
                "action_ts": new_ts(),
            }
        ],
    }
    send(fake, envelope("interactive", payload))
    posted = wait_for(lambda: fake.responses(response_url))
    assert posted and posted[0]["body"]["response_type"] == "in_channel"
    assert_payload(posted[0]["body"])


def test_socket_reconnect_keeps_serving(socket_closed: Started, fake: FakeSlack) -> None:
    for _ in range(2):  # twice: the second refresh comes on the reconnected socket
        before = fake.socket_state()["connects"]
        assert fake.socket_refresh()["ok"]
        assert wait_for(lambda b=before: fake.socket_state()["connects"] > b, timeout=10)
        time.sleep(1.3)  # the fake closes the old socket 1 s after the new one is up
        assert fake.socket_state()["live"] >= 1
        channel = new_channel()
        event = mention_event(channel, "what is 421?")
        send(fake, envelope("events_api", event_callback(event, "Ev" + uuid.uuid4().hex[:10])))
        posts = wait_for(lambda c=channel: fake.posts(c))
        assert len(posts) == 1 and "421" in post_text(posts[0])


def test_socket_zz_calls_ok_logs_clean_sigterm(socket_closed: Started, fake: FakeSlack) -> None:
    failed = [(c["method"], c["result"]) for c in fake.calls() if not c["result"].get("ok")]
    assert not failed, failed[:5]
    log = socket_closed.log_text()
    for secret in (BOT_TOKEN, APP_TOKEN):
        assert secret not in log
    assert not re.search(r"[\w.+-]+@example\.(net|org)", log)
    started = time.monotonic()
    assert socket_closed.stop() is not None, "had to be SIGKILLed"
    assert time.monotonic() - started < 10
