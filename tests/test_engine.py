"""Explain, compare and search, through the engine's plain data objects."""

from __future__ import annotations

import pytest

from bot.answer import answer
from bot.compare import compare
from bot.explain import explain
from bot.results import (
    BounceAnswer,
    CodesFound,
    Comparison,
    Explanation,
    Help,
    Problem,
    SearchResult,
)
from bot.search import search


def explained(text: str) -> Explanation:
    result = explain(text)
    assert isinstance(result, Explanation), result
    return result


@pytest.mark.parametrize(
    ("query", "code", "class_digit", "retry", "bounce"),
    [
        ("554", "554", "5", "no", "hard"),
        ("421", "421", "4", "yes", "soft"),
        ("250", "250", "2", "n/a", "none"),
        ("5.7.26", "5.7.26", "5", "no", "hard"),
        ("4.2.2", "4.2.2", "4", "yes", "soft"),
        ("X.7.26", "5.7.26", "5", "no", "hard"),
        ("x.1.1", "5.1.1", "5", "no", "hard"),
        ("550 5.7.26", "550 5.7.26", "5", "no", "hard"),
        ("550-5.7.26", "550 5.7.26", "5", "no", "hard"),
        ("421 4.7.0", "421 4.7.0", "4", "yes", "soft"),
    ],
)
def test_explain_registered_codes(query, code, class_digit, retry, bounce) -> None:
    e = explained(query)
    assert e.code == code
    assert e.registered
    assert (e.class_digit, e.retry, e.bounce) == (class_digit, retry, bounce)
    assert e.summary and e.description and e.when and e.causes and e.fix_sender and e.fix_admin
    assert e.references


def test_basic_code_names_and_categories() -> None:
    assert explained("554").name.startswith("Transaction failed")
    assert explained("211").category == "Information"
    assert explained("421").category == "Connections"
    assert explained("5.1.1").category == "Addressing status"


def test_combined_form_keeps_both_parts() -> None:
    e = explained("550 5.1.1")
    assert [p.code for p in e.parts] == ["550", "5.1.1"]
    assert e.name == explained("5.1.1").name


def test_mismatched_classes_get_a_notice() -> None:
    e = explained("450 5.1.1")
    assert e.retry == "yes"  # clients act on the basic reply code
    assert e.notice and "450" in e.notice


@pytest.mark.parametrize("query", ["5.7.99", "299", "4.9.123", "599"])
def test_unregistered_well_formed_codes_are_explained_from_digits(query: str) -> None:
    e = explained(query)
    assert not e.registered
    assert e.notice and "not a registered code" in e.notice
    assert e.class_name


def test_provider_codes_and_markers() -> None:
    ms = explained("5.7.708")
    assert ms.kind == "provider" and "Microsoft" in ms.category
    tss = explained("[TSS04]")
    assert tss.kind == "provider" and tss.retry == "yes"
    assert explained("TSS04").name == tss.name


def test_registered_codes_carry_provider_notes() -> None:
    e = explained("5.7.26")
    assert any("Google" in note.provider for note in e.provider_notes)


@pytest.mark.parametrize("query", ["55", "5.7", "6.1.1", "5501", "55O"])
def test_malformed_codes_give_a_problem_with_suggestions(query: str) -> None:
    result = explain(query)
    assert isinstance(result, Problem)
    assert "not a well-formed" in result.message
    assert result.suggestions


def test_nonsense_is_a_problem_not_an_exception() -> None:
    for text in ["", "hello", "\x00\x01", "5" * 5000, "[]", "()", "X.X.X"]:
        assert isinstance(explain(text), Explanation | Problem)


def test_compare_two_classes() -> None:
    c = compare(["211", "554"])
    assert isinstance(c, Comparison)
    assert [i.code for i in c.items] == ["211", "554"]
    assert "211" in c.key_difference and "554" in c.key_difference
    assert "gives up" in c.key_difference
    assert len(c.when_each) == 2
    assert all(len(row.values) == 2 for row in c.rows)


def test_compare_same_class_names_what_differs() -> None:
    c = compare(["421", "450", "451"])
    assert isinstance(c, Comparison)
    assert len(c.items) == 3
    assert "retries" in c.key_difference
    for code in ("421", "450", "451"):
        assert code in c.key_difference


def test_compare_basic_with_its_enhanced_code() -> None:
    c = compare(["550", "5.1.1"])
    assert isinstance(c, Comparison)
    assert "enhanced status code" in c.key_difference


def test_compare_a_code_with_itself() -> None:
    c = compare(["550", "550"])
    assert isinstance(c, Comparison)
    assert "same code" in c.key_difference
    assert c.notice


def test_compare_needs_two_valid_codes() -> None:
    assert isinstance(compare(["550"]), Problem)
    assert isinstance(compare(["550", "5.5"]), Problem)


def test_search_mailbox_full() -> None:
    result = search("mailbox full")
    top = [hit.code for hit in result.hits[:6]]
    for code in ("452", "552", "4.2.2", "5.2.2"):
        assert code in top, top


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("user unknown", "5.1.1"),
        ("relay denied", "5.7.1"),
        ("dmarc", "5.7.26"),
        ("too many connections", "421"),
        ("message too big", "5.3.4"),
    ],
)
def test_search_ranks_the_obvious_code_high(query: str, expected: str) -> None:
    top = [hit.code for hit in search(query).hits[:8]]
    assert expected in top, top


def test_search_without_matches_is_empty() -> None:
    assert search("zebra giraffe").hits == ()
    assert search("").hits == ()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", Help),
        ("help", Help),
        ("554", Explanation),
        ("what is 421?", Explanation),
        ("211 vs 554", Comparison),
        ("compare 421 450", Comparison),
        ("compare 550 5.7.1 421 4.7.0", Comparison),
        ("search mailbox full", SearchResult),
        ("mailbox full", SearchResult),
        ("lorem ipsum dolor sit amet consectetur adipiscing", Help),
        ("55", Problem),
        ("what does 550 mean?", Explanation),
        ("is 5.7.26 a hard bounce?", Explanation),
        ("what's the difference between 421 and 450?", Comparison),
    ],
)
def test_answer_routes_requests(text: str, kind: type) -> None:
    assert isinstance(answer(text), kind)


def test_answer_explains_every_code_in_a_pasted_reply() -> None:
    text = (
        "host mx.example.com[203.0.113.5] said: 550 5.7.1 Message rejected\n"
        "then later: 421 4.7.0 Try again later"
    )
    result = answer(text)
    assert isinstance(result, CodesFound | BounceAnswer)


def test_answer_parses_a_postfix_bounce_paste() -> None:
    text = (
        "This is the mail system at host mail.example.org.\n\n"
        "I'm sorry to have to inform you that your message could not\n"
        "be delivered to one or more recipients.\n\n"
        "<j.doe@example.net>: host mail.example.net[203.0.113.25] said: 550 5.1.1\n"
        "    <j.doe@example.net>: Recipient address rejected: User unknown in virtual\n"
        "    mailbox table (in reply to RCPT TO command)\n"
    )
    result = answer(text)
    assert isinstance(result, BounceAnswer)
    assert result.report.recipients[0].status == "5.1.1"
    assert result.explanations and "5.1.1" in result.explanations[0].code


def test_compare_names_the_bounce_difference() -> None:
    c = compare(["5.1.1", "5.2.2"])
    assert isinstance(c, Comparison)
    assert "5.1.1 is a hard bounce" in c.key_difference
    assert "5.2.2 is a soft bounce" in c.key_difference
    assert "addressing status" in c.key_difference


@pytest.mark.parametrize("text", ["why did this bounce?", "what happened here?", "thanks!"])
def test_wordy_questions_without_codes_get_help_not_noise(text: str) -> None:
    assert isinstance(answer(text), Help)


def test_pasted_text_keeps_only_provider_notes_it_names() -> None:
    plain = answer("host mx.example.net[203.0.113.5] said: 550 5.1.1 <a@example.net>: no such user")
    items = plain.items if isinstance(plain, CodesFound) else (plain,)
    assert all(not e.provider_notes for e in items if isinstance(e, Explanation))
    yahoo = answer("421 4.7.0 [TSS04] Messages from 203.0.113.5 temporarily deferred")
    assert isinstance(yahoo, Explanation)
    assert [n.provider_id for n in yahoo.provider_notes] == ["yahoo"]


def test_advice_for_the_form_asked_about_comes_first() -> None:
    assert "421 4.7.0" in explained("421 4.7.0").fix_sender[0]
    assert "530 5.7.0" in explained("530 5.7.0").fix_sender[0]


@pytest.mark.parametrize(
    "text",
    [
        "The server listens on port 587 and falls back to port 465.",
        "Meeting moved to 5.1.2025 at 14:30, conference room 421.",
        "Error 404: page not found",
    ],
)
def test_numbers_in_ordinary_sentences_are_not_codes(text: str) -> None:
    assert isinstance(answer(text), Help)


def test_a_code_free_bounce_sentence_is_explained_by_its_reason() -> None:
    result = answer(
        "The e-mail message could not be delivered because the user's mailfolder is full."
    )
    assert isinstance(result, BounceAnswer)
    assert result.report.recipients[0].reason == "mailboxfull"
    assert result.reasons[0].name == "mailboxfull"
    assert result.report.recipients[0].wire_status is None  # the pseudo status is not shown


def test_explicit_questions_name_their_codes() -> None:
    assert isinstance(answer("explain 421 please"), Explanation)
    assert isinstance(answer("tell me about 5.7.1 and 5.7.26"), Comparison)


def test_a_bounce_reply_never_calls_one_recipient_both_hard_and_soft() -> None:
    text = (
        "<a@example.net>: host mx.example.net[203.0.113.9] said: 554 5.7.1 Service unavailable;"
        " Client host [198.51.100.7] blocked using zen.spamhaus.org (in reply to RCPT TO command)"
    )
    result = answer(text)
    assert isinstance(result, BounceAnswer)
    assert result.report.recipients[0].hard_bounce is False
    assert result.explanations[0].bounce == "soft"
    assert explained("554 5.7.1").bounce == "hard"  # the code on its own: its general case
