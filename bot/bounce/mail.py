"""One parse of a raw message into the few views the decoders need.

The message is parsed once with the `compat32` policy (several times faster than
`policy.default` on bounces) and only the parts a decoder can use are decoded: the text parts
of the notification, the delivery-status and feedback-report field blocks, and the headers of
the returned original message. Everything tolerates malformed input: a part that cannot be
decoded contributes nothing rather than raising.
"""

from __future__ import annotations

import binascii
import codecs
import re

from bot.bounce import mime
from bot.bounce.lazyre import lazy
from bot.bounce.record import Factory, Record

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs parse start-up

if TYPE_CHECKING:
    from email.message import Message

    # A parsed message: the lean reader's Part, or the email package's Message as a fallback.
    # Both answer the same questions (get, get_all, items, get_content_type, get_payload …).
    Parsed = mime.Part | Message

# A message larger than this is cut before parsing: a bounce's useful part is at its start, and
# the cut keeps the parse time bounded on multi-megabyte returned attachments.
MAX_INPUT = 2_000_000
# Text parts longer than this are cut after decoding for the same reason.
MAX_TEXT = 400_000
MAX_PARTS = 200

_TAGS = lazy(r"<[^<>]{0,2000}>")
_WS_LINE = lazy(r"[ \t]+\n")
_ENTITY = {"&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#39;": "'"}
_ENTITY_RE = lazy("|".join(re.escape(k) for k in _ENTITY))
_BR = lazy(r"<(?:br|/p|/div|/tr|p|div|tr)\b[^<>]{0,200}>", re.I)

FieldBlock = dict[str, str]
_MDN_FAILED = lazy(r"deleted|denied|failed|error", re.I)
_FIELD_NAME = lazy(r"[A-Za-z][A-Za-z0-9-]*")


class Mail(Record):
    """The views of one message that the decoders read."""

    header: Parsed
    subject: str = ""
    sender: str = ""
    # Text of the notification: the decoded text parts, in order, up to the returned message.
    body: str = ""
    # Field blocks of message/delivery-status parts: [per-message, per-recipient, ...].
    dsn_blocks: list[FieldBlock] = Factory(list)
    # Fields of a message/feedback-report part (ARF).
    feedback: FieldBlock | None = None
    # Headers of the returned original message (message/rfc822 or text/rfc822-headers).
    original: FieldBlock | None = None
    # Raw text of the returned message when it came as a MIME part.
    original_text: str = ""
    content_type: str = ""
    report_type: str = ""
    # True for pasted text without headers: decoders may then accept a bare fragment.
    fragment: bool = False
    # The first attached message (message/rfc822), parsed: a forwarded bounce lives there.
    attached: Parsed | None = None


HEAD_SIZE = 6000


def head_lower(mail: Mail) -> str:
    """The first HEAD_SIZE characters of the notice's text, lower-cased, computed once per mail:
    most decoders' `match()` looks for a phrase there, and they all share this one copy."""
    cached = mail.__dict__.get("_head_lower")
    if cached is None:
        cached = mail.body[:HEAD_SIZE].lower()
        mail.__dict__["_head_lower"] = cached
    return cached


def normalise_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes to text, trusting the declared charset only when Python knows it."""
    if charset:
        charset = charset.strip().strip('"').lower()
        if charset in ("unknown-8bit", "x-unknown", "us-ascii", "ascii"):
            charset = None
        elif charset in ("cp932", "shift-jis", "x-sjis", "sjis", "ms932"):
            charset = "shift_jis"
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = None
    if charset:
        try:
            return data.decode(charset, errors="replace")
        except (LookupError, ValueError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if b"\x1b$" in data:
            try:
                return data.decode("iso2022_jp", errors="replace")
            except (LookupError, ValueError):
                pass
        return data.decode("cp1252", errors="replace")


_ENCODED_WORD = lazy(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")
_BETWEEN_WORDS = lazy(r"(\?=)\s+(=\?)")


def _word_bytes(match: re.Match[str]) -> bytes | None:
    encoding, data = match.group(2).upper(), match.group(3)
    try:
        if encoding == "B":
            return binascii.a2b_base64(data.encode("ascii") + b"=" * (-len(data) % 4))
        return binascii.a2b_qp(data.encode("ascii"), header=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None


def _decode_words(text: str) -> str:
    """Replace encoded words by their text. Adjacent words in one charset are decoded as one
    byte string, since a multi-byte character may be split between them."""
    out: list[str] = []
    pending = b""
    charset = ""
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        raw = _word_bytes(match)
        word_charset = match.group(1).split("*", 1)[0].lower()  # RFC 2231 language suffix
        adjacent = match.start() == position and pending and word_charset == charset
        if raw is None or not adjacent:
            if pending:
                out.append(decode_bytes(pending, charset))
                pending = b""
            out.append(text[position : match.start()])
        if raw is None:
            out.append(match.group(0))
        else:
            pending += raw
            charset = word_charset
        position = match.end()
    if pending:
        out.append(decode_bytes(pending, charset))
    out.append(text[position:])
    return "".join(out)


def header_text(value: object) -> str:
    """A header value as readable text: RFC 2047 encoded words decoded, folding removed.

    Decoded here rather than with `email.header`: importing that part of the email package
    costs more start-up time than decoding every header of a hundred bounces.
    """
    if value is None:
        return ""
    text = str(value)
    if "=?" in text:
        # White space between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
        text = _BETWEEN_WORDS.sub(r"\1\2", text)
        text = _decode_words(text)
    return " ".join(text.split())


def _payload_text(part: Parsed) -> str:
    try:
        raw = part.get_payload(decode=True)
    except (ValueError, TypeError, AssertionError, LookupError):
        raw = None
    if raw is None:
        payload = part.get_payload()
        if isinstance(payload, str):
            return normalise_newlines(payload)[:MAX_TEXT]
        return ""
    if not isinstance(raw, bytes):
        return ""
    try:
        charset = part.get_content_charset()
    except (ValueError, LookupError):
        charset = None
    return normalise_newlines(decode_bytes(raw[: MAX_TEXT * 2], charset))[:MAX_TEXT]


def html_to_text(html: str) -> str:
    text = _BR.sub("\n", html)
    text = _TAGS.sub("", text)
    text = _ENTITY_RE.sub(lambda m: _ENTITY[m.group(0)], text)
    return _WS_LINE.sub("\n", text)


def parse_field_block(text: str) -> list[FieldBlock]:
    """Split `Name: value` blocks separated by blank lines; continuation lines are unfolded.

    Written by hand instead of using the parsed sub-messages because real DSNs break the
    grammar (indented first lines, missing blank lines, junk between fields) and a tolerant
    reader keeps more of them.
    """
    blocks: list[FieldBlock] = []
    current: FieldBlock = {}
    last: str | None = None
    for line in normalise_newlines(text).split("\n"):
        if not line.strip():
            if current:
                blocks.append(current)
                current, last = {}, None
            continue
        if line[0] in " \t" and last is not None and ":" not in line.split(None, 1)[0]:
            current[last] += " " + line.strip()
            continue
        name, sep, value = line.strip().partition(":")
        if sep and len(name) < 40 and _FIELD_NAME.fullmatch(name):
            key = name.lower()
            if key in current and key in ("final-recipient", "original-recipient"):
                blocks.append(current)
                current = {}
            current[key] = value.strip()
            last = key
        elif last is not None:
            current[last] += " " + line.strip()
    if current:
        blocks.append(current)
    return blocks


def _is_message(value: object) -> bool:
    return hasattr(value, "get_content_type")


def _headers_of(msg: Parsed) -> FieldBlock:
    out: FieldBlock = {}
    for key, value in msg.items():
        k = key.lower()
        if k not in out:
            out[k] = header_text(value)
    return out


def _blocks_from_payload(part: Parsed) -> list[FieldBlock]:
    payload = part.get_payload()
    if isinstance(payload, list):
        # Raw header items, not as_string(): re-folding every header is the costliest step
        # of the whole parse and the reader below unfolds them anyway.
        text = "\n\n".join(
            "\n".join(f"{k}: {v}" for k, v in p.items()) if _is_message(p) else str(p)
            for p in payload
        )
    else:
        text = _payload_text(part)
    return parse_field_block(text)


def load(data: bytes) -> Mail:
    """Parse `data` once; never raises on malformed MIME."""
    if len(data) > MAX_INPUT:
        data = data[:MAX_INPUT]
    parsed = mime.parse(data)
    if parsed is None:
        # What the lean reader is unsure of, the email package reads (compat32 is its default
        # policy; importing email.policy for it would only cost start-up time).
        import email

        parsed = email.message_from_bytes(data)
    return from_message(parsed)


def from_message(msg: Parsed) -> Mail:
    """The views of an already parsed message (also used for a bounce attached to another)."""
    mail = Mail(header=msg)
    mail.subject = header_text(msg.get("subject", ""))
    mail.sender = header_text(msg.get("from", ""))
    mail.content_type = msg.get_content_type()
    mail.report_type = (msg.get_param("report-type") or "") if mail.content_type else ""
    if not isinstance(mail.report_type, str):
        mail.report_type = ""
    texts: list[str] = []
    htmls: list[str] = []
    count = 0

    def visit(part: Parsed, depth: int) -> None:
        nonlocal count
        count += 1
        if count > MAX_PARTS or depth > 20:
            return
        ctype = part.get_content_type()
        payload = part.get_payload()
        if part.is_multipart() and ctype.startswith("multipart/"):
            for sub in payload if isinstance(payload, list) else []:
                if _is_message(sub):
                    visit(sub, depth + 1)
            return
        if ctype.startswith("multipart/"):
            texts.append(_payload_text(part))
            return
        if ctype in ("message/delivery-status", "message/global-delivery-status"):
            blocks = _blocks_from_payload(part)
            if any(_DSN_KEYS & set(b) for b in blocks):
                mail.dsn_blocks.extend(blocks)
            else:
                # Mislabelled: prose under a delivery-status header is the notice's text.
                try:
                    raw = normalise_newlines(part.as_string())
                except (ValueError, TypeError, LookupError, AttributeError):
                    raw = ""
                texts.append(raw.split("\n\n", 1)[1] if "\n\n" in raw else "")
            return
        if ctype == "message/disposition-notification":
            # A delivery agent's rejection sent as a disposition notice (dovecot's "deleted")
            # counts as a failure; a read receipt does not.
            blocks = _blocks_from_payload(part)
            if any(_MDN_FAILED.search(b.get("disposition", "")) for b in blocks):
                mail.dsn_blocks.extend(blocks)
            return
        if ctype == "message/feedback-report":
            blocks = _blocks_from_payload(part)
            merged: FieldBlock = {}
            for block in blocks:
                for k, v in block.items():
                    merged.setdefault(k, v)
            mail.feedback = merged
            return
        if ctype in ("message/rfc822", "message/global", "message/partial"):
            if mail.original is None:
                inner = payload[0] if isinstance(payload, list) and payload else None
                if _is_message(inner):
                    mail.attached = inner
                    mail.original = _headers_of(inner)
                    mail.original_text = "\n".join(f"{k}: {v}" for k, v in inner.items())
            return
        if ctype in ("text/rfc822-headers", "message/rfc822-headers", "text/global-headers"):
            if mail.original is None:
                text = _payload_text(part)
                mail.original = _headers_of(mime.headers_only(text))
                mail.original_text = text
            return
        if ctype == "text/plain" or (ctype.startswith("text/") and ctype != "text/html"):
            if part.get_filename() and texts:
                return
            texts.append(_payload_text(part))
        elif ctype == "text/html":
            htmls.append(_payload_text(part))

    # try/except rather than contextlib.suppress: contextlib is one more import at start-up.
    try:  # noqa: SIM105
        visit(msg, 0)
    except (ValueError, TypeError, LookupError, AttributeError, IndexError, KeyError):
        pass
    if not texts and htmls:
        texts = [html_to_text(h) for h in htmls]
    mail.body = "\n".join(texts)
    if not mail.dsn_blocks and "elivery-status" in mail.body:
        _inline_dsn(mail)
    return mail


_INLINE_DSN = lazy(r"^content-type:[ \t]*message/(?:global-)?delivery-status\b.*$", re.I | re.M)
_BOUNDARY_LINE = lazy(r"^--\S.*$", re.M)


def _inline_dsn(mail: Mail) -> None:
    """A delivery-status part the MIME parser missed (a broken boundary parameter leaves the
    whole report as one text part): read its fields from the text and cut the text there."""
    marker = _INLINE_DSN.search(mail.body)
    if marker is None:
        return
    rest = mail.body[marker.end() :]
    end = _BOUNDARY_LINE.search(rest)
    blocks = [
        b for b in parse_field_block(rest[: end.start()] if end else rest) if _DSN_KEYS & set(b)
    ]
    if not any("final-recipient" in b or "original-recipient" in b for b in blocks):
        return
    mail.dsn_blocks = blocks
    head = mail.body[: marker.start()]
    boundaries = list(_BOUNDARY_LINE.finditer(head))
    mail.body = head[: boundaries[-1].start()] if boundaries else head


def from_text(text: str) -> Mail:
    """A pasted body or fragment as a Mail with no headers."""
    mail = Mail(header=mime.empty(), fragment=True)
    mail.body = normalise_newlines(text)[:MAX_TEXT]
    blocks = parse_field_block(mail.body)
    if any("final-recipient" in b or "status" in b for b in blocks):
        mail.dsn_blocks = [b for b in blocks if set(b) & _DSN_KEYS]
    return mail


_DSN_KEYS = {
    "final-recipient",
    "original-recipient",
    "status",
    "action",
    "diagnostic-code",
    "remote-mta",
    "reporting-mta",
}
