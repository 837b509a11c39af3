"""The engine's front door: turn what a person typed or pasted into one Answer.

Every surface (Slack command, mention, watched message, shortcut, file, console) calls one of
these functions, so the same input gets the same answer wherever it was typed. The order of
the checks matters: explicit verbs first (help, search, compare), then a text that is one
code, then a bounce, then codes found anywhere in the text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.bounce import looks_like_bounce, parse_bytes, parse_text
from bot.bounce.model import BounceReport, Recipient
from bot.codes import CodeQuery, looks_like_code, parse_code
from bot.compare import compare
from bot.explain import explain, explain_query, provider_note
from bot.extract import find_codes
from bot.i18n import t, t_list
from bot.kb.loader import load
from bot.kb.markers import find_markers
from bot.kb.model import Bounce, ReasonInfo
from bot.results import (
    Answer,
    BounceAnswer,
    CodesFound,
    Explanation,
    Help,
    Problem,
    SearchResult,
)
from bot.search import search

MAX_EXPLANATIONS = 10
MAX_BOUNCE_EXPLANATIONS = 5
VS = re.compile(r"\s+(?:vs\.?|versus|or|and|against)\s+|\s*,\s*", re.IGNORECASE)
QUESTION = re.compile(
    r"^(?:explain|define|lookup|look up|code|what(?:'s| is| are| does)?|whats|meaning of|"
    r"tell me about)\b\s*",
    re.IGNORECASE,
)
TRAILING = " \t\n?!.,;:"
WORDY = re.compile(r"[A-Za-z]{3,}")
MAX_QUESTION_WORDS = 14
ASKING = re.compile(
    r"\?|\b(?:what|whats|why|how|which|mean|means|meaning|explain|difference|differ|versus|"
    r"smtp|codes?|bounced?|bounces|reply|replies|status|mail|email|e-mail|mta|deliver\w*)\b",
    re.IGNORECASE,
)
HEADER_LINE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,40}:[ \t]", re.MULTILINE)
# A combined reply: the enhanced code starts at most this many characters after the reply code.
COMBINED_GAP = 3


def help_answer(locale: str = "en", notice: str | None = None) -> Help:
    return Help(
        title=t("help.title", locale),
        lines=t_list("help.lines", locale),
        examples=t_list("help.examples", locale),
        notice=notice,
    )


def _is_message(text: str) -> bool:
    """A whole RFC 5322 message: several header lines before the first blank line."""
    head = text.lstrip()[:4000].split("\n\n", 1)[0]
    return len(HEADER_LINE.findall(head)) >= 3


def _bounce_report(text: str) -> BounceReport | None:
    """The parsed bounce when `text` holds one with at least one recipient address.

    A fragment without any address ("550 5.1.1 user unknown") is better answered by explaining
    its codes than by a recipient list with a blank recipient.
    """
    if not (_is_message(text) or looks_like_bounce(text)):
        return None
    report = parse_text(text)
    return report if any(r.address for r in report.recipients) and _decided(report) else None


def _decided(report: BounceReport) -> bool:
    """False when the parser found addresses but nothing about them: no code on the wire and
    no reason (a forwarded message, a mailing-list digest); that is no bounce to report."""
    return any(
        r.wire_status or r.reply_code or (r.reason and r.reason not in UNDECIDED)
        for r in report.recipients
    )


UNDECIDED = frozenset({"undefined", "onhold"})


def _reason_only(text: str) -> BounceReport | None:
    """A bounce text with neither codes nor addresses ("the user's mailfolder is full") still
    says why mail failed: the parser's reason rules can name it."""
    report = parse_text(text)
    if report.recipients and all(r.reason and r.reason not in UNDECIDED for r in report.recipients):
        return report
    return None


def _split_codes(text: str) -> list[str]:
    """The codes named in `compare 421 450`, `211 vs 554`, `550 5.7.1, 421 4.7.0`."""
    parts = [p.strip(TRAILING) for p in VS.split(text) if p.strip(TRAILING)]
    if len(parts) >= 2 and all(parse_code(p) for p in parts):
        return parts
    tokens = [tok.strip(TRAILING) for tok in text.split() if tok.strip(TRAILING)]
    codes: list[str] = []
    singles: list[str] = []
    for token in tokens:
        query = parse_code(token)
        if query is None:
            if looks_like_code(token):
                codes.append(token)
            continue
        singles.append(token)
        previous = parse_code(codes[-1]) if codes else None
        if query.kind == "enhanced" and previous is not None and previous.kind == "basic":
            codes[-1] = f"{codes[-1]} {token}"
        else:
            codes.append(token)
    # "compare 550 5.1.1" means the two codes, not the one combined reply they could spell.
    return codes if len(codes) >= 2 else singles or codes


def _codes_in_question(text: str) -> list[str]:
    """Codes named anywhere in a short question: `is 550 a hard bounce?`, `421 or 450?`.

    Someone who addresses the bot about SMTP is asking about codes, so a bare number that
    spells one counts here, although the extractor rightly ignores it in ordinary chat. The
    text must read as such a question, so "room 421" or "port 587" stay numbers.
    """
    if len(text.split()) > MAX_QUESTION_WORDS or not ASKING.search(text):
        return []
    codes = []
    for code in _split_codes(text):
        query = parse_code(code)
        if query is not None and query.kind != "token":
            codes.append(code)
    return codes


def explanations_in_text(text: str, locale: str = "en") -> tuple[list[Explanation], int]:
    """Every distinct code and provider marker in `text`, explained; and how many were left out."""
    matches = find_codes(text)
    queries: list[CodeQuery] = []
    index = 0
    while index < len(matches):
        match = matches[index]
        nxt = matches[index + 1] if index + 1 < len(matches) else None
        if (
            match.kind == "basic"
            and nxt is not None
            and nxt.kind == "enhanced"
            and 0 <= nxt.start - match.end <= COMBINED_GAP
        ):
            queries.append(CodeQuery("combined", basic=match.code, enhanced=nxt.code))
            index += 2
            continue
        if match.kind == "basic":
            queries.append(CodeQuery("basic", basic=match.code))
        else:
            queries.append(CodeQuery("enhanced", enhanced=match.code))
        index += 1
    seen: set[str] = set()
    explanations: list[Explanation] = []
    markers = find_markers(text, locale)
    for query in queries:
        if query.display in seen:
            continue
        seen.add(query.display)
        result = explain_query(query, locale)
        if isinstance(result, Explanation):
            explanations.append(result)
    # In a pasted text the provider is known only from what the text says: the notes of every
    # provider that uses a code (Gmail's 5.1.1 wording …) would mislead, so keep only markers
    # recognised in the text itself.
    explanations = [replace(e, provider_notes=()) for e in explanations]
    notes = tuple(provider_note(m) for m in markers)
    if notes and explanations:
        explanations[0] = replace(explanations[0], provider_notes=notes)
    elif notes:
        for marker in markers:
            token = marker.tokens[0] if marker.tokens else marker.name
            result = explain_query(CodeQuery("token", token=token), locale)
            if isinstance(result, Explanation):
                explanations.append(result)
    omitted = max(0, len(explanations) - MAX_EXPLANATIONS)
    return explanations[:MAX_EXPLANATIONS], omitted


def _codes_answer(text: str, locale: str) -> Answer | None:
    explanations, omitted = explanations_in_text(text, locale)
    if not explanations:
        return None
    if len(explanations) == 1:
        return explanations[0]
    return CodesFound(items=tuple(explanations), omitted=omitted)


def _bounce_of(recipient: Recipient, reasons: dict[str, ReasonInfo]) -> Bounce:
    """Hard, soft or none for this recipient, as its report says.

    A code's own entry answers in general (5.7.1 is a permanent failure); a report knows the
    reason, and a policy block or a full mailbox leaves the address usable, so the reply must
    not call it hard in one place and soft in another.
    """
    info = reasons.get(recipient.reason or "")
    if info is not None and not info.failure:
        return "none"
    return "hard" if recipient.hard_bounce else "soft"


def bounce_answer(report: BounceReport, locale: str = "en") -> BounceAnswer:
    """A bounce report with one explanation per distinct status/reply code it reports."""
    seen: set[str] = set()
    explanations: list[Explanation] = []
    known = load(locale).reasons
    for recipient in report.recipients:
        query = " ".join(c for c in (recipient.reply_code, recipient.wire_status) if c)
        if not query or query in seen:
            continue
        seen.add(query)
        result = explain(query, locale)
        if isinstance(result, Explanation):
            # Only notes of the provider that actually answered this recipient apply here.
            notes = tuple(n for n in result.provider_notes if n.provider_id == recipient.provider)
            explanations.append(
                replace(result, provider_notes=notes, bounce=_bounce_of(recipient, known))
            )
        if len(explanations) >= MAX_BOUNCE_EXPLANATIONS:
            break
    names = dict.fromkeys(r.reason for r in report.recipients if r.reason in known)
    return BounceAnswer(
        report=report,
        explanations=tuple(explanations),
        reasons=tuple(known[name] for name in names if name),
    )


def answer(text: str, locale: str = "en") -> Answer:
    """Answer an explicit request: `554`, `550 5.7.26`, `211 vs 554`, `compare 421 450`,
    `search mailbox full`, `help`, an empty text (help), or pasted bounce text / a whole message."""
    clean = text.strip()
    if not clean:
        return help_answer(locale)
    head, _, rest = clean.partition(" ")
    verb = head.lower().rstrip(":")
    if verb in ("help", "usage", "?", "-h", "--help") and not rest.strip():
        return help_answer(locale)
    if verb in ("search", "find"):
        return _search(rest, locale)
    if verb in ("compare", "diff", "difference"):
        return compare(_split_codes(rest), locale)
    short = QUESTION.sub("", clean, count=1).strip(TRAILING) if len(clean) <= 200 else clean
    if (query := parse_code(short)) is not None:
        return explain_query(query, locale)
    if len(short) <= 200 and VS.search(short):
        parts = [p.strip(TRAILING) for p in VS.split(short) if p.strip(TRAILING)]
        if len(parts) >= 2 and all(parse_code(p) for p in parts):  # "211 vs 554", "421, 450"
            return compare(parts, locale)
    if (report := _bounce_report(clean)) is not None:
        return bounce_answer(report, locale)
    found = _codes_answer(clean, locale)
    if found is not None:
        return found
    if len(short) <= 200 and (asked := _codes_in_question(clean)):
        return explain(asked[0], locale) if len(asked) == 1 else compare(asked, locale)
    if looks_like_code(short):
        return explain(short, locale)
    if len(short) <= 100 and len(short.split()) <= 6 and WORDY.search(short):
        result = search(short, locale, phrase_only=True)
        if result.hits:
            return result
    if (reported := _reason_only(clean)) is not None:
        return bounce_answer(reported, locale)
    if len(short) <= 60 and "\n" not in short:
        return help_answer(locale, notice=t("help.nonsense_notice", locale, text=short))
    return help_answer(locale, notice=t("answer.nothing_found", locale))


def _search(query: str, locale: str) -> Answer:
    if not query.strip():
        return Problem(message=t("search.no_query", locale))
    result: SearchResult = search(query, locale)
    if not result.hits:
        return Problem(message=t("search.no_hits", locale, query=query.strip()[:80]))
    return result


def answer_passive(text: str, locale: str = "en") -> Answer | None:
    """Answer a chat message nobody addressed to the bot: a bounce or a message full of codes
    gets an Answer; ordinary chat gets None."""
    clean = text.strip()
    if not clean:
        return None
    if (report := _bounce_report(clean)) is not None:
        return bounce_answer(report, locale)
    matches = find_codes(clean)
    if any(m.kind == "enhanced" for m in matches) or len({m.code for m in matches}) >= 2:
        return _codes_answer(clean, locale)
    return None


def answer_file(data: bytes, filename: str, locale: str = "en") -> Answer:
    """Answer an uploaded `.eml` / `.txt` file (bytes as downloaded)."""
    report = parse_bytes(data)
    if report.recipients and _decided(report):
        return bounce_answer(report, locale)
    text = data.decode("utf-8", errors="replace")
    found = _codes_answer(text, locale)
    if found is not None:
        return found
    return Problem(message=t("answer.file_not_bounce", locale, filename=filename[:100]))
