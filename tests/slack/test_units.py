"""Unit tests of the Slack-side pieces: signing, markup, limits, renderers, dedupe, stats."""

from __future__ import annotations

import dataclasses
import json
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slackkit import POSTFIX_BOUNCE, sign

from bot.answer import answer, answer_passive
from bot.bounce.model import BounceReport, Recipient
from bot.kb.model import Reference
from bot.render import limits as L
from bot.render.blocks import SHARE_ACTION, render_blocks, render_home
from bot.results import (
    BounceAnswer,
    CodesFound,
    Comparison,
    ComparisonRow,
    Explanation,
    Help,
    Problem,
    ProviderNote,
    SearchHit,
    SearchResult,
)
from bot.slack import files, markup
from bot.slack.dedupe import Seen
from bot.slack.logs import RedactingFilter
from bot.stats import CodeStats

# ---------------------------------------------------------------- signing

SLACK_EXAMPLE_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SLACK_EXAMPLE_TS = "1531420618"
SLACK_EXAMPLE_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
    "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
    "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
    "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
SLACK_EXAMPLE_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def test_signature_worked_example_from_slack_docs() -> None:
    """Our test signer and slack_sdk's verifier both reproduce Slack's published example."""
    from slack_sdk.signature import SignatureVerifier

    body = SLACK_EXAMPLE_BODY.encode()
    assert sign(SLACK_EXAMPLE_SECRET, body, SLACK_EXAMPLE_TS) == SLACK_EXAMPLE_SIGNATURE
    verifier = SignatureVerifier(SLACK_EXAMPLE_SECRET, clock=_Clock(1531420618 + 10))
    assert verifier.is_valid(body, SLACK_EXAMPLE_TS, SLACK_EXAMPLE_SIGNATURE)
    assert not verifier.is_valid(body + b"x", SLACK_EXAMPLE_TS, SLACK_EXAMPLE_SIGNATURE)
    late = SignatureVerifier(SLACK_EXAMPLE_SECRET, clock=_Clock(1531420618 + 301))
    assert not late.is_valid(body, SLACK_EXAMPLE_TS, SLACK_EXAMPLE_SIGNATURE)


class _Clock:
    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now


# ---------------------------------------------------------------- markup


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        (
            "&lt;<mailto:j.doe@example.net|j.doe@example.net>&gt;: host "
            "<http://mail.example.net|mail.example.net>[203.0.113.25] said: 550 5.1.1",
            "<j.doe@example.net>: host mail.example.net[203.0.113.25] said: 550 5.1.1",
        ),
        ("<@U0E2EBOT1> what is 421?", "@U0E2EBOT1 what is 421?"),
        ("a &amp;lt; b", "a &lt; b"),
        ("<https://example.org/x>", "https://example.org/x"),
        ("<#C123|general> <!here> <!subteam^S1|@mail-team>", "#general @here @mail-team"),
        ("<mailto:a@b.example>", "a@b.example"),
        ("", ""),
    ],
)
def test_markup_decode(raw: str, plain: str) -> None:
    assert markup.decode(raw) == plain


def test_markup_strips_bot_mention() -> None:
    assert markup.decode("<@U0E2EBOT1> compare 421 450", strip_user="U0E2EBOT1") == (
        "compare 421 450"
    )
    assert markup.mentions("hi <@U0E2EBOT1>", "U0E2EBOT1")
    assert not markup.mentions("hi <@U0OTHER>", "U0E2EBOT1")


def test_decoded_postfix_paste_parses_like_the_original() -> None:
    from slackkit import slack_markup

    decoded = markup.decode(slack_markup(POSTFIX_BOUNCE))
    assert decoded == POSTFIX_BOUNCE.strip()
    assert isinstance(answer_passive(decoded), BounceAnswer)


# ---------------------------------------------------------------- limits


def test_clamp_and_join() -> None:
    assert L.clamp("short", 10) == "short"
    out = L.clamp("word " * 100, 50)
    assert len(out) <= 50 and out.endswith("…")
    joined = L.join_within([f"line {n}" for n in range(1000)], 300, "…and {count} more")
    assert len(joined) <= 300 and joined.endswith("more")


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.mark.parametrize(
    ("payload", "surface", "fragment"),
    [
        ({"blocks": [_section("x")]}, "message", "text fallback"),
        ({"text": "x", "blocks": [_section("x")] * 51}, "message", "51 blocks"),
        ({"text": "x", "blocks": [_section("x" * 3001)]}, "message", "max 3000"),
        ({"text": "x" * 40_001, "blocks": []}, "message", "max 40000"),
        ({"text": "x" * 4_001, "blocks": []}, "message", "warns"),
        (
            {
                "text": "x",
                "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
            },
            "message",
            "max 150",
        ),
        (
            {"text": "x", "blocks": [{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}]},
            "message",
            "plain_text",
        ),
        (
            {
                "text": "x",
                "blocks": [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
            },
            "message",
            "11 fields",
        ),
        (
            {
                "text": "x",
                "blocks": [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
            },
            "message",
            "max 2000",
        ),
        (
            {
                "text": "x",
                "blocks": [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
            },
            "message",
            "11 context",
        ),
        (
            {
                "text": "x",
                "blocks": [
                    {
                        "type": "context",
                        "elements": [{"type": "mrkdwn", "text": "c", "emoji": True}],
                    }
                ],
            },
            "message",
            "emoji",
        ),
        (
            {
                "text": "x",
                "blocks": [
                    {
                        "type": "section",
                        "text": {"type": "plain_text", "text": "c", "verbatim": True},
                    }
                ],
            },
            "message",
            "verbatim",
        ),
        (
            {"text": "x", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": ""}}]},
            "message",
            "non-empty",
        ),
        (
            {
                "text": "x",
                "blocks": [_section("a") | {"block_id": "b"}, _section("b") | {"block_id": "b"}],
            },
            "message",
            "duplicate block_id",
        ),
        (
            {"text": "x", "blocks": [_section("a") | {"block_id": "b" * 256}]},
            "message",
            "block_id longer",
        ),
        (
            {"text": "x", "blocks": [{"type": "markdown", "text": "m" * 12_001}]},
            "message",
            "markdown blocks",
        ),
        ({"type": "home", "blocks": [_section("x")] * 101}, "home", "101 blocks"),
        (
            {"type": "modal", "title": {"type": "plain_text", "text": "t" * 25}, "blocks": []},
            "modal",
            "max 24",
        ),
    ],
)
def test_validator_catches(payload: dict, surface: str, fragment: str) -> None:
    problems = L.validate_message(payload, surface=surface)  # type: ignore[arg-type]
    assert any(fragment in p for p in problems), problems


def _button(**overrides: object) -> dict:
    button = {
        "type": "button",
        "action_id": "a",
        "text": {"type": "plain_text", "text": "Go"},
        "value": "v",
    }
    return button | overrides


@pytest.mark.parametrize(
    ("elements", "fragment"),
    [
        ([_button(text={"type": "plain_text", "text": "b" * 76})], "max 75"),
        ([_button(action_id="a" * 256)], "action_id longer"),
        ([_button(value="v" * 2001)], "value longer"),
        ([_button(url="https://x/" + "u" * 3000)], "url longer"),
        ([_button(), _button()], "duplicate action_id"),
        ([_button(action_id=f"a{n}") for n in range(26)], "26 actions"),
    ],
)
def test_validator_catches_button_limits(elements: list, fragment: str) -> None:
    payload = {"text": "x", "blocks": [{"type": "actions", "elements": elements}]}
    assert any(fragment in p for p in L.validate_message(payload)), L.validate_message(payload)


# ---------------------------------------------------------------- every reply type, any size


def _huge_explanation() -> Explanation:
    base = answer("550 5.7.1")
    assert isinstance(base, Explanation)
    long = "word " * 3000
    note = ProviderNote(
        "Provider " * 20, "m", "Name " * 50, long, (long,), "https://x.example/" + "p" * 400, "r"
    )
    return dataclasses.replace(
        base,
        code="550 5.7.1",
        name="N" * 400,
        summary=long,
        description=long,
        when=long,
        causes=(long,) * 40,
        fix_sender=(long,) * 40,
        fix_admin=(long,) * 40,
        references=tuple(Reference(f"RFC {n} <&>", f"https://r.example/{n}") for n in range(40)),
        related=tuple(str(n) for n in range(400, 600)),
        provider_notes=(note,) * 50,
        notice=long,
        stages=("RCPT",) * 500,
    )


def _answers() -> dict[str, object]:
    huge = _huge_explanation()
    recipients = [
        Recipient(
            address=f"user{n}@example.net",
            status=f"5.{n % 8}.{n % 9}",
            reply_code="550",
            reason="userunknown" * 30,
            hard_bounce=True,
            diagnostic="550 <&> " + "x" * 5000,
        )
        for n in range(500)
    ]
    report = BounceReport(kind="bounce", recipients=recipients)
    return {
        "explanation": huge,
        "comparison": Comparison(
            items=(huge,) * 12,
            rows=tuple(ComparisonRow("Row " * 100, ("v " * 2000,) * 12) for _ in range(60)),
            key_difference="k " * 5000,
            when_each=("w " * 3000,) * 30,
            notice="n " * 3000,
        ),
        "search": SearchResult(
            query="q " * 500,
            hits=tuple(SearchHit(f"5.{n}.0", "n " * 200, "s " * 3000, 1.0) for n in range(100)),
        ),
        "problem": Problem(message="p " * 30_000, suggestions=tuple("x" * 50 for _ in range(500))),
        "help": Help(
            title="t " * 200,
            lines=("l " * 2000,) * 50,
            examples=("e" * 100,) * 50,
            notice="n " * 5000,
        ),
        "codes": CodesFound(items=(huge,) * 50, omitted=7),
        "bounce": BounceAnswer(report=report, explanations=(huge,) * 20),
        "empty_bounce": BounceAnswer(report=BounceReport()),
    }


@pytest.mark.parametrize("name", list(_answers()))
@pytest.mark.parametrize("share", [False, True])
def test_every_reply_type_fits_slack_limits(name: str, share: bool) -> None:
    message = render_blocks(
        _answers()[name],  # type: ignore[arg-type]
        share=share,
        share_value="k:" + "x" * 5000,
        notes=["…and a note " * 300],
    )
    assert L.validate_message(message.payload()) == []
    if share:
        assert message.blocks[-1]["elements"][0]["action_id"] == SHARE_ACTION


def test_500_recipient_bounce_collapses() -> None:
    message = render_blocks(_answers()["bounce"])  # type: ignore[arg-type]
    text = str(message.blocks)
    assert "more recipients" in text
    assert len(message.blocks) <= 50


def test_home_view_fits() -> None:
    view = render_home([(f"5.{n}.0", n) for n in range(1000)])
    assert L.validate_message(view, surface="home") == []
    assert "/smtp" in str(view)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=0, max_size=3000))
def test_any_input_renders_valid(text: str) -> None:
    for result in (answer(text), answer_passive(text)):
        if result is not None:
            assert L.validate_message(render_blocks(result, share=True).payload()) == []


# ---------------------------------------------------------------- dedupe, stats, files, logs


def test_seen_claims_once_and_expires() -> None:
    seen = Seen(max_items=3, ttl=10)
    assert seen.claim("a", now=0)
    assert not seen.claim("a", now=5)
    assert seen.claim("a", now=11)
    seen.release("a")
    assert seen.claim("a", now=12)
    for key in "bcde":
        seen.claim(key, now=12)
    assert len(seen) == 3


def test_stats_rolling_week() -> None:
    stats = CodeStats(window=100)
    stats.record(["550", "550", "421"], now=0)
    stats.record(["550"], now=50)
    assert stats.top(now=60) == [("550", 2), ("421", 1)]
    assert stats.top(now=140) == [("550", 1)]


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://files.slack.com/files-pri/T1-F1/download/x.eml", True),
        ("http://files.slack.com/files-pri/T1-F1/download/x.eml", False),
        ("https://evil.example/x.eml", False),
        ("https://slack.com.evil.example/x", False),
        ("http://127.0.0.1:9999/files-pri/x", True),
    ],
)
def test_token_only_sent_to_slack_hosts(url: str, allowed: bool) -> None:
    assert files.token_allowed(url, "http://127.0.0.1:8000/api/") is allowed


def test_file_readability() -> None:
    assert files.readable({"name": "bounce.eml"})
    assert files.readable({"name": "x", "mimetype": "message/rfc822"})
    assert not files.readable({"name": "photo.png", "mimetype": "image/png"})


def test_log_filter_redacts() -> None:
    flt = RedactingFilter(["s3cret"])
    record = logging.LogRecord(
        "x", logging.ERROR, "f", 1, "%s %s", ("xoxb-1-2 s3cret", "a@b.example"), None
    )
    flt.filter(record)
    assert record.getMessage() == "[token] [secret] [address]"


def test_home_names_the_codes_it_lists() -> None:
    view = render_home([("550", 3), ("299", 1)], "en", {"550": "Requested action not taken"})
    text = json.dumps(view, ensure_ascii=False)
    assert "`550` Requested action not taken — 3 time(s)" in text
    assert "`299` — 1 time(s)" in text
