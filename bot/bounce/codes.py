"""Finding reply codes, enhanced status codes and addresses in diagnostic text.

These follow the reference parser's rules (first `(#5.x.y)`, then `550 5.x.y`, then a bare
`5.x.y`, never a number that is part of an IP address or a version), because the point of the
engine is to agree with it. `bot.extract.find_codes` serves the chat side, where the rules are
about what a person pasted; here the rules are about what an MTA wrote in one DSN field.
"""

from __future__ import annotations

from bot.bounce.lazyre import lazy

_IP4 = lazy(r"\b(?:25[0-5]|2[0-4]\d|[01]?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|[01]?\d?\d)){3}\b")
_REPLY = lazy(r"\b([45][0-5]\d)\b")
_REPLY_OK = lazy(r"\b(25[0-3])\b")
STATUS_FIELD = lazy(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})")
STRICT_STATUS = lazy(r"^[245]\.\d{1,3}\.\d{1,3}$")

ADDRESS = lazy(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]{1,200}@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62})\.)+"
    r"[A-Za-z0-9\-]{1,63}|[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]{1,200}@\[[0-9.]{7,15}\]"
)


def find_status(text: str, hint: str = "") -> str:
    """The enhanced status code an MTA most likely meant in `text`, or ''.

    The first well-formed code by position wins, except that `X.0.0` and `4.4.7` (vague) are
    kept only as a last resort. A code glued to a digit, a dot, a slash or a `v` (versions,
    IP addresses, paths) does not count; IPv4 addresses are masked first. `hint` (a reply code
    or class digit) restricts the search to that class.
    """
    if not text or len(text) < 7 or "." not in text:
        return ""
    first = (hint or "")[:1]
    classes = (first + ".",) if first in ("2", "4", "5") and first else ("5.", "4.", "2.")
    padded = f" {text} "
    if _IP4.search(padded):
        padded = _IP4.sub("***.***.***.***", padded)
    positions: list[int] = []
    for prefix in classes:
        start = padded.find(prefix)
        while start != -1:
            positions.append(start)
            start = padded.find(prefix, start + 5)
    found: list[str] = []
    vague = ""
    size = len(padded)
    for at in sorted(positions):
        before = padded[at - 1] if at else ""
        if before and ("." <= before <= "9" or before in "Vv"):
            continue
        if at + 4 >= size or padded[at + 2] not in "01234567" or padded[at + 3] != ".":
            continue
        if not padded[at + 4].isdigit():
            continue
        code = padded[at : at + 5]
        if code[1:] == ".0.0" or code == "4.4.7":
            vague = code
            continue
        extra = padded[at + 5 : at + 8]
        for ch in extra[:2]:
            if not ch.isdigit():
                break
            code += ch
        else:
            if len(extra) == 3 and extra[2].isdigit():
                continue
        found.append(code)
    if vague:
        found.append(vague)
    return found[0] if found else ""


# Reply codes in the order they are preferred when a text holds several (the reference parser
# looks codes up by this priority, not by position, and knows no other codes).
_REPLY_ORDER = {
    "2": ("211", "214", "220", "221", "235", "250", "251", "252", "253", "354"),
    "4": (
        "421",
        "450",
        "451",
        "452",
        "422",
        "430",
        "432",
        "453",
        "454",
        "455",
        "456",
        "458",
        "459",
    ),
    "5": (
        "550",
        "552",
        "553",
        "551",
        "521",
        "525",
        "502",
        "520",
        "523",
        "524",
        "530",
        "533",
        "534",
        "535",
        "538",
        "555",
        "556",
        "554",
        "500",
        "501",
        "503",
        "504",
    ),
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


_LOOSE = lazy(r'(?:"[^"\r\n]{1,200}"|[^\s"<>()\[\]@,;:]{1,200})@[^\s"<>()\[\]@,;]{1,255}')


def loose_address(value: str) -> str:
    """An address as an MTA wrote it in a field meant for one, even when it is not valid
    (`"quoted local"@host`, `user@#domain`, a bare host): '' when it does not look like one."""
    value = (value or "").strip()
    if ";" in value and not value.startswith('"'):
        value = value.split(";", 1)[1].strip()
    value = value.strip("<>").strip()
    return value if _LOOSE.fullmatch(value) else ""


def is_address(value: str) -> bool:
    return bool(value) and ADDRESS.fullmatch(value) is not None
