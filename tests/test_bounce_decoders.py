"""One real message per decoder, from the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bounce import parse_bytes

MESSAGES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "messages"
pytestmark = pytest.mark.skipif(not MESSAGES.exists(), reason=f"corpus not found at {MESSAGES}")

CASES = [
    # file, decoder, address, status, reason
    ("flufl-bounce/postfix_01.eml", "Postfix", "xxxxx@local.ie", "5.1.1", "userunknown"),
    (
        "bounce-email-rb/tt_1234177688.eml",
        "Postfix",
        "aaaaagggrrriiiizz@inbox.lv",
        "5.7.1",
        "userunknown",
    ),
    ("bounce-email-rb/tt_bounce_08.eml", "Gmail", "jauatkales@gmial.com", "5.0.947", "expired"),
    ("flufl-bounce/simple_08.eml", "Fallback", "userx@example.de", "5.0.911", "userunknown"),
    ("exim-testsuite/0048.CALLER-01.eml", "Exim", "pipe@test.ex", "5.0.0", "mailererror"),
    ("flufl-bounce/simple_38.eml", "RFC3464", "userx@example.com", "5.0.922", "mailboxfull"),
    ("flufl-bounce/dsn_15.eml", "RFC3464", "userx@example.com", "5.1.1", "userunknown"),
    ("flanker/bounce-office365.eml", "RFC3464", "noname@example.com", "5.1.10", "userunknown"),
    ("mail-manager/bounce-invalid.eml", "RFC3834", None, None, "vacation"),
    ("php-bounce-handler/arf1.eml", "ARF", None, None, "feedback"),
    ("flufl-bounce/simple_11.eml", "Domino", "userx@example.com", "5.0.911", "userunknown"),
    ("bounce-email-rb/tt_bounce_15.eml", "Domino", "info@rimibaltic.com", "5.0.0", "systemerror"),
    ("flufl-bounce/dsn_18.eml", "OpenSMTPD", "email@replaced.net", "5.0.912", "hostunknown"),
    ("dada-mail/bounces-disabled.eml", "EinsUndEins", "subscriber@example.com", "5.2.1", "suspend"),
    ("flufl-bounce/dsn_01.eml", "MessagingServer", "userx@example.com", "5.0.0", "mailboxfull"),
    ("flufl-bounce/dsn_04.eml", "MessagingServer", "userx@example.ch", None, None),
    ("flufl-bounce/smtp32_05.eml", "IMailServer", "userx@example.com", "5.0.900", "undefined"),
    ("flufl-bounce/simple_03.eml", "Exim", "userx@example.za", "4.0.947", "expired"),
    (
        "flufl-bounce/microsoft_04.eml",
        "Exchange2003",
        "userx@example.COM",
        "5.0.911",
        "userunknown",
    ),
    ("flufl-bounce/smtp32_01.eml", "IMailServer", "userx@example.ph", "5.0.947", "expired"),
    ("dada-mail/bounce-qmail-550-5.1.1.eml", "qmail", None, None, None),
    ("php-bounce-handler/fbl-aol.eml", "ARF", None, None, "feedback"),
]


@pytest.mark.parametrize(("name", "decoder", "address", "status", "reason"), CASES)
def test_decoder(
    name: str, decoder: str, address: str | None, status: str | None, reason: str | None
) -> None:
    report = parse_bytes((MESSAGES / name).read_bytes())
    assert report.decoder == decoder
    assert report.recipients
    first = report.recipients[0]
    if address:
        assert first.address == address
    if status:
        assert first.status == status
    if reason:
        assert first.reason == reason
