"""Non-failure reports, charsets, line endings, damaged and huge input, and properties."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.bounce import BounceReport, classify, looks_like_bounce, parse_bytes, parse_text

DSN = (
    "From: MAILER-DAEMON@mx.example.org\r\n"
    "To: sender@example.com\r\n"
    "Subject: Delivery Status Notification\r\n"
    "MIME-Version: 1.0\r\n"
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
    "\r\n--B\r\nContent-Type: text/plain; charset={charset}\r\n"
    "Content-Transfer-Encoding: {cte}\r\n\r\n{text}\r\n"
    "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
    "Reporting-MTA: dns; mx.example.org\r\n\r\n"
    "Final-Recipient: rfc822; {rcpt}\r\nAction: {action}\r\nStatus: {status}\r\n"
    "Diagnostic-Code: smtp; {diag}\r\n\r\n"
    "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
    "Message-ID: <orig@example.com>\r\nFrom: sender@example.com\r\nTo: {rcpt}\r\n"
    "Subject: hello\r\n\r\n--B--\r\n"
)


def dsn(**kw: str) -> bytes:
    values = {
        "charset": "us-ascii",
        "cte": "7bit",
        "text": "Delivery failed.",
        "rcpt": "user@example.net",
        "action": "failed",
        "status": "5.1.1",
        "diag": "550 5.1.1 <user@example.net>: Recipient address rejected: User unknown",
    }
    values.update(kw)
    return DSN.format(**values).encode("latin-1", errors="replace")


def test_basic_dsn_fields() -> None:
    report = parse_bytes(dsn())
    (r,) = report.recipients
    assert (r.address, r.status, r.reply_code, r.reason, r.hard_bounce) == (
        "user@example.net",
        "5.1.1",
        "550",
        "userunknown",
        True,
    )
    assert report.original.message_id == "<orig@example.com>"
    assert report.original.subject == "hello"


def test_delivered_and_delay() -> None:
    ok = parse_bytes(dsn(action="delivered", status="2.0.0", diag="250 2.0.0 OK"))
    assert ok.recipients[0].reason == "delivered" and ok.kind == "delivered"
    assert ok.recipients[0].hard_bounce is False
    delay = parse_bytes(
        dsn(action="delayed", status="4.4.7", diag="Delivery time expired, will retry")
    )
    assert delay.kind == "delay"
    assert delay.recipients[0].reason == "expired"
    assert delay.recipients[0].status.startswith("4.")


def test_feedback_report() -> None:
    raw = (
        b"From: fbl@isp.example\r\nTo: abuse@sender.example\r\nSubject: FW: report\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=feedback-report; "
        b'boundary="X"\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\nA complaint.\r\n'
        b"--X\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\n"
        b"User-Agent: x/1\r\nVersion: 1\r\nOriginal-Rcpt-To: victim@isp.example\r\n\r\n"
        b"--X\r\nContent-Type: message/rfc822\r\n\r\nFrom: s@sender.example\r\n"
        b"To: victim@isp.example\r\nSubject: buy\r\n\r\nbody\r\n--X--\r\n"
    )
    (r,) = parse_bytes(raw).recipients
    assert (r.address, r.reason, r.feedback_type, r.hard_bounce) == (
        "victim@isp.example",
        "feedback",
        "abuse",
        False,
    )


def test_vacation() -> None:
    raw = (
        b"From: Boss <boss@example.com>\r\nTo: me@example.org\r\n"
        b"Subject: Out of Office: hello\r\nAuto-Submitted: auto-replied\r\n\r\n"
        b"I am out of the office until Monday.\r\n"
    )
    report = parse_bytes(raw)
    assert report.kind == "vacation"
    assert report.recipients[0].reason == "vacation"


def test_charsets_and_encodings() -> None:
    text = "配信できませんでした"
    for charset, cte in (
        ("iso-2022-jp", "7bit"),
        ("shift_jis", "base64"),
        ("windows-1252", "quoted-printable"),
    ):
        raw = dsn(charset=charset, cte=cte, text="x")
        report = parse_bytes(raw)
        assert report.recipients[0].address == "user@example.net", charset
    assert isinstance(parse_bytes(text.encode("iso2022_jp")), BounceReport)


def test_cr_only_line_endings() -> None:
    raw = dsn().replace(b"\r\n", b"\r")
    assert parse_bytes(raw).recipients[0].status == "5.1.1"


def test_truncated_message() -> None:
    raw = dsn()
    cut = raw[: raw.index(b"Diagnostic-Code") + 20]
    report = parse_bytes(cut)
    assert report.recipients[0].address == "user@example.net"
    for n in range(0, len(raw), 97):
        assert isinstance(parse_bytes(raw[:n]), BounceReport)


def test_ten_megabyte_message_is_fast() -> None:
    raw = dsn() + b"A" * 10_000_000
    start = time.perf_counter()
    report = parse_bytes(raw)
    assert time.perf_counter() - start < 5
    assert report.recipients


def test_pathological_inputs() -> None:
    for raw in (
        b"\x00" * 1_000_000,
        b"<" * 500_000,
        b"a@" * 300_000,
        b"Content-Type: multipart/mixed; boundary=x\n\n" + b"--x\n" * 50_000,
        b"Final-Recipient: rfc822; " + b"a" * 1_000_000,
    ):
        start = time.perf_counter()
        assert isinstance(parse_bytes(raw), BounceReport)
        assert time.perf_counter() - start < 5


def test_parse_text_fragments() -> None:
    said = (
        "<user@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 "
        "<user@example.net>: Recipient address rejected: User unknown "
        "(in reply to RCPT TO command)"
    )
    (r,) = parse_text(said).recipients
    assert (r.address, r.status, r.reason) == ("user@example.net", "5.1.1", "userunknown")
    block = "Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.2.2\n"
    assert parse_text(block).recipients[0].reason == "mailboxfull"


def test_looks_like_bounce_and_classify() -> None:
    assert looks_like_bounce("host mx said: 550 5.1.1 User unknown (in reply to RCPT TO command)")
    assert looks_like_bounce("Status: 5.2.2\nAction: failed")
    assert not looks_like_bounce("pip install requests==2.31.0")
    assert not looks_like_bounce("the laptop costs $550.00 and runs Kernel 5.15.0")
    assert classify("5.1.1", "550", "User unknown") == "userunknown"
    assert classify(None, None, "Mailbox is full") == "mailboxfull"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4000))
def test_any_bytes_give_a_report(data: bytes) -> None:
    assert isinstance(parse_bytes(data), BounceReport)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_gives_a_report(text: str) -> None:
    assert isinstance(parse_text(text), BounceReport)
    looks_like_bounce(text)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"From: MAILER-DAEMON@x\r\n",
                b"Subject: Undelivered Mail Returned to Sender\r\n",
                b"Content-Type: multipart/report; boundary=q\r\n",
                b"\r\n",
                b"--q\r\n",
                b"--q--\r\n",
                b"Content-Type: message/delivery-status\r\n",
                b"Final-Recipient: rfc822; a@b.c\r\n",
                b"Status: 5.1.1\r\n",
                b"Content-Transfer-Encoding: base64\r\n",
                b"=?utf-8?b?zz?=\r\n",
                b"<a@b.c>: host x said: 550 no\r\n",
                b"Content-Type: message/rfc822\r\n",
                b"\xff\xfe\r",
            ]
        ),
        max_size=60,
    )
)
def test_mime_shaped_garbage(parts: list[bytes]) -> None:
    assert isinstance(parse_bytes(b"".join(parts)), BounceReport)
