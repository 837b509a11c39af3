"""Finding reply codes, enhanced status codes and addresses in diagnostic text.

These follow the reference parser's rules (first `(#5.x.y)`, then `550 5.x.y`, then a bare
`5.x.y`, never a number that is part of an IP address or a version), because the point of the
engine is to agree with it. `bot.extract.find_codes` serves the chat side, where the rules are
about what a person pasted; here the rules are about what an MTA wrote in one DSN field.
"""

from __future__ import annotations

import re

_STATUS_PATTERNS = (
    re.compile(r" ?\(#([45]\.\d\.\d{1,3})\)?"),
    re.compile(r"\b\d{3}[ -]#?([45]\.\d\.\d{1,3})\b"),
    re.compile(r"\b([45]\.\d\.\d{1,3})\b"),
    re.compile(r"\b(2\.[0-7]\.[0-7])\b"),
)
_IP4 = re.compile(r"\b(?:25[0-5]|2[0-4]\d|[01]?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|[01]?\d?\d)){3}\b")
_REPLY = re.compile(r"\b([45][0-5]\d)\b")
_REPLY_OK = re.compile(r"\b(25[0-3])\b")
STATUS_FIELD = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})")
STRICT_STATUS = re.compile(r"^[245]\.\d{1,3}\.\d{1,3}$")

ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]{1,200}@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62})\.)+"
    r"[A-Za-z0-9\-]{1,63}|[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]{1,200}@\[[0-9.]{7,15}\]"
)


def find_status(text: str) -> str:
    """The enhanced status code an MTA most likely meant in `text`, or ''."""
    if not text or "." not in text:
        return ""
    for pattern in _STATUS_PATTERNS:
        for match in pattern.finditer(text):
            found = match.group(1)
            start, end = match.start(1), match.end(1)
            before = text[max(0, start - 4) : start]
            after = text[end : end + 4]
            if re.match(r"\.\d", after) or re.search(r"\d\.$", before):
                continue
            return found
    return ""


# Reply codes in the order they are preferred when a text holds several (the reference parser
# looks codes up by this priority, not by position, and knows no other codes).
_REPLY_ORDER = {
    "2": ("211", "214", "220", "221", "235", "250", "251", "252", "253", "354"),
    "4": ("421", "450", "451", "452", "422", "430", "432", "453", "454", "455", "456", "458",
          "459"),
    "5": ("550", "552", "553", "551", "521", "525", "502", "520", "523", "524", "530", "533",
          "534", "535", "538", "555", "556", "554", "500", "501", "503", "504"),
}
_REPLY_ALL = _REPLY_ORDER["5"] + _REPLY_ORDER["4"] + _REPLY_ORDER["2"]


def find_reply(text: str, status: str = "") -> str:
    """An SMTP reply code in `text`, or ''.

    `status` (a status code or its class digit) restricts the search to codes of that class.
    A code glued to digits, dots or slashes (IP addresses, versions, paths) does not count.
    """
    if not text or len(text) < 3 or "x-unix;" in text.lower():
        return ""
    candidates = _REPLY_ORDER.get((status or "")[:1], _REPLY_ALL)
    padded = f" {text} "
    for code in candidates:
        start = padded.find(code)
        while start != -1:
            before, after = padded[start - 1], padded[start + 3]
            if not ("-" < before < ":" or "-" < after < ":"):
                return code
            # The reference parser looks at the first occurrence only.
            break
    return ""


def prefer(field: str, in_text: str, reply: str = "") -> str:
    """Choose between the Status: field and a status code found in the diagnostic text."""
    if not field or len(field) < 5:
        return in_text
    if not in_text or len(in_text) < 5:
        return field
    f, e, r = field[0], in_text[0], (reply or "0")[0]
    if r != "0" and f != e:
        if r == f:
            return field
        if r == e:
            return in_text
    if field == in_text:
        return field
    if ".0.0" in field[1:]:
        return field if ".0.0" in in_text[1:] else in_text
    if ".0" in field[1:] and ".0" not in in_text[1:]:
        return in_text
    if ".0.0" in in_text[1:]:
        return field
    if field == "4.4.7" or field.startswith("5.3."):
        return in_text
    if field == "5.1.1":
        return field if ".0" in in_text[1:] else in_text
    if field == "5.1.3" and in_text.startswith("5.7."):
        return in_text
    return field


def normalise_status(value: str) -> str:
    match = STATUS_FIELD.match(value or "")
    if not match:
        return ""
    return f"{match.group(1)}.{int(match.group(2))}.{int(match.group(3))}"


def clean_address(value: str) -> str:
    """`rfc822; <User@Example.COM>` -> `User@Example.COM`; '' when no address is there."""
    if not value:
        return ""
    if ";" in value:
        value = value.split(";", 1)[1]
    match = ADDRESS.search(value)
    if not match:
        return ""
    address = match.group(0).strip(".'\"")
    if address.startswith("."):
        address = address.lstrip(".")
    return address


def is_address(value: str) -> bool:
    return bool(value) and ADDRESS.fullmatch(value) is not None
