"""A lean MIME reader with the slice of `email.message.Message`'s interface the decoders use.

`email.message_from_bytes` reads a message line by line in Python and builds header objects
that bounce decoding never needs; on the corpus it is most of the parse time, and importing
the `email` stack is a large share of a short command's start-up. This reader splits headers
and MIME parts with bytes operations instead, decodes a part only when asked, and keeps
`email`'s compat32 behaviour where decoders can see it (header values, content types,
parameters, payloads). `parse` returns None for anything it does not handle with confidence,
and the caller then falls back to the `email` package; a test holds the two readers to the
same results on the whole corpus.
"""

from __future__ import annotations

import binascii

from bot.bounce.lazyre import lazy

MAX_PARTS = 200
MAX_DEPTH = 20

_PARAM = lazy(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


class Part:
    """One message or MIME part: its headers, and its body decoded on demand."""

    __slots__ = ("_children", "_ctype", "_headers", "_index", "_lower", "_params", "body")

    def __init__(self, headers: list[tuple[str, str]], body: bytes) -> None:
        self._headers = headers
        self._lower = [name.lower() for name, _ in headers]
        self._index: dict[str, str] = {}
        for key, (_, value) in zip(self._lower, headers, strict=True):
            self._index.setdefault(key, value)
        self.body = body
        self._children: list[Part] | None = None
        # Decoders ask for the content type and its parameters many times per message.
        self._ctype: str | None = None
        self._params: dict[str, dict[str, str]] = {}

    # -- headers -------------------------------------------------------------------------
    def get(self, name: str, failobj: object = None) -> object:
        return self._index.get(name.lower(), failobj)

    def get_all(self, name: str, failobj: object = None) -> object:
        key = name.lower()
        values = [v for k, (_, v) in zip(self._lower, self._headers, strict=True) if k == key]
        return values or failobj

    def items(self) -> list[tuple[str, str]]:
        return list(self._headers)

    def keys(self) -> list[str]:
        return [n for n, _ in self._headers]

    def __contains__(self, name: str) -> bool:
        return name.lower() in self._index

    def __getitem__(self, name: str) -> object:
        return self._index.get(name.lower())

    # -- content type --------------------------------------------------------------------
    def get_content_type(self) -> str:
        if self._ctype is None:
            value = self._index.get("content-type")
            ctype = "text/plain" if value is None else value.split(";", 1)[0].strip().lower()
            self._ctype = ctype if ctype.count("/") == 1 else "text/plain"
        return self._ctype

    def get_content_maintype(self) -> str:
        return self.get_content_type().split("/")[0]

    def get_content_subtype(self) -> str:
        return self.get_content_type().split("/")[1]

    def get_param(self, param: str, failobj: object = None, header: str = "content-type") -> object:
        key = header.lower()
        params = self._params.get(key)
        if params is None:
            params = {}
            value = self._index.get(key)
            for match in _PARAM.finditer(" ".join(value.split()) if value else ""):
                raw = match.group(2).strip()
                if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
                    raw = raw[1:-1].replace('\\"', '"').replace("\\\\", "\\")
                params.setdefault(match.group(1).lower(), raw)
            self._params[key] = params
        return params.get(param.lower(), failobj)

    def get_content_charset(self, failobj: object = None) -> object:
        charset = self.get_param("charset")
        return charset.lower() if isinstance(charset, str) and charset else failobj

    def get_filename(self, failobj: object = None) -> object:
        name = self.get_param("filename", None, "content-disposition")
        if name is None:
            name = self.get_param("name")
        return name if name is not None else failobj

    # -- payload -------------------------------------------------------------------------
    def is_multipart(self) -> bool:
        return self._children is not None

    def get_payload(self, decode: bool = False) -> object:
        if self._children is not None:
            return None if decode else self._children
        if not decode:
            return _text(self.body)
        encoding = str(self._index.get("content-transfer-encoding", "")).strip().lower()
        if encoding == "base64":
            return _base64(self.body)
        if encoding == "quoted-printable":
            try:
                return binascii.a2b_qp(self.body)
            except (binascii.Error, ValueError):
                return self.body
        return self.body

    def as_string(self) -> str:
        head = "\n".join(f"{n}: {v}" for n, v in self._headers)
        return f"{head}\n\n{_text(self.body)}"


def _base64(data: bytes) -> bytes:
    compact = b"".join(data.split())
    for padding in (b"", b"=", b"=="):
        try:
            return binascii.a2b_base64(compact + padding)
        except binascii.Error:
            continue
    return data


# One header field: its name, and its value with any continuation lines (kept as the email
# package keeps them: "\n" plus the indented line).
_HEADER_FIELD = lazy(r"([!-9;-~]+):[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)(?:\n|\Z)")
_LEADING_CONTINUATION = lazy(r"(?:[ \t][^\n]*(?:\n|\Z))+")


def _split_headers(data: bytes) -> tuple[list[tuple[str, str]], bytes]:
    """Headers and body of `data` (LF line endings).

    As in the email package, the header block ends at the first blank line or at the first
    line that is not a header (which then starts the body). The block is decoded once and
    read field by field with one regex, which is much cheaper than a loop over its lines.
    """
    if data.startswith(b"\n"):
        return [], data[1:]
    end = data.find(b"\n\n")
    text = _text(data if end < 0 else data[:end])
    headers: list[tuple[str, str]] = []
    position = 0
    # The email package drops continuation lines that come before any header.
    leading = _LEADING_CONTINUATION.match(text)
    if leading:
        position = leading.end()
    size = len(text)
    while position < size:
        field = _HEADER_FIELD.match(text, position)
        if field is None:
            # Not a header: the body starts at this line. Find it again in the raw bytes.
            lines_before = text.count("\n", 0, position)
            offset = 0
            for _ in range(lines_before):
                offset = data.index(b"\n", offset) + 1
            return headers, data[offset:]
        headers.append((field.group(1), field.group(2)))
        position = field.end()
    return headers, (b"" if end < 0 else data[end + 2 :])


class _Budget:
    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts = 0


def _parse(data: bytes, depth: int, budget: _Budget) -> Part | None:
    budget.parts += 1
    if depth > MAX_DEPTH or budget.parts > MAX_PARTS:
        return None
    if data.startswith(b"From "):  # an mbox separator line, at the top or in an attachment
        newline = data.find(b"\n")
        data = data[newline + 1 :] if newline >= 0 else b""
    part = Part(*_split_headers(data))
    ctype = part.get_content_type()
    if ctype.startswith("multipart/"):
        boundary = part.get_param("boundary")
        if not isinstance(boundary, str) or not boundary:
            return part  # no boundary: the body is plain text, as for the email package
        children = _split_multipart(part.body, boundary.encode("utf-8", "replace"))
        if children is None:
            return part
        parsed = []
        for child in children:
            sub = _parse(child, depth + 1, budget)
            if sub is None:
                return None
            parsed.append(sub)
        part._children = parsed
    elif ctype in ("message/rfc822", "message/global") and part.get(
        "content-transfer-encoding", "7bit"
    ) in ("7bit", "8bit", "binary"):
        inner = _parse(part.body, depth + 1, budget)
        if inner is None:
            return None
        part._children = [inner]
    return part


def _split_multipart(body: bytes, boundary: bytes) -> list[bytes] | None:
    """The parts between `--boundary` lines, or None when the first boundary is missing."""
    delimiter = b"--" + boundary
    pieces: list[bytes] = []
    start = -1
    position = 0
    at_line_start = True
    while True:
        found = body.find(delimiter, position)
        if found < 0:
            break
        line_end = body.find(b"\n", found)
        line_end = len(body) if line_end < 0 else line_end
        at_line_start = found == 0 or body[found - 1 : found] == b"\n"
        rest = body[found + len(delimiter) : line_end].rstrip()
        if at_line_start and rest in (b"", b"--"):
            if start >= 0:
                end = found - 1 if found > 0 and body[found - 1 : found] == b"\n" else found
                pieces.append(body[start:end])
            if rest == b"--":
                return pieces
            start = line_end + 1
        position = line_end + 1 if line_end > found else found + len(delimiter)
        if position >= len(body):
            break
    if start < 0:
        return None
    pieces.append(body[start:])
    return pieces


def parse(data: bytes) -> Part | None:
    """The message in `data`, or None when the email package should read it instead."""
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return _parse(data, 0, _Budget())


def empty() -> Part:
    return Part([], b"")


def headers_only(text: str) -> Part:
    """A header block given as text (text/rfc822-headers), read leniently."""
    headers, _ = _split_headers(text.replace("\r\n", "\n").encode("utf-8", "replace"))
    return Part(headers, b"")
