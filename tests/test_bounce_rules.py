"""The record-level rules the engine shares across decoders: codes, status choice, reasons."""

from __future__ import annotations

import pytest

from bot.bounce import classify, parse_text, rhosts
from bot.bounce.codes import find_reply, find_status, loose_address, prefer
from bot.bounce.engine import _unwrap_reply
from bot.bounce.reasons import matches


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("550 5.1.1 <a@b.c>... User unknown", "5.1.1"),
        # The first specific code by position wins; X.0.0 only when nothing else is there.
        ("550 5.0.0 first, then 5.2.2 mailbox full", "5.2.2"),
        ("<<< 553 SPF fail 550 5.1.1 user unknown <<< 503 RCPT first (#5.5.1)", "5.1.1"),
        ("Status 5.0.0", "5.0.0"),
        ("from 192.168.5.1 port 25", ""),
        ("Sisimai v5.1.0 said", ""),
    ],
)
def test_find_status(text: str, want: str) -> None:
    assert find_status(text) == want


def test_find_reply_prefers_the_status_class_and_known_codes() -> None:
    assert find_reply("421 then 550 user unknown") == "550"
    assert find_reply("421 then 550 user unknown", "4.4.7") == "421"
    assert find_reply("522 is not a code the reference parser knows") == ""
    assert find_reply("X-Unix; 550") == ""


@pytest.mark.parametrize(
    ("field", "in_text", "reply", "want"),
    [
        ("5.0.0", "5.1.1", "", "5.1.1"),  # a vague field gives way
        ("5.1.1", "5.7.1", "", "5.7.1"),
        ("4.4.7", "5.1.1", "550", "5.1.1"),  # the reply code's class decides
        ("5.2.1", "5.0.0", "", "5.2.1"),
        ("", "5.1.1", "", "5.1.1"),
        ("5.1.1", "", "", "5.1.1"),
    ],
)
def test_prefer(field: str, in_text: str, reply: str, want: str) -> None:
    assert prefer(field, in_text, reply) == want


def test_multi_line_reply_is_folded_into_one_text() -> None:
    diag = (
        "host gmail-smtp-in.l.google.com said: 550-5.7.1 Our system has detected that this "
        "message is 550-5.7.1 likely unsolicited mail. 550 5.7.1 https://support.google.com"
    )
    folded = _unwrap_reply(diag, "550", "5.7.1")
    assert "550" not in folded
    assert "this message is likely unsolicited mail" in folded


def test_provider_tables_apply_only_to_the_answering_host() -> None:
    google = rhosts.table_for("gmail-smtp-in.l.google.com")
    assert google is not None
    text = "550 5.7.1 this message is likely unsolicited mail"
    assert rhosts.reason(google, "", "5.7.1", "550", text) == "spamdetected"
    assert rhosts.reason(google, "userunknown", "5.7.1", "550", text) == "userunknown"
    microsoft = rhosts.table_for("mail.eurprd06.prod.outlook.com")
    assert microsoft is not None
    banned = "access denied, banned sending ip [192.0.2.1]"
    assert rhosts.reason(microsoft, "", "5.7.606", "550", banned) == "blocked"
    assert rhosts.reason(microsoft, "", "5.7.650", "550", banned) == ""
    assert rhosts.table_for("mx.example.com") is None
    assert rhosts.table_for("gmail.com") is None  # a domain is not a remote host name


def test_aligned_phrases_and_vetoes() -> None:
    assert matches("userunknown", "550 user (bob) unknown")
    assert matches("userunknown", "mailbox bob does not exist")
    assert not matches("rejected", "550 5.1.1 recipient address rejected: user unknown")


def test_classify_uses_the_smtp_command_in_the_text() -> None:
    text = "host mx.example.net said: 550 Recipient does not exist (in reply to RCPT TO command)"
    assert classify(None, None, text) == "userunknown"
    spam = (
        "host mx.example.net said: 550 5.7.1 Message content rejected as spam "
        "(in reply to end of DATA command)"
    )
    assert classify(None, None, spam) == "spamdetected"


def test_literal_addresses_from_structured_fields() -> None:
    assert loose_address('rfc822;":fail: fail message"@special') == '":fail: fail message"@special'
    assert loose_address("rfc822; recipient@#example.net") == "recipient@#example.net"
    assert loose_address("not an address") == ""


def test_pasted_dsn_fields_still_decode() -> None:
    report = parse_text(
        "Final-Recipient: rfc822; bob@example.org\nAction: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected: "
        "User unknown in local recipient table\n"
    )
    assert [(r.address, r.reason, r.hard_bounce) for r in report.recipients] == [
        ("bob@example.org", "userunknown", True)
    ]


def test_quick_host_filter_covers_every_table() -> None:
    # `table_for` skips loading the tables unless the host has one of these substrings.
    for table in rhosts.tables():
        assert set(table.hosts) <= set(rhosts._QUICK), table.name
