"""Bad input never crashes the engine's front door, whatever its size or shape."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answer import answer, answer_file, answer_passive
from bot.render.json import render_json
from bot.render.text import render_text
from bot.results import BounceAnswer, CodesFound, Explanation

SMTPISH = st.sampled_from(
    [
        "550",
        "5.1.1",
        "421 4.7.0",
        "X.7.26",
        "said:",
        "vs",
        "compare",
        "search",
        "<a@b.c>",
        "\n",
        " ",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gets_an_answer(text: str) -> None:
    result = answer(text)
    assert render_text(result)
    assert render_json(result)
    passive = answer_passive(text)
    if passive is not None:
        assert render_text(passive)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(SMTPISH, st.text(max_size=20)), max_size=40).map(" ".join))
def test_smtp_like_text_gets_an_answer(text: str) -> None:
    assert render_text(answer(text))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_any_file_gets_an_answer(data: bytes) -> None:
    assert render_text(answer_file(data, "x.eml"))


def test_a_40000_character_paste() -> None:
    line = "<user{n}@example.net>: host mx.example.net[203.0.113.9] said: 550 5.1.1 User unknown\n"
    text = "".join(line.format(n=n) for n in range(600))[:40000]
    result = answer(text)
    assert isinstance(result, BounceAnswer | CodesFound | Explanation)
    rendered = render_text(result)
    assert "5.1.1" in rendered


def test_ordinary_chat_is_not_answered_passively() -> None:
    for text in [
        "lunch at 12:30?",
        "the deploy of v5.1.0 went fine, 550 users migrated",
        "price is $550.00, call +44 20 7946 0958",
        "",
    ]:
        assert answer_passive(text) is None, text


def test_a_bounce_is_answered_passively() -> None:
    text = (
        "<j.doe@example.net>: host mail.example.net[203.0.113.25] said: 550 5.1.1\n"
        "    <j.doe@example.net>: Recipient address rejected: User unknown (in reply to RCPT\n"
        "    TO command)\n"
    )
    result = answer_passive(text)
    assert isinstance(result, BounceAnswer)
    assert result.report.recipients[0].status == "5.1.1"


def test_reports_that_are_not_failures_are_not_called_bounces(shared_dir: Path) -> None:
    from bot.answer import answer_file

    path = shared_dir / "corpus" / "messages" / "php-bounce-handler" / "arf4.eml"
    result = answer_file(path.read_bytes(), path.name)
    assert isinstance(result, BounceAnswer)
    assert result.report.kind == "feedback"
    assert "Bounce type: Not a bounce" in render_text(result)


def test_a_message_with_addresses_but_nothing_decided_is_not_a_bounce(shared_dir: Path) -> None:
    from bot.answer import answer_file

    path = shared_dir / "corpus" / "messages" / "bounce-email-rb" / "non_bounce-tt_1234210666.eml"
    assert not isinstance(answer_file(path.read_bytes(), path.name), BounceAnswer)
