"""Find SMTP reply codes (`550`) and enhanced status codes (`5.1.1`) in text people paste.

Pasted text is anything: bounce excerpts, Slack messages (which arrive HTML-escaped), quoted
mail, transcripts flattened onto one line, but also invoices, version lists and phone numbers.
A three-digit number is therefore never a reply code on its own: it has to stand where an MTA
writes one (line start, after `said:`, `smtp;`, `<<<`, `#`, `(`, ...), or be followed by what an
MTA writes after one (an enhanced code, `<address>`, "User unknown", ...). Enhanced codes are
distinctive enough to be accepted more freely, but not after a product name or "version", nor
inside an IP address, a date, a section number or a size.

Every check looks at a bounded window around one candidate, so the run time is linear in the
size of the input, whatever the input is. The public functions never raise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = ["MAX_LINE", "CodeMatch", "distinct_codes", "find_codes"]

MAX_LINE = 300
# How far around a candidate the context checks look; keeps the work per candidate constant.
_LEFT_WINDOW = 80
_RIGHT_WINDOW = 120
_PREFIX_LIMIT = 40
_TRIGGER_WINDOW = 48


@dataclass(frozen=True)
class CodeMatch:
    """One code found in the text; `start`/`end` index the string given to `find_codes`."""

    kind: Literal["basic", "enhanced"]
    code: str
    start: int
    end: int
    line: str


# --- Normalisation -------------------------------------------------------------------------
# Context checks run on a "view" of the text with the same length, so offsets need no mapping:
# line breaks unified, HTML entities and tags turned into the character they stand for plus
# padding. A tag never spans a line, so a stray "<p" cannot swallow the rest of a paste.

_ONE_CHAR = str.maketrans(
    {
        "\r": "\n",
        "\v": "\n",
        "\f": "\n",
        "\x85": "\n",
        "\u2028": "\n",
        "\u2029": "\n",
        "\xa0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200b": " ",
        "\u3000": " ",
        "\ufeff": " ",
    }
)
_ENTITY = re.compile(
    r"&(?:(nbsp|lt|gt|amp|quot|apos)|#(0{0,8}(?:160|60|62|35|34|39|38))"
    r"|#[xX](0{0,8}(?:a0|A0|3c|3C|3e|3E|23|22|27|26)));?",
    re.IGNORECASE,
)
_ENTITY_CHARS = {
    "nbsp": " ",
    "lt": "<",
    "gt": ">",
    "amp": "&",
    "quot": '"',
    "apos": "'",
    "160": " ",
    "60": "<",
    "62": ">",
    "35": "#",
    "34": '"',
    "39": "'",
    "38": "&",
    "a0": " ",
    "3c": "<",
    "3e": ">",
    "23": "#",
    "22": '"',
    "27": "'",
    "26": "&",
}
_BLOCK_TAGS = (
    "br|p|div|li|ul|ol|tr|td|th|table|tbody|thead|h[1-6]|pre|blockquote|hr|body|html|head"
    "|section|article|header|footer"
)
_INLINE_TAGS = "span|b|i|u|em|strong|code|font|a|tt|small|big|sup|sub|center|mark|s|del|ins"
_TAG = re.compile(
    rf"</?(?:({_BLOCK_TAGS})|{_INLINE_TAGS})(?=[\s/>])[^<>\n]{{0,500}}>",
    re.IGNORECASE,
)


def _entity(match: re.Match[str]) -> str:
    key = (match.group(1) or match.group(2) or match.group(3) or "").lower().lstrip("0")
    char = _ENTITY_CHARS.get(key, " ")
    pad = " " * (len(match.group(0)) - 1)
    # ">" closes what stands before it; everything else attaches to what follows.
    return char + pad if char == ">" else pad + char


def _tag(match: re.Match[str]) -> str:
    size = len(match.group(0))
    return ("\n" + " " * (size - 1)) if match.group(1) else " " * size


def _view(text: str) -> str:
    view = text.replace("\r\n", " \n").translate(_ONE_CHAR)
    if "&" in view:
        view = _ENTITY.sub(_entity, view)
    if "<" in view:
        view = _TAG.sub(_tag, view)
    return view


# --- Candidates ----------------------------------------------------------------------------
# The digit runs themselves; the lookarounds drop what is plainly part of a bigger token
# (IP octets, decimals, prices, paths, identifiers, `==` pins, `v5.1.0`).

_BASIC = re.compile(r"(?<![A-Za-z0-9.,$€£¥/\\@+_-])[2-5][0-9]{2}(?![0-9A-Za-z_%€£¥$@+]|[.,/][0-9])")
_ENHANCED = re.compile(
    r"(?<![A-Za-z0-9.,$€£¥/\\@+~^§])[245]\.[0-9]{1,3}\.[0-9]{1,3}"
    r"(?![0-9A-Za-z%€£¥$@+]|[.,/][0-9A-Za-z]|-[0-9])"
)
_ENHANCED_AT = re.compile(r"[245]\.[0-9]{1,3}\.[0-9]{1,3}(?![0-9A-Za-z%@]|[.,/][0-9A-Za-z]|-[0-9])")

# --- Context vocabulary --------------------------------------------------------------------

# What a server writes right after a reply code (or an enhanced code). Words that are
# distinctive on their own, and phrases for the common English ones, so that "500 user
# accounts", "bus 451 to the airport" or "550 Market Street" stay out.
_REPLY_WORDS = (
    r"mailbox(?:es)?|rcpt|recipient|sender|relaying|denied|rejected|refused|sorry|invalid"
    r"|unknown|spam|blocked|blocklisted|blacklisted|quota|over-?quota|syntax|authentication"
    r"|temporar(?:y|ily)|permanent(?:ly)?|insufficient|greylist(?:ed|ing)?|graylist(?:ed|ing)?"
    r"|esmtp|unroute?able|dnsbl|rbl|spf|dkim|dmarc|throttl\w*|deferred|unavailable|prohibited"
    r"|administrative\w*|resolver|storedrv|helo|ehlo"
    r"|requested[ \t]+(?:action|mail)|user[ \t]+(?:unknown|not|does|account|is|has|doesn't"
    r"|mailbox|over)|service[ \t]+(?:not|unavailable|closing|ready|temporarily)"
    r"|relay[ \t]+(?:access|denied|not)"
    r"|mail[ \t]+(?:from|action|rejected|refused|loop|not|quota|box)|message[ \t]+(?:rejected"
    r"|refused|too|size|content|not|looping|blocked|looks|has[ \t]+been|was)"
    r"|address[ \t]+(?:rejected|unknown|not|does|invalid)|domain[ \t]+(?:not|unknown|does"
    r"|isn't|is[ \t]+not)|host[ \t]+(?:unknown|not|name)|account[ \t]+(?:disabled|suspended"
    r"|unavailable|does|is|has)|delivery[ \t]+(?:error|failed|failure|not|temporarily)"
    r"|connection[ \t]+(?:refused|timed|dropped|closed|rate)|policy[ \t]+(?:violation|reasons"
    r"|rejection)|transaction[ \t]+failed|local[ \t]+(?:error|policy|problem)"
    r"|no[ \t]+(?:such|mailbox|account|valid|mx|relay|route)|not[ \t]+(?:found|allowed|accepted"
    r"|available|permitted|taken|authori[sz]ed|exist\w*|known|local|unique)"
    r"|need[ \t]+(?:rcpt|mail|helo|ehlo|data|auth)|issue[ \t]+(?:rcpt|mail|data|helo|ehlo)"
    r"|bad[ \t]+(?:sequence|recipient|address|destination|command)"
    r"|too[ \t]+(?:many|much|big|large)|try[ \t]+(?:again|later)|rate[ \t]+limit\w*"
    r"|(?:start)?tls[ \t]+(?:required|not)|reverse[ \t]+dns"
)
_REPLY = re.compile(
    rf"(?:(?:{_REPLY_WORDS})\b|<[^\s<>@]{{0,64}}@|[A-Za-z0-9._%+'-]{{1,64}}@[A-Za-z0-9-]"
    r"|\[[A-Z][A-Z_]{1,30}\]|[A-Z]{3,}\.[A-Za-z])",
    re.IGNORECASE,
)
# The separator a server puts between a reply code and what follows it.
_SEP = re.compile(r"[ \t]{0,8}(?:[-:–][ \t]{0,8})?")
# Units and counted nouns: "550 KB", "553 seconds", "554 points", "421 unread messages".
_UNIT = re.compile(
    r"[ \t]{0,3}(?:%|[€£¥$]|(?:percent|pct|[kmgtp]i?b|bytes?|kbytes|octets|ms|msecs?|secs?"
    r"|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?|eur|usd|gbp|chf|jpy|cad"
    r"|aud|sek|nok|dkk|pln|inr|rub|dollars?|euros?|pounds?|points?|pts|px|kg|km|miles?|lbs?"
    r"|times|messages|e-?mails|users|recipients|senders|people|items|rows|records|files|pages"
    r"|players|unread|visitors|customers|employees|members|kbps|mbps|mhz|ghz|rpm|dpi)\b)",
    re.IGNORECASE,
)
_HTTP_PHRASE = re.compile(
    r"[ \t]{0,8}(?:[-:][ \t]{0,8})?(?:internal[ \t]+server[ \t]+error|bad[ \t]+gateway"
    r"|gateway[ \t]+time-?out|bad[ \t]+request|unauthori[sz]ed|forbidden|method[ \t]+not"
    r"|too[ \t]+many[ \t]+requests|request[ \t]+time-?out|payload[ \t]+too|unprocessable"
    r"|(?:page|file|resource)[ \t]+not[ \t]+found|http[ \t]+version)",
    re.IGNORECASE,
)
_HTTP_LEFT = re.compile(
    r"\bhttps?(?:/[0-9.]{1,5})?(?!:)[ \t]+(?:(?:status|error|code|response|returned|reply)"
    r"[ \t:]{1,3}){0,3}\Z",
    re.IGNORECASE,
)
_GSMTP = re.compile(r"[ \t]{0,4}-[ \t]{0,4}gsmtp\b", re.IGNORECASE)
_TIME_AFTER = re.compile(r"[ \t]{1,4}(?:at[ \t]{1,4})?[0-9]{1,2}:[0-9]{2}\b")
_DIGITS_AFTER = re.compile(r"[ \t]{0,8}(?:[0-9]{3,}|[0-9]{1,4}[-./:][0-9])")
# Positions where a bare reply code is expected, matched against the text just before it.
_LEFT_TRIGGER = re.compile(
    r"(?:\b(?:said|says|reply|replied|response|responded|answer|answered|error|reason|returned"
    r"|diagnostic|text|code|status)[ \t]*[:=]"
    r"|\b(?:e?smtp|lmtp|x-[a-z0-9-]{1,30})[ \t]*;"
    r"|<<<|>>>|[\]>)][ \t]*:"
    r"|\berror(?:[ \t]+code)?"
    r"|\b(?:e?smtp)(?:[ \t]+(?:reply|response|error|status))?(?:[ \t]+code)?"
    r"|\b(?:reply|response|status)[ \t]+code"
    r")[ \t]*[\"'(\[]?[ \t]*\Z",
    re.IGNORECASE,
)
# Words after which a number is a count, a price, a place or a version, not a reply code.
_BASIC_LEFT_VETO = frozenset(
    "port ports room rooms suite gate bus flight rank page pages line lines row step item "
    "version ver v section chapter order orders invoice ticket issue pr bug case build id no "
    "nr number num route highway apt apartment unit floor model total score eur usd gbp chf "
    "jpy top about approximately approx over under than exit pid uid gid errno col column job "
    "task run tel phone fax mobile ext extension zip postcode year office o365 microsoft "
    "windows".split()
)
# Words after which x.y.z is a version or a section number.
_VERSION_WORDS = frozenset(
    "version versions ver v rev revision release rel firmware fw kernel linux build patch "
    "update upgrade upgraded downgrade downgraded python python3 django node nodejs npm pip "
    "ruby rails php perl java go golang rust openssl openssh nginx apache httpd sisimai "
    "postfix exim sendmail qmail dovecot courier redis postgresql postgres mysql mariadb "
    "requests spamassassin rspamd amavis amavisd clamav opendkim opendmarc roundcube "
    "thunderbird debian ubuntu centos rhel fedora alpine windows macos ios android chrome "
    "firefox safari docker kubernetes helm terraform ansible library package lib sdk api app "
    "plugin module client server agent tls ssl http https v. ver. rev. "
    "section sections sect sect. sec sec. chapter chapters ch ch. clause paragraph para part "
    "appendix article art item items step steps figure fig fig. table footnote page rule "
    "§ §§ on dated date since until till".split()
)
# Words after which a mid-line x.y.z is most likely an enhanced status code.
_ENHANCED_LEFT_WORDS = frozenset(
    "status code codes error errors reply replied response dsn ndr bounce bounced bounces "
    "bouncing got get getting gets returned returns returning said says received receiving "
    "rejected rejects failed deferred with enhanced what does do is are was were mean means "
    "meaning explain a an".split()
)
# Log keys whose value is a code: Postfix/Sendmail `dsn=5.1.1`, `reply=550`.
_KEY_WORDS = frozenset("dsn status code reply response smtp rcode enhanced".split())
# Words that join items of a list of codes: "5.7.1 and 5.7.26".
_LIST_WORDS = frozenset("and or vs versus & / ,".split())
# "Key:" labels after which a value x.y.z is a status code ("Status:", "Remote host said:").
# Other labels ("AntiVirus-Engine: 5.38.0") need the value to look like a reply as well.
_COLON_WORDS = frozenset(
    "status said says reply replied response responded answer code codes error errors reason "
    "diagnostic text report returned result details detail description dsn ndr failure failed "
    "rejected deferred bounce bounced recv received smtp".split()
)
_PREFIX_CHARS = frozenset(" \t>|*_~`\"'•·")
_ATTACHED_OK = frozenset("#([:;\"'<>*_`|{")
_OPENERS = "\"'*_`~([{<"
_TOKEN_END_OK = frozenset(";(#[\"'<>|-–—")
_LINE_START_VETO = frozenset(")]}>;=/")
_RUN_STOP = frozenset(" \t\n<>()[]\"',;:")
_CODE_SPLIT = re.compile(r"[=;:#(<\[\"'`*_~]")
_BASIC_TOKEN = re.compile(r"[2-5][0-9]{2}[-:,]?")
_ENHANCED_TOKEN = re.compile(r"[245]\.[0-9]{1,3}\.[0-9]{1,3}[-:,]?")


# --- Context helpers -----------------------------------------------------------------------


def _line_bounds(view: str, start: int, end: int) -> tuple[int, int]:
    """Line limits, clamped so that a 1 MB one-line paste costs no more per match."""
    lo = view.rfind("\n", max(0, start - 4 * MAX_LINE), start) + 1
    if lo == 0 and start > 4 * MAX_LINE:
        lo = start - 4 * MAX_LINE
    hi = view.find("\n", end, end + 4 * MAX_LINE)
    if hi < 0:
        hi = min(len(view), end + 4 * MAX_LINE)
    return lo, hi


def _at_line_start(view: str, pos: int) -> bool:
    """True when only indentation, quote marks, bullets or markup stand before `pos`."""
    i = pos
    floor = max(0, pos - _PREFIX_LIMIT)
    while i > floor:
        ch = view[i - 1]
        if ch == "\n":
            return True
        if ch in _PREFIX_CHARS:
            i -= 1
            continue
        # A "- " list bullet.
        if ch in "-+" and i < pos and view[i] in " \t":
            i -= 1
            continue
        return False
    return i == 0


def _prev_token_at(view: str, pos: int) -> tuple[int, str]:
    """Where the whitespace-separated token before `pos` starts, and the token itself
    ('' at line start)."""
    i = pos
    floor = max(0, pos - _LEFT_WINDOW)
    while i > floor and view[i - 1] in " \t":
        i -= 1
    j = i
    while j > floor and view[j - 1] not in " \t\n":
        j -= 1
    return j, view[j:i]


def _prev_token(view: str, pos: int) -> str:
    return _prev_token_at(view, pos)[1]


def _word(token: str) -> str:
    return token.strip("\"'()[]{}<>,.;:!?*_`").lower()


def _in_address(view: str, start: int, end: int) -> bool:
    """Digits that belong to an address or message id (`550@x`, `<x.550@y>`)."""
    i = start
    floor = max(0, start - 100)
    while i > floor and view[i - 1] not in _RUN_STOP:
        i -= 1
        if view[i] == "@":
            return True
    j = end
    ceil = min(len(view), end + 100)
    while j < ceil and view[j] not in _RUN_STOP:
        if view[j] == "@":
            return True
        j += 1
    return False


def _is_port(view: str, start: int) -> bool:
    """`host:587`, `[10.0.0.1]:465`, `localhost:550` — a colon glued to a host name."""
    if start == 0 or view[start - 1] != ":":
        return False
    i = start - 1
    floor = max(0, i - 80)
    while i > floor and (view[i - 1].isalnum() or view[i - 1] in "._-[]:"):
        i -= 1
    token = view[i : start - 1]
    return bool(token) and (
        "." in token or "]" in token or ":" in token or token.lower().endswith("localhost")
    )


def _key_before_equals(view: str, pos: int) -> str:
    """The `key` of `key=` ending at `pos` (which holds the '='), or '' for `==`."""
    i = pos
    floor = max(0, pos - 30)
    while i > floor and (view[i - 1].isalnum() or view[i - 1] in "_-"):
        i -= 1
    return view[i:pos].lower().rsplit("-", 1)[-1]


def _http_left(view: str, lo: int, start: int) -> bool:
    first = max(lo, start - 40)
    if "http" not in view[first:start].lower():
        return False
    return bool(_HTTP_LEFT.search(view, first, start))


def _followed_by_enhanced(view: str, end: int) -> bool:
    sep = _SEP.match(view, end, end + 20)
    pos = sep.end() if sep else end
    if pos < len(view) and view[pos] == "\n":
        # A reply code at the end of a wrapped line, its enhanced code on the next one.
        pos += 1
        while pos < len(view) and pos < end + 40 and view[pos] in " \t>":
            pos += 1
    if pos >= len(view) or not view[pos].isdigit():
        return False
    if pos > 0 and view[pos - 1] in "0123456789.":
        return False
    return bool(_ENHANCED_AT.match(view, pos, min(len(view), pos + 12)))


def _followed_by_reply(view: str, end: int) -> bool:
    sep = _SEP.match(view, end, end + 20)
    pos = sep.end() if sep else end
    if pos == end and pos < len(view) and view[pos] not in " \t":
        return False
    return bool(_REPLY.match(view, pos, min(len(view), pos + _RIGHT_WINDOW)))


# --- Decisions -----------------------------------------------------------------------------


def _rest_of_line_blank(view: str, end: int) -> bool:
    stop = view.find("\n", end, end + _RIGHT_WINDOW)
    tail = view[end : stop if stop >= 0 else end + _RIGHT_WINDOW]
    return not tail.strip(" \t.)]}*_`~\"'")


def _basic_ok(view: str, start: int, end: int, lo: int, _memo: dict[int, bool]) -> bool:
    """Three digits are the commonest number shape there is: first rule out what the number
    plainly is (unit, phone, HTTP status, port, id), then require an SMTP position."""
    code = view[start:end]
    if code[1] == "0" and code[0] != "5":
        return False  # 200/301/404...: HTTP shapes; SMTP has no x0z code outside class 5.
    limit = min(len(view), end + _RIGHT_WINDOW)
    nxt = view[end] if end < len(view) else ""
    enhanced_next = _followed_by_enhanced(view, end)
    if nxt == "-" and end + 1 < len(view) and view[end + 1].isdigit() and not enhanced_next:
        return False  # 550-4219, 421-0093: phone and order numbers.
    if _UNIT.match(view, end, limit) or _GSMTP.match(view, end, limit):
        return False
    if _HTTP_PHRASE.match(view, end, limit) or _http_left(view, lo, start):
        return False
    if not enhanced_next and _DIGITS_AFTER.match(view, end, limit):
        return False  # "550 550 65.49.42.68", "555 550 4219"
    if _is_port(view, start) or _in_address(view, start, end):
        return False
    if _at_line_start(view, start):
        return nxt not in _LINE_START_VETO
    prev = view[start - 1] if start > 0 else ""
    if prev == "=":
        return _key_before_equals(view, start - 1) in _KEY_WORDS
    if prev == "(":
        # "(550 User unknown)" but not "(555) 550-4219" or "rgb(255, 255, 255)".
        return nxt in ("", " ", "\t", "-", ":", "\n") and not re.match(
            r"[ \t]*\)", view[end : end + 10]
        )
    if prev == "#":
        before = view[start - 2] if start > 1 else "\n"
        owner = _word(_prev_token(view, start - 1))
        if before in " \t\n([" and owner not in _BASIC_LEFT_VETO:
            return True
    if _LEFT_TRIGGER.search(view, max(lo, start - _TRIGGER_WINDOW), start):
        return True
    if prev not in " \t\"'`*_":
        return False
    if _word(_prev_token(view, start)) in _BASIC_LEFT_VETO:
        return False
    return enhanced_next or _followed_by_reply(view, end)


def _code_in_token(token: str) -> str:
    """The code a token ends with: `550` in "550-", "smtp;550", "reply=250"; else ''."""
    core = _CODE_SPLIT.split(token.rstrip("-:,"))[-1]
    if _BASIC_TOKEN.fullmatch(core) or _ENHANCED_TOKEN.fullmatch(core):
        return core
    return ""


def _after_listed_code(
    view: str, tok_start: int, token: str, lo: int, memo: dict[int, bool], depth: int
) -> bool:
    """In "5.7.1, 5.7.26" or "5.7.1 and 5.7.26" the second is a code if the first one is;
    "Django 4.2.1 or 4.2.2" lists versions. Candidates are judged in text order, so the
    earlier item's verdict is normally in `memo`; otherwise the look-back is bounded."""
    core = _code_in_token(token)
    if "." not in core:
        return False
    core_end = tok_start + len(token.rstrip("-:,"))
    core_start = core_end - len(core)
    if core_start in memo:
        return memo[core_start]
    return depth > 0 and _enhanced_ok(view, core_start, core_end, lo, memo, depth - 1)


def _enhanced_after_token(
    view: str, tok_start: int, token: str, end: int, lo: int, memo: dict[int, bool], depth: int
) -> bool:
    """Judge a mid-line x.y.z by the token before it (`Status:`, `550`, `Django`, `section`)."""
    if not token:
        return True
    code = _code_in_token(token)
    if code and "." not in code:
        return True  # "550 5.1.1", "550: 5.1.1", "smtp;550 5.1.1", "reply=250 2.0.0"
    if code:
        return _after_listed_code(view, tok_start, token, lo, memo, depth)
    word = _word(token)
    last = word.rsplit("-", 1)[-1]
    if token in ("§", "§§") or word in _VERSION_WORDS or last in _VERSION_WORDS:
        return False
    if "version" in word or "release" in word or "engine" in word:
        return False
    if token.endswith(":"):
        if token.endswith(("]:", ">:", "):")) or last in _COLON_WORDS or word in _COLON_WORDS:
            return True
        return _followed_by_reply(view, end) or _rest_of_line_blank(view, end)
    if word in _LIST_WORDS:
        before_start, before = _prev_token_at(view, tok_start)
        if _after_listed_code(view, before_start, before, lo, memo, depth):
            return True
        return _followed_by_reply(view, end)
    if token[-1] in _TOKEN_END_OK or word in _ENHANCED_LEFT_WORDS:
        return True
    return _followed_by_reply(view, end)


def _enhanced_ok(
    view: str, start: int, end: int, lo: int, memo: dict[int, bool], depth: int = 3
) -> bool:
    """x.y.z is rarely anything but a status code or a version/section number, so the question
    is mostly what the word before it says about it."""
    limit = min(len(view), end + _RIGHT_WINDOW)
    if _UNIT.match(view, end, limit) or _TIME_AFTER.match(view, end, limit):
        return False
    if _in_address(view, start, end):
        return False
    prev = view[start - 1] if start > 0 else ""
    if prev == "=":
        return _key_before_equals(view, start - 1) in _KEY_WORDS
    if prev == "-":
        # Only the multi-line form "550-5.1.1"; "python-5.1.1" is a package version.
        return bool(start >= 4 and _BASIC_TOKEN.fullmatch(view, start - 4, start)) and (
            start == 4 or not view[start - 5].isalnum()
        )
    if _at_line_start(view, start):
        return True
    tok_start, token = _prev_token_at(view, start)
    if prev in " \t" or prev == ":":
        return _enhanced_after_token(view, tok_start, token, end, lo, memo, depth)
    if prev not in _ATTACHED_OK:
        return False
    if prev == "#":
        return True  # qmail "(#5.7.1)", Exchange "#5.1.1", Google "#5.1.1 smtp;550"
    if token.strip(_OPENERS):
        # Glued to a word: "550-\"5.1.1", "smtp;5.1.1".
        return _enhanced_after_token(view, tok_start, token, end, lo, memo, depth)
    # Opened by a bracket or quote: judge by the word before it ("rejected (5.7.1)" yes,
    # "Apple Mail (2.753.1)" no).
    if _at_line_start(view, tok_start):
        return True
    before_start, before = _prev_token_at(view, tok_start)
    return _enhanced_after_token(view, before_start, before, end, lo, memo, depth)


def _line_text(text: str, view: str, start: int, end: int) -> str:
    """The stripped line around a match, cut to MAX_LINE characters that include the match."""
    lo, hi = _line_bounds(view, start, end)
    if text[lo:hi].rstrip() == view[lo:hi].rstrip():
        before, rest = text[lo:start].lstrip(), text[start:hi].rstrip()
    else:
        # HTML or odd blanks: show the decoded line, with the padding runs collapsed.
        before = " ".join(view[lo:start].split())
        if before and view[start - 1] in " \t":
            before += " "
        rest = " ".join(view[start:hi].split())
    line = before + rest
    if len(line) <= MAX_LINE:
        return line
    first = max(0, min(len(before) - 100, len(line) - MAX_LINE))
    return line[first : first + MAX_LINE].strip()


_Check = Callable[[str, int, int, int, dict[int, bool]], bool]
_PASSES: tuple[tuple[Literal["basic", "enhanced"], re.Pattern[str], _Check], ...] = (
    ("basic", _BASIC, _basic_ok),
    ("enhanced", _ENHANCED, _enhanced_ok),
)


def _find(text: str) -> list[CodeMatch]:
    view = _view(text)
    found: list[CodeMatch] = []
    for kind, pattern, check in _PASSES:
        # Verdicts by start offset, so "5.7.1, 5.7.26, ..." asks about the previous item once.
        memo: dict[int, bool] = {}
        for match in pattern.finditer(view):
            start, end = match.span()
            lo = view.rfind("\n", max(0, start - _LEFT_WINDOW), start) + 1
            memo[start] = ok = check(view, start, end, lo, memo)
            if ok:
                line = _line_text(text, view, start, end)
                found.append(CodeMatch(kind, text[start:end], start, end, line))
    found.sort(key=lambda m: m.start)
    return found


def find_codes(text: str) -> list[CodeMatch]:
    """Every reply code and enhanced status code in `text`, in text order.

    Never raises: the input is whatever someone pasted, and a chat bot that crashes on odd
    text is worse than one that misses a code in it.
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        return _find(text)
    except Exception:  # see docstring: a missed code is better than a crash here
        return []


def distinct_codes(text: str) -> list[str]:
    """Each code once, in order of first appearance (the order a reader meets them)."""
    seen: dict[str, None] = {}
    for match in find_codes(text):
        seen.setdefault(match.code, None)
    return list(seen)
