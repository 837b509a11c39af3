"""Tests for `bot.extract`: the patterns people paste, the numbers that only look like codes,
the shared snippet corpus, and properties that must hold for any input at all."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import extract
from bot.extract import MAX_LINE, CodeMatch, distinct_codes, find_codes

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SNIPPETS_FILE = CORPUS / "snippets.jsonl"
MESSAGES = CORPUS / "messages"
BASIC_RE = re.compile(r"[2-5][0-9]{2}")
ENHANCED_RE = re.compile(r"[245]\.[0-9]{1,3}\.[0-9]{1,3}")

# Snippet labels we disagree with, and why. Keyed by the start of the snippet's text so that a
# corrected corpus makes the entry stale (test_label_fixes_still_apply then says so).
LABEL_FIXES: dict[str, tuple[set[str], str]] = {
    "#550 5.2.3 RESOLVER.RST.SendSizeLimit.Org": (
        {"550"},
        "Exchange writes '#550 5.2.3 ...##'; the 550 is literally there, and README says every "
        "code that literally appears is listed (the same reply in a DSN block is labelled 550).",
    ),
}


def codes(text: str) -> list[str]:
    return distinct_codes(text)


def _snippets() -> list[dict]:
    if not SNIPPETS_FILE.exists():
        return []
    with SNIPPETS_FILE.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


SNIPPETS = _snippets()
needs_corpus = pytest.mark.skipif(not SNIPPETS, reason=f"snippet corpus not found at {CORPUS}")


def _expected(case: dict) -> set[str]:
    want = set(case["codes"])
    for prefix, (extra, _why) in LABEL_FIXES.items():
        if case["text"].startswith(prefix):
            want |= extra
    return want


# --- Patterns that must be found ----------------------------------------------------------

POSITIVE = [
    ("550 5.1.1 <a@b>: Recipient address rejected", ["550", "5.1.1"]),
    ("550-5.7.26 This mail is unauthenticated\n550 5.7.26 Please fix", ["550", "5.7.26"]),
    ("Sorry, no mailbox here by that name. #5.1.1", ["5.1.1"]),
    ("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", ["553", "5.7.1"]),
    ("Diagnostic-Code: smtp; 550 5.1.1 User unknown", ["550", "5.1.1"]),
    ("Diagnostic-Code: smtp;550 Requested action not taken", ["550"]),
    ("Diagnostic-Code: X-Postfix; host mx[1.2.3.4] said: 550 unknown user", ["550"]),
    ("Status: 5.1.1", ["5.1.1"]),
    ("Status:5.5.0", ["5.5.0"]),
    ("Status: 4.4.7 (delivery time expired)", ["4.4.7"]),
    ("Remote host said: 554 delivery error: dd This user doesn't have an account", ["554"]),
    ("host mx.example.com[203.0.113.25] said: 550 No such user here", ["550"]),
    ("host x[1.2.3.4] said:\n    554 Sorry, message looks like SPAM to me", ["554"]),
    ("550: 5.1.1 <bogus@example.net>: Recipient address rejected", ["550", "5.1.1"]),
    ("550-5.1.1 The email account that you tried to reach does not exist.", ["550", "5.1.1"]),
    ("> 550 5.1.1 User unknown", ["550", "5.1.1"]),
    (">> 421 4.7.0 Try again later", ["421", "4.7.0"]),
    ("> > 452 4.2.2 Mailbox full", ["452", "4.2.2"]),
    ("<p>550&nbsp;5.1.1 &lt;a@b&gt;: Recipient address rejected</p>", ["550", "5.1.1"]),
    ("first line<br>550 Mailbox unavailable<br/>next", ["550"]),
    ("<div>Status: 5.7.1</div>", ["5.7.1"]),
    ("&gt; 550 5.1.1 &lt;a@b.c&gt;... User unknown", ["550", "5.1.1"]),
    ("... RCPT TO:<a@b> <<< 550 5.1.1 User unknown <<< 503 5.0.0 Need RCPT", None),
    ("550 [SUSPEND] Mailbox suspended 503 need RCPT command [data] 550 again", ["550", "503"]),
    (">>> RCPT To:<a@b.c>\n<<< 550 MAILBOX NOT FOUND", ["550"]),
    ("Remote-MTA: dns; mx.example.com\nDiagnostic-Code: smtp; 554 5.7.9 Policy", ["554", "5.7.9"]),
    ("#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", ["550", "5.1.1"]),
    ("Reporting-MTA: dns; mail.example.com\nStatus: 5.0.0", ["5.0.0"]),
    ("(reason: 554 delivery error: dd Sorry)", ["554"]),
    ("for the following reason: 552 Quota violation", ["552"]),
    ("Error 550 mailbox unavailable", ["550"]),
    ("error: 421 try again later", ["421"]),
    ("SMTP reply: 451 temporary local problem", ["451"]),
    ("Remote server replied: 550 5.1.1 <r@example.com>... User unknown", ["550", "5.1.1"]),
    ("response: 552 message size exceeds fixed maximum", ["552"]),
    ("after RCPT TO:<rrrr@remote.defer>: 451 Over-quota", ["451"]),
    ("host sitemail.everyone.net [209.249.170.32]: 550 Recipient Rejected", ["550"]),
    ("we got 550 Requested action not taken from them", ["550"]),
    ("it answers 421 Service not available", ["421"]),
    ("they reply with 550 User unknown", ["550"]),
    ("Outlook keeps bouncing with 5.7.1 since Monday", ["5.7.1"]),
    ("we keep getting 5.7.26 from gmail", ["5.7.26"]),
    ("550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found", ["550", "5.1.10"]),
    ("5.7.606 Access denied, banned sending IP [1.2.3.4]", ["5.7.606"]),
    ("5.1.2 - Bad destination host 'DNS Hard Error'", ["5.1.2"]),
    ('Error-Text: Mailer mail.example.com said:\n    "554 Message looping"', ["554"]),
    ("`550 5.1.1` is what we see", ["550", "5.1.1"]),
    ("*550 5.7.1* again", ["550", "5.7.1"]),
    ("- 421 4.7.0 Temporary System Problem", ["421", "4.7.0"]),
    ("Status: 5.1.1\r\nAction: failed\r\n", ["5.1.1"]),
    ("220 mx.google.com ESMTP ready", ["220"]),
    ("250 2.0.0 OK queued", ["250", "2.0.0"]),
    ("354 Start mail input; end with <CRLF>.<CRLF>", ["354"]),
    ("said: 552 1 Requested mail action aborted", ["552"]),
    ("... Deferred: 452 4.2.2 <f@example.com>... Mailbox full", ["452", "4.2.2"]),
    ("Backend Replied [4afe3ce4.0.668380.00-2282.869002.p01]: 5.7.1 Message rejected", ["5.7.1"]),
    ("SMTP Error (state 9): 550 5.7.1 Your message was blocked", ["550", "5.7.1"]),
    ("reason: 550-5.2.1 The email account is disabled.\n550 5.2.1 Learn more", None),
    (
        "Jan  5 12:34:56 mail postfix/smtp[12345]: 3B5C0123: to=<a@b.com>, "
        "relay=mx.b.com[1.2.3.4]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=5.1.1, status=bounced "
        "(host mx.b.com[1.2.3.4] said: 550 5.1.1 <a@b.com>: Recipient address rejected)",
        ["5.1.1", "550"],
    ),
    ("sendmail: dsn=4.7.1, stat=Deferred: 421 4.7.1 try later", ["4.7.1", "421"]),
    ("reply=250 2.0.0 OK id=1abcde", ["250", "2.0.0"]),
    ("Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'", ["550", "5.1.1"]),
    ("Remote Server returned '< #5.1.1 smtp;550 5.1.1 RESOLVER.ADR.RecipNotFound>'", None),
    ("Hi, I'm getting '550 5.7.1 Relaying denied' when sending via 587. Any idea?", None),
    ("what does 4.2.2 mean?", ["4.2.2"]),
    ("5.7.1 and 5.7.26 differ how?", ["5.7.1", "5.7.26"]),
    ("Status: 5.7.1, 5.7.26, 5.1.1, 4.2.2", ["5.7.1", "5.7.26", "5.1.1", "4.2.2"]),
    ("Subject: Non delivery report: 5.9.8 (Spam)", ["5.9.8"]),
]


@pytest.mark.parametrize(("text", "want"), POSITIVE, ids=[t[:40] for t, _ in POSITIVE])
def test_finds_codes(text: str, want: list[str] | None) -> None:
    got = codes(text)
    if want is None:
        assert got, text
        assert all(BASIC_RE.fullmatch(c) or ENHANCED_RE.fullmatch(c) for c in got)
    else:
        assert got == want


# --- Things that only look like codes ----------------------------------------------------

NEGATIVE = [
    "Meeting moved to 5.1.2025 at 14:30, conference room 421.",
    "Due 2024-05-50, see you then",
    "Backup ran at 05:50:21 and 14:55",
    "ping 10.5.1.1 shows 0% packet loss",
    "Gateway is 192.168.4.254 and the resolver is 10.4.2.2",
    "Connecting to [203.0.113.25] failed",
    "smtp.example.com:587 refused the connection",
    "localhost:550 is not listening",
    "[10.0.0.1]:465 timed out",
    "The server listens on port 587 and falls back to port 465.",
    "We run Postfix 3.5.1 on the relay.",
    "We pinned Django to version 4.2.1 in requirements.txt.",
    "pip install requests==2.31.0",
    "node v5.1.0 is ancient",
    "Version: 2.31.0",
    "X-Mailman-Version: 2.1.15",
    "X-Mailer: Apple Mail (2.753.1)",
    "by apollo.lv (CommuniGate Pro SMTP 4.1.8)",
    "AntiVirus-Engine: 5.38.0, AntiVirus-Data: 2017.7.25",
    "Exim 4.94.2 is installed, Postfix 2.11.3 on Debian",
    "Kernel 5.15.0-91-generic was installed last night.",
    "PostgreSQL 15.4, Redis 7.2.3 and Sisimai 5.1.0 are installed.",
    "User-Agent: Mozilla/5.0 Thunderbird/2.0.0.14 rv:1.8.1.14",
    "npm i left-pad@5.1.1",
    "The invoice total is $550.00, due by 2024-03-15.",
    "That costs 550 EUR, or EUR 421 with the discount",
    "The attachment is 552 KB, the other one 5.2.2 MB.",
    "Call our support line at +1 (555) 550-4219 between 9 and 5.",
    "Mobile: 07700 900550\nFax: 555 550 4219",
    "Message-ID: <20240101.550.abc@example.com>",
    "References: <5.1.1@host.example>",
    "h16si851737uar.\n253 - gsmtp",
    "HTTP 500 from the billing API",
    "HTTP/1.1 503 Service Unavailable - retry after 120 seconds",
    "500 Internal Server Error",
    "Error 404: page not found",
    "HTTP status 502 Bad Gateway",
    "CPU at 550% and disk at 45.5%",
    "See RFC 5321 section 4.2.1 for details",
    "as §4.2.1 and § 4.2.2 say",
    "See chapter 4.2.1 of the employee handbook for the leave policy.",
    "Issue #421 was fixed in PR #450",
    "Your order #421-0093 ships on 5/1/2024.",
    "exit status 255",
    "You have 421 unread messages in your inbox.",
    "The build took 553 seconds on CI yesterday.",
    "Final score: 554 points, rank 12 of 450 players.",
    "Take bus 451 to the airport; it leaves every 20 minutes.",
    "Our office is at 550 Market Street, Suite 200.",
    "Check your Office 365 mail flow settings",
    "Load average: 5.12, 4.98, 4.71",
    "rgb(255, 255, 255) is white",
    "cipher AES256 (256/256 bits)",
    "Meeting on 5.1.24 at 14:30",
    "Django 4.2.1 or 4.2.2, then 4.2.3 and 4.2.4",
    "We saw 500 errors from nginx after the deploy",
    "We have 500 user accounts and 250 recipients per list",
    "message size=552 limit=550 count=421",
    "Firmware 4.4.7 fixed the Wi-Fi drop issue on the router.",
    "Invoice 2024-0550 for 4,210 EUR was paid on 12 March.",
    "OpenSSL 3.0.2 and nginx/1.25.3 are in the base image.",
    "200 OK",
    "404 Not Found",
    "５５０ ５.１.１",
]


@pytest.mark.parametrize("text", NEGATIVE, ids=[t[:40] for t in NEGATIVE])
def test_ignores_lookalikes(text: str) -> None:
    assert codes(text) == []


# --- API details -----------------------------------------------------------------------------


def test_match_fields_and_order() -> None:
    text = "x\n  host a[1.2.3.4] said: 550 5.1.1 <a@b>: User unknown  \nStatus: 5.1.1\n"
    matches = find_codes(text)
    assert [(m.kind, m.code) for m in matches] == [
        ("basic", "550"),
        ("enhanced", "5.1.1"),
        ("enhanced", "5.1.1"),
    ]
    for match in matches:
        assert isinstance(match, CodeMatch)
        assert text[match.start : match.end] == match.code
    assert matches[0].line == "host a[1.2.3.4] said: 550 5.1.1 <a@b>: User unknown"
    assert matches[2].line == "Status: 5.1.1"
    assert distinct_codes(text) == ["550", "5.1.1"]


def test_match_is_frozen() -> None:
    match = find_codes("550 5.1.1 User unknown")[0]
    with pytest.raises(AttributeError):
        match.code = "421"  # type: ignore[misc]


def test_offsets_index_the_original_html() -> None:
    text = "<p>550&nbsp;5.1.1 &lt;a@b&gt;</p>"
    matches = find_codes(text)
    assert [text[m.start : m.end] for m in matches] == ["550", "5.1.1"]
    assert matches[1].start == text.index("5.1.1")
    assert matches[0].line == "550 5.1.1 <a@b>"


def test_long_line_is_cut_around_the_match() -> None:
    text = "x" * 5000 + " said: 550 5.1.1 User unknown " + "y" * 5000
    matches = find_codes(text)
    assert [m.code for m in matches] == ["550", "5.1.1"]
    for match in matches:
        assert len(match.line) <= MAX_LINE
        assert match.code in match.line


def test_distinct_codes_keeps_first_appearance_order() -> None:
    text = "554 5.7.1 spam\n550 5.1.1 unknown\n554 5.7.1 spam again\n421 4.7.0 later"
    assert distinct_codes(text) == ["554", "5.7.1", "550", "5.1.1", "421", "4.7.0"]


@pytest.mark.parametrize(
    "text",
    ["", "\n", " ", "\x00550\x00", "\ud800 550 5.1.1", "5" * 10, "&#;&lt", "<p", "<<<", "&nbsp"],
)
def test_odd_inputs(text: str) -> None:
    assert isinstance(find_codes(text), list)
    assert isinstance(distinct_codes(text), list)


def test_non_string_input_gives_empty_list() -> None:
    assert find_codes(None) == []  # type: ignore[arg-type]
    assert distinct_codes(b"550 5.1.1") == []  # type: ignore[arg-type]


# --- Size and pathological inputs (correctness only; linear-time design keeps them fast) -----


def test_long_paste() -> None:
    block = (
        "<a@example.com>: host mx.example.com[203.0.113.25] said: 550 5.1.1 <a@example.com>:\n"
        "    Recipient address rejected: User unknown (in reply to RCPT TO command)\n"
        "Postfix 3.5.1 on 10.5.1.1 port 587, invoice $550.00 due 5.1.2025\n"
    )
    repeats = 40_000 // len(block) + 1
    text = block * repeats
    assert len(text) >= 40_000
    matches = find_codes(text)
    assert [m.code for m in matches] == ["550", "5.1.1"] * repeats


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("5." * 20_000, 0),
        ("5" * 100_000, 0),
        ("550-" * 10_000, 0),
        ("550 " * 10_000, 0),
        ("1.2.3.4." * 6_000, 0),
        ("<a " * 13_000, 0),
        ("&" * 40_000, 0),
        ("&nbsp;" * 7_000, 0),
        ("a@" * 20_000, 0),
        ("\n" * 100_000, 0),
        ("said:" * 10_000, 0),
        ("(#5.1.1)" * 5_000, 5_000),
        ("\n550" * 10_000, 10_000),
        ("550 5.1.1 " * 4_000, 8_000),
        ("\t" * 50_000 + "550 5.1.1", 2),
    ],
    ids=lambda v: repr(v)[:12] if isinstance(v, str) else str(v),
)
def test_pathological_inputs(text: str, count: int) -> None:
    assert len(find_codes(text)) == count


# --- The shared corpus -------------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("case", SNIPPETS, ids=lambda c: c["text"][:40])
def test_snippet(case: dict) -> None:
    assert set(distinct_codes(case["text"])) == _expected(case), case["text"]


@needs_corpus
def test_snippet_agreement() -> None:
    """One figure for the whole file, with every miss listed (raw labels, before LABEL_FIXES)."""
    misses = []
    for case in SNIPPETS:
        got = set(distinct_codes(case["text"]))
        if got != set(case["codes"]):
            misses.append(f"want {sorted(case['codes'])} got {sorted(got)}: {case['text'][:120]!r}")
    agreement = len(SNIPPETS) - len(misses)
    assert len(misses) <= len(LABEL_FIXES), f"{agreement}/{len(SNIPPETS)}\n" + "\n".join(misses)


@needs_corpus
def test_label_fixes_still_apply() -> None:
    for prefix, (extra, _why) in LABEL_FIXES.items():
        cases = [c for c in SNIPPETS if c["text"].startswith(prefix)]
        assert cases, f"no snippet starts with {prefix!r}"
        assert all(not extra <= set(c["codes"]) for c in cases), f"label fixed upstream: {prefix}"


def _messages() -> list[Path]:
    return sorted(MESSAGES.rglob("*.eml")) if MESSAGES.is_dir() else []


@pytest.mark.skipif(not _messages(), reason=f"corpus messages not found at {MESSAGES}")
def test_corpus_messages_sanity() -> None:
    """Every message: no crash, sane matches, nothing found on version/date/id header lines;
    and the reply codes and statuses Sisimai saw are nearly all found in the raw text."""
    labels = {}
    for line in (CORPUS / "labels.jsonl").open(encoding="utf-8"):
        case = json.loads(line)
        labels[case["source"]] = case["recipients"]
    wanted = found = 0
    noisy_headers = tuple(
        "received: x-mailer: x-mailman-version: user-agent: date: message-id: x-pmx-version: "
        "references: in-reply-to:".split()
    )
    for path in _messages():
        text = path.read_bytes().decode("utf-8", errors="replace")
        matches = find_codes(text)
        for match in matches:
            assert text[match.start : match.end] == match.code
            assert match.code in match.line and len(match.line) <= MAX_LINE
            assert not match.line.lower().startswith(noisy_headers), (path.name, match)
        got = {m.code for m in matches}
        for rcpt in labels.get(str(path.relative_to(CORPUS)), []):
            for key in ("status", "reply_code"):
                value = rcpt.get(key)
                if value and not (key == "status" and rcpt.get("pseudo_status")):
                    wanted += 1
                    found += value in got
    assert wanted > 200
    assert found / wanted >= 0.98, f"{found}/{wanted}"


# --- Properties ----------------------------------------------------------------------------------

SPICY = st.lists(
    st.sampled_from(
        [
            *"0123455555.-:;#()<>[]@ \n\t\"'&/=$%§",
            *"said: |smtp;|<<< |&nbsp;|&lt;|<p>|<br>|550|5.1.1|HTTP |Status: |v|User unknown".split(
                "|"
            ),
            *["\r\n", " KB", "port "],
        ]
    ),
    max_size=80,
).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=500), SPICY)


def _check_matches(text: str, matches: list[CodeMatch]) -> None:
    assert isinstance(matches, list)
    previous_end = -1
    for match in matches:
        assert 0 <= match.start < match.end <= len(text)
        assert match.code in text[match.start : match.end]
        assert text[match.start : match.end] == match.code
        if match.kind == "basic":
            assert BASIC_RE.fullmatch(match.code)
        else:
            assert match.kind == "enhanced"
            assert ENHANCED_RE.fullmatch(match.code)
        assert match.start >= previous_end  # in text order, never overlapping
        previous_end = match.end
        assert len(match.line) <= MAX_LINE
        assert match.line == match.line.strip()


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_any_text_is_safe(text: str) -> None:
    _check_matches(text, find_codes(text))
    # find_codes swallows errors by design; the inner function must not need that.
    _check_matches(text, extract._find(text))
    assert len(distinct_codes(text)) == len(set(distinct_codes(text)))


BASIC_CODES = st.sampled_from(
    "220 221 250 251 354 421 450 451 452 454 500 501 503 530 535 550 551 552 553 554 555".split()
)
ENHANCED_CODES = st.builds(
    lambda c, s, d: f"{c}.{s}.{d}",
    st.sampled_from("245"),
    st.integers(0, 999),
    st.integers(0, 999),
)
TEMPLATES = st.sampled_from(
    [
        "{b} {e} <user@example.com>: Recipient address rejected",
        "{b}-{e} The email account that you tried to reach does not exist.",
        "host mx.example.com[192.0.2.1] said: {b} {e} User unknown",
        "Diagnostic-Code: smtp; {b} {e} Mailbox unavailable",
        "> {b} {e} Requested action not taken",
        "#{b} {e} RESOLVER.ADR.RecipNotFound; not found ##",
        "<<< {b} {e} Service unavailable",
        "    {b}: {e} Relay access denied",
    ]
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT, ANY_TEXT, TEMPLATES, BASIC_CODES, ENHANCED_CODES)
def test_inserted_code_line_is_found(
    before: str, after: str, template: str, basic: str, enhanced: str
) -> None:
    line = template.format(b=basic, e=enhanced)
    text = f"{before}\n{line}\n{after}"
    offset = len(before) + 1
    basic_at = offset + line.index(basic)
    enhanced_at = offset + line.index(enhanced, line.index(basic) + 3)
    matches = find_codes(text)
    _check_matches(text, matches)
    spans = {(m.kind, m.code, m.start) for m in matches}
    assert ("basic", basic, basic_at) in spans
    assert ("enhanced", enhanced, enhanced_at) in spans


@settings(deadline=None)
@given(before=ANY_TEXT, after=ANY_TEXT, enhanced=ENHANCED_CODES)
def test_inserted_status_field_is_found(before: str, after: str, enhanced: str) -> None:
    text = f"{before}\nStatus: {enhanced}\n{after}"
    at = len(before) + len("\nStatus: ")
    assert any(m.start == at and m.code == enhanced for m in find_codes(text))


# Numbers that are not codes, in the contexts where people write them.
_NUM = st.integers(0, 999)
PRODUCTS = st.sampled_from(
    [
        "Django",
        "Postfix",
        "Exim",
        "Sisimai",
        "Python",
        "Kernel",
        "Firmware",
        "OpenSSL",
        "Redis",
        "Dovecot",
        "Node",
        "version",
        "Version:",
        "release",
        "Sendmail",
        "Thunderbird",
        "Rspamd",
    ]
)
VERSION_TEXT = st.one_of(
    st.builds(lambda p, a, b, c: f"{p} {a}.{b}.{c}", PRODUCTS, st.integers(0, 20), _NUM, _NUM),
    st.builds(lambda a, b, c: f"v{a}.{b}.{c}", st.integers(0, 20), _NUM, _NUM),
    st.builds(lambda a, b, c: f"requests=={a}.{b}.{c}", st.integers(0, 20), _NUM, _NUM),
    st.builds(lambda a, b, c: f"nginx/{a}.{b}.{c}", st.integers(0, 20), _NUM, _NUM),
    st.builds(lambda a, b, c: f"left-pad@{a}.{b}.{c}", st.integers(0, 20), _NUM, _NUM),
    st.builds(lambda a, b, c: f"python-{a}.{b}.{c}", st.integers(0, 20), _NUM, _NUM),
    st.builds(
        lambda p, a, b, c: f"{p} {a}.{b}.{c}, {a}.{b}.{c + 1} or {a}.{b + 1}.0",
        PRODUCTS,
        st.integers(0, 20),
        _NUM,
        _NUM,
    ),
)
_OCTET = st.integers(0, 255)
IP_TEXT = st.builds(
    lambda a, b, c, d, port, form: form.format(ip=f"{a}.{b}.{c}.{d}", port=port),
    _OCTET,
    _OCTET,
    _OCTET,
    _OCTET,
    st.integers(1, 65535),
    st.sampled_from(
        [
            "{ip}",
            "[{ip}]",
            "{ip}:{port}",
            "[{ip}]:{port}",
            "host {ip} port {port}",
            "from mail.example.com ({ip})",
            "IP={ip}",
        ]
    ),
)
DATE_TEXT = st.builds(
    lambda d, m, y, hh, mm, form: form.format(d=d, m=m, y=y, yy=y % 100, hh=hh, mm=mm),
    st.integers(1, 31),
    st.integers(1, 12),
    st.integers(1990, 2099),
    st.integers(0, 23),
    st.integers(0, 59),
    st.sampled_from(
        [
            "{d}.{m}.{y}",
            "{y}-{m:02d}-{d:02d}",
            "{d:02d}/{m:02d}/{y}",
            "on {d}.{m}.{yy} at {hh}:{mm:02d}",
            "{d}.{m}.{y} {hh}:{mm:02d}",
            "{hh:02d}:{mm:02d}:{d:02d}",
            "Date: {d}.{m}.{yy}",
        ]
    ),
)
FRAMES = st.sampled_from(
    [
        "{x}",
        "We run {x} here.",
        "see {x}, thanks",
        "{x} is installed",
        "Updated to {x} yesterday",
        "({x})",
        "{x}\nnext line",
    ]
)


@settings(deadline=None)
@given(st.one_of(VERSION_TEXT, IP_TEXT, DATE_TEXT), FRAMES)
def test_versions_ips_and_dates_are_not_codes(value: str, frame: str) -> None:
    text = frame.format(x=value)
    assert codes(text) == [], text


@settings(deadline=None)
@given(
    st.integers(200, 599),
    st.sampled_from(
        [
            "${n}.00",
            "{n} EUR",
            "EUR {n}",
            "{n} KB",
            "{n}%",
            "+1 (555) {n}-4219",
            "port {n}",
            "room {n}",
            "HTTP {n}",
            "{n} seconds",
            "{n} unread messages",
            "Flight BA {n} departs",
            "order #{n}-0093",
            "localhost:{n}",
        ]
    ),
)
def test_prices_sizes_ports_and_counts_are_not_codes(number: int, form: str) -> None:
    text = form.format(n=number)
    assert codes(text) == [], text
