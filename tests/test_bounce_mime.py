"""The lean MIME reader gives the decoders what the email package would."""

from __future__ import annotations

import email
from pathlib import Path

import pytest

from bot.bounce import mime
from bot.bounce.cli import result_dict
from bot.bounce.engine import parse_bytes


def corpus_files(shared_dir: Path) -> list[Path]:
    return sorted((shared_dir / "corpus" / "messages").glob("*/*"))


def test_every_corpus_message_is_read_without_the_fallback(shared_dir: Path) -> None:
    files = corpus_files(shared_dir)
    assert files
    assert [f.name for f in files if mime.parse(f.read_bytes()) is None] == []


def test_results_match_the_email_package_on_the_corpus(
    shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same recipients for every message; the original's headers may only be found more often
    (the email package drops message/rfc822-headers parts)."""
    lean = {
        f: result_dict(str(f), parse_bytes(f.read_bytes()), None) for f in corpus_files(shared_dir)
    }
    monkeypatch.setattr(mime, "parse", lambda data: None)
    for path, ours in lean.items():
        reference = result_dict(str(path), parse_bytes(path.read_bytes()), None)
        assert ours["recipients"] == reference["recipients"], path
        if ours["original"] != reference["original"]:
            assert not any(reference["original"].values()), path


def compare_with_email(raw: bytes) -> None:
    ours = mime.parse(raw)
    ref = email.message_from_bytes(raw.replace(b"\r\n", b"\n"))
    assert ours is not None

    def walk(a, b) -> None:  # type: ignore[no-untyped-def]
        assert a.get_content_type() == b.get_content_type()
        if a.get_content_type() == "message/delivery-status":
            # The email package splits it into header blocks; we keep its decoded text, which
            # the tolerant field reader in mail.py prefers.
            assert b"Status: 5.1.1" in a.get_payload(decode=True)
            return
        assert a.is_multipart() == b.is_multipart()
        for name in ("subject", "from", "content-type", "x-missing"):
            assert a.get(name) == b.get(name)
        if a.is_multipart():
            children_a, children_b = a.get_payload(), b.get_payload()
            assert len(children_a) == len(children_b)
            for x, y in zip(children_a, children_b, strict=True):
                walk(x, y)
        else:
            assert a.get_payload(decode=True) == b.get_payload(decode=True)

    walk(ours, ref)


MULTIPART = (
    b"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n"
    b"From: Mail Delivery System <MAILER-DAEMON@example.org>\n"
    b"Subject: Undelivered Mail Returned to Sender\n"
    b"Content-Type: multipart/report; report-type=delivery-status;\n"
    b'\tboundary="B1/x"\n'
    b"\n"
    b"preamble\n"
    b"--B1/x\n"
    b"Content-Type: text/plain; charset=utf-8\n"
    b"Content-Transfer-Encoding: quoted-printable\n"
    b"\n"
    b"caf=C3=A9 =\n"
    b"line\n"
    b"--B1/x\n"
    b"Content-Type: message/delivery-status\n"
    b"Content-Transfer-Encoding: base64\n"
    b"\n"
    b"RmluYWwtUmVjaXBpZW50OiBydGM4MjI7IGFAZXhhbXBsZS5uZXQKU3RhdHVzOiA1LjEuMQo=\n"
    b"--B1/x\n"
    b"Content-Type: message/rfc822\n"
    b"\n"
    b"Subject: hello\n"
    b"From: a@example.com\n"
    b"\n"
    b"body\n"
    b"--B1/x--\n"
    b"epilogue\n"
)


def test_parts_headers_and_payloads_match_the_email_package() -> None:
    compare_with_email(MULTIPART)
    compare_with_email(MULTIPART.replace(b"\n", b"\r\n"))


def test_cr_only_line_endings() -> None:
    part = mime.parse(MULTIPART.replace(b"\n", b"\r"))
    assert part is not None and part.is_multipart()
    assert part.get("subject") == "Undelivered Mail Returned to Sender"


def test_malformed_structures_do_not_raise() -> None:
    cases = [
        b"",
        b"\n\n\n",
        b"Content-Type: multipart/mixed\n\nno boundary parameter",
        b'Content-Type: multipart/mixed; boundary="x"\n\nboundary never appears',
        b'Content-Type: multipart/mixed; boundary="x"\n\n--x\nSubject: a\n\ntruncated',
        b"not a header line\nSubject: x\n\nbody",
        b"Content-Transfer-Encoding: base64\n\n!!!not base64",
        b"\xff\xfe: \x00\n\n\xff",
    ]
    for raw in cases:
        part = mime.parse(raw)
        assert part is not None
        part.get_payload(decode=True)
        part.get_content_type()


def test_nesting_is_bounded() -> None:
    raw = b""
    for n in range(40):
        raw = f'Content-Type: multipart/mixed; boundary="b{n}"\n\n--b{n}\n'.encode() + raw
    assert mime.parse(raw) is None  # deeper than MAX_DEPTH: the email package decides


def test_encoded_words_decode_like_the_email_package(shared_dir: Path) -> None:
    from email.header import decode_header, make_header

    from bot.bounce.mail import header_text

    checked = 0
    for path in corpus_files(shared_dir):
        part = mime.parse(path.read_bytes())
        assert part is not None
        for _, value in part.items():
            if "=?" not in value:
                continue
            try:
                expected = " ".join(str(make_header(decode_header(value))).split())
            except (ValueError, LookupError, UnicodeError, AssertionError):
                continue
            if "\ufffd" in expected:
                continue  # undecodable bytes: replacement characters may differ in number
            # make_header puts a space between an encoded word and plain text next to it
            # (`odpowiedź ]`); RFC 2047 does not, so compare without white space.
            assert "".join(header_text(value).split()) == "".join(expected.split()), value
            checked += 1
    assert checked >= 10
