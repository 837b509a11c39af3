"""One synthetic message per vendor format that the shared corpus lacks.

The fixtures under tests/fixtures/formats/ were written for this project (example.* domains,
RFC 5737 addresses) from the formats' documented structure; none is a copy of a real or a
published test message. Each one checks that its format's decoder claims it and that the
finished record (address, status, reply code, reason) is what the notice says.
"""

from __future__ import annotations

import email
import json
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.bounce import parse_bytes, parse_text
from bot.bounce.decoders import DECODERS
from bot.bounce.mail import Mail, load

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"

# file, decoder, address, status, reply code, reason
CASES = [
    ("sendmail-text.eml", "Sendmail", "nobody@example.org", "5.1.1", "550", "userunknown"),
    ("v5sendmail.eml", "V5sendmail", "ghost@example.com", "5.0.911", "550", "userunknown"),
    ("office365.eml", "Office365", "carol@example.org", "5.1.10", "550", "userunknown"),
    ("exchange2007.eml", "Exchange2007", "dave@example.org", "5.1.1", "550", "userunknown"),
    ("amazonses.eml", "AmazonSES", "erin@example.org", "5.1.1", "550", "userunknown"),
    ("amazonses-sns.eml", "AmazonSES", "frank@example.org", "5.2.2", "552", "mailboxfull"),
    ("courier.eml", "Courier", "gina@example.org", "5.1.1", "550", "userunknown"),
    ("yahoo.eml", "Yahoo", "ivan@example.org", "5.2.2", "550", "mailboxfull"),
    ("aol.eml", "Aol", "judy@nonexistent.example", "5.4.4", None, "hostunknown"),
    ("messagelabs.eml", "MessageLabs", "kate@example.org", "5.0.0", None, "userunknown"),
    ("mimecast.eml", "Mimecast", "liam@example.org", "5.1.1", None, "userunknown"),
    ("ezweb.eml", "EZweb", "mika@ezweb.ne.jp", "5.0.921", None, "suspend"),
    ("kddi.eml", "KDDI", "noriko@au.example.jp", "5.0.922", None, "mailboxfull"),
    ("biglobe.eml", "Biglobe", "osamu@biglobe.example.jp", "5.0.922", None, "mailboxfull"),
    ("notes.eml", "Notes", "mark@notes.example.org", "5.0.911", None, "userunknown"),
    (
        "googlegroups.eml",
        "GoogleGroups",
        "no-such-group@groups.example.org",
        "5.0.918",
        None,
        "rejected",
    ),
    ("sendgrid.eml", "SendGrid", "oscar@example.org", "5.1.1", "550", "userunknown"),
    ("x1.eml", "X1", "paul@example.org", "5.0.910", None, "filtered"),
    ("x2.eml", "X2", "quinn@example.org", "5.0.910", None, "filtered"),
    ("x3.eml", "X3", "rita@example.org", "5.3.0", "553", "userunknown"),
    ("x6.eml", "X6", "sam@example.org", "5.1.1", "550", "userunknown"),
    ("zoho.eml", "Zoho", "tina@example.org", "5.1.1", "550", "userunknown"),
    ("gmx.eml", "GMX", "uma@example.org", "5.1.1", None, "userunknown"),
    ("mailru.eml", "MailRu", "vera@example.org", "5.1.1", "550", "userunknown"),
    ("barracuda.eml", "Barracuda", "walt@example.org", "5.7.1", "550", "spamdetected"),
    ("interscanmss.eml", "InterScanMSS", "xena@example.org", "5.1.1", "550", "userunknown"),
    ("mcafee.eml", "McAfee", "yuri@example.org", "5.0.0", "550", "userunknown"),
    ("mxlogic.eml", "MXLogic", "zack@example.org", "5.1.1", "550", "userunknown"),
    (
        "googleworkspace.eml",
        "GoogleWorkspace",
        "abby@example.org",
        "5.1.1",
        "550",
        "userunknown",
    ),
    ("amavis.eml", "Amavis", "bert@example.org", "5.7.1", "550", "spamdetected"),
    ("amazonworkmail.eml", "AmazonWorkMail", "cora@example.org", "5.1.1", "550", "userunknown"),
    ("powermta.eml", "PowerMTA", "dina@example.org", "5.0.0", "550", "userunknown"),
    ("apachejames.eml", "ApacheJames", "eli@example.org", "5.0.910", "550", "filtered"),
    ("mfilter.eml", "mFILTER", "fumi@example.org", "5.1.1", "550", "userunknown"),
    ("activehunter.eml", "Activehunter", "gabe@example.org", "5.1.1", "550", "userunknown"),
    ("verizon.eml", "Verizon", "5550100@vtext.com", "5.0.911", "550", "userunknown"),
    ("fml.eml", "FML", "dev@lists.example.net", "5.0.918", None, "rejected"),
    ("dragonfly.eml", "DragonFly", "hana@example.org", "5.2.2", "552", "mailboxfull"),
    ("receivingses.eml", "ReceivingSES", "ivy@inbound.example.org", "5.2.2", "550", "mailboxfull"),
    ("mailmarshal.eml", "MailMarshalSMTP", "jack@example.org", "5.1.1", "550", "userunknown"),
    ("surfcontrol.eml", "SurfControl", "kyle@example.org", "5.0.910", "550", "filtered"),
    ("mailfoundry.eml", "MailFoundry", "lena@example.org", "5.0.910", "550", "filtered"),
    ("outlook.eml", "Outlook", "mona@example.org", "5.5.0", "550", "userunknown"),
    ("sendmail-warning.eml", "Sendmail", "nora@slow.example.org", "5.0.947", None, "expired"),
    ("office365-multi.eml", "Office365", "olga@example.org", "5.1.1", "550", "userunknown"),
    (
        "exchange2007-expired.eml",
        "Exchange2007",
        "quinn@remote.example.org",
        "4.4.7",
        None,
        "expired",
    ),
    ("courier-delay.eml", "Courier", "rob@nonexistent.example", "5.0.944", None, "networkerror"),
    (
        "deutschetelekom.eml",
        "DeutscheTelekom",
        "sara@t-online.example",
        "5.2.2",
        "552",
        "mailboxfull",
    ),
]

# Fixtures with more than one recipient (the table checks the first).
MULTI = {"office365-multi.eml": 2}


@pytest.mark.parametrize(
    ("name", "decoder", "address", "status", "reply", "reason"), CASES, ids=[c[0] for c in CASES]
)
def test_format(
    name: str, decoder: str, address: str, status: str, reply: str | None, reason: str
) -> None:
    report = parse_bytes((FIXTURES / name).read_bytes())
    assert report.decoder == decoder
    assert report.recipients[0].address == address
    assert len(report.recipients) == MULTI.get(name, 1)
    record = report.recipients[0]
    assert (record.status, record.reply_code, record.reason) == (status, reply, reason)


def test_every_fixture_is_covered() -> None:
    """A fixture added without a case would otherwise never be checked."""
    assert {p.name for p in FIXTURES.glob("*.eml")} == {c[0] for c in CASES}


def test_fixtures_readme_lists_every_fixture() -> None:
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    for path in FIXTURES.glob("*.eml"):
        assert f"`{path.name}`" in readme


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_text_paste_of_fixture_does_not_crash(name: str) -> None:
    """The same notice pasted into chat (decoded text, no MIME) must not raise."""
    parse_text((FIXTURES / name).read_bytes().decode("utf-8", errors="replace"))


def _decoders_claiming(data: bytes) -> list[tuple[ModuleType, Mail]]:
    mail = load(data)
    return [(decoder, mail) for decoder in DECODERS if decoder.match(mail)]


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_truncated_fixture_never_raises_in_a_decoder(name: str) -> None:
    """A notice cut anywhere (size limits, broken relays) must not make a decoder raise:
    the engine would hide the error and fall back to a worse reader."""
    data = (FIXTURES / name).read_bytes()
    step = max(1, len(data) // 40)
    for end in range(0, len(data) + 1, step):
        for decoder, mail in _decoders_claiming(data[:end]):
            decoder.decode(mail)


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_fixture_headers_with_shuffled_body_never_raise(name: str) -> None:
    """The headers that make a vendor decoder claim a message, over a body it did not expect:
    the notice's own lines reordered, dropped or repeated, mixed with arbitrary text."""
    raw = (FIXTURES / name).read_bytes().replace(b"\r\n", b"\n")
    head, _, body = raw.partition(b"\n\n")
    head = b"\n".join(
        line for line in head.split(b"\n") if not line.lower().startswith(b"content-type")
    )
    lines = body.decode("utf-8", errors="replace").split("\n") or [""]
    line = st.one_of(st.sampled_from(lines), st.text(max_size=80))

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(line, max_size=40))
    def check(parts: list[str]) -> None:
        text = "\n".join(parts)
        data = head + b"\nContent-Type: text/plain; charset=utf-8\n\n" + text.encode()
        for decoder, mail in _decoders_claiming(data):
            decoder.decode(mail)

    check()


@pytest.mark.parametrize(
    "name", ["sendmail-warning.eml", "exchange2007-expired.eml", "courier-delay.eml"]
)
def test_delay_notices_are_delays(name: str) -> None:
    report = parse_bytes((FIXTURES / name).read_bytes())
    assert report.kind == "delay"
    assert report.recipients[0].action == "delayed"


def test_office365_each_recipient_keeps_its_own_reply() -> None:
    report = parse_bytes((FIXTURES / "office365-multi.eml").read_bytes())
    second = report.recipients[1]
    assert (second.address, second.status, second.reply_code, second.reason) == (
        "pete@example.org",
        "5.2.2",
        "552",
        "mailboxfull",
    )
    assert second.remote_mta == "mx.example.org"


def _ses_message(payload: dict[str, object], envelope: bool) -> bytes:
    """An SNS email carrying an SES event, optionally wrapped in SNS's own JSON envelope."""
    body = json.dumps(payload)
    if envelope:
        body = json.dumps({"Type": "Notification", "MessageId": "m-1", "Message": body})
    head = (FIXTURES / "amazonses-sns.eml").read_bytes().split(b"\n\n", 1)[0]
    return head + b"\n\n" + body.encode() + b"\n\n--\nunsubscribe text\n"


@pytest.mark.parametrize("envelope", [False, True])
def test_ses_notifications_by_email(envelope: bool) -> None:
    complaint = {
        "notificationType": "Complaint",
        "complaint": {
            "complainedRecipients": [{"emailAddress": "quentin@example.org"}],
            "complaintFeedbackType": "abuse",
        },
        "mail": {"messageId": "x"},
    }
    report = parse_bytes(_ses_message(complaint, envelope))
    assert report.kind == "feedback"
    assert [(r.address, r.reason) for r in report.recipients] == [
        ("quentin@example.org", "feedback")
    ]
    bounce = {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": "Permanent",
            "bounceSubType": "General",
            "bouncedRecipients": [
                {
                    "emailAddress": "rosa@example.org",
                    "action": "failed",
                    "status": "5.1.1",
                    "diagnosticCode": "smtp; 550 5.1.1 user unknown",
                }
            ],
        },
    }
    report = parse_bytes(_ses_message(bounce, envelope))
    record = report.recipients[0]
    assert (record.address, record.status, record.reply_code, record.reason) == (
        "rosa@example.org",
        "5.1.1",
        "550",
        "userunknown",
    )


# Formats recognised in a paste (text without headers) by sentences only they write.
PASTED = {
    "apachejames.eml": "ApacheJames",
    "courier.eml": "Courier",
    "deutschetelekom.eml": "DeutscheTelekom",
    "dragonfly.eml": "DragonFly",
    "exchange2007.eml": "Exchange2007",
    "googleworkspace.eml": "GoogleWorkspace",
    "interscanmss.eml": "InterScanMSS",
    "kddi.eml": "KDDI",
    "mailfoundry.eml": "MailFoundry",
    "mailmarshal.eml": "MailMarshalSMTP",
    "mfilter.eml": "mFILTER",
    "mimecast.eml": "Mimecast",
    "notes.eml": "Notes",
    "office365-multi.eml": "Exchange2007",
    "sendmail-text.eml": "Sendmail",
    "surfcontrol.eml": "SurfControl",
    "v5sendmail.eml": "V5sendmail",
    "x3.eml": "X3",
    "x6.eml": "X6",
    "yahoo.eml": "Yahoo",
    "zoho.eml": "Zoho",
}


def _pasted_text(name: str) -> str:
    """What a person would paste: the decoded text parts of the notice, without headers."""
    texts: list[str] = []
    for part in email.message_from_bytes((FIXTURES / name).read_bytes()).walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                texts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return "\n".join(texts)


@pytest.mark.parametrize(("name", "decoder"), sorted(PASTED.items()))
def test_pasted_notice_is_read_by_its_format(name: str, decoder: str) -> None:
    case = next(c for c in CASES if c[0] == name)
    report = parse_text(_pasted_text(name))
    assert report.decoder == decoder
    assert report.recipients[0].address == case[2]
    assert report.recipients[0].reason == case[5]
