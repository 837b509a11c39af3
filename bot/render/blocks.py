"""Block Kit rendering of the engine's answers, always within Slack's limits.

Every string that reaches a block passes through a clamp, every list through a cap with an
"…and N more" line, and the finished block list through a final budget check, because the
input is whatever a user pasted (40,000 characters, 500 recipients, 50 codes) and Slack
refuses a whole message for one over-long field. User content is escaped for mrkdwn so a
pasted `<…>` can never become a link or a mention. No Slack SDK imports: plain dicts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.bounce.model import Recipient
from bot.i18n import t, t_list
from bot.render import limits as L
from bot.results import (
    Answer,
    BounceAnswer,
    CodesFound,
    Comparison,
    Explanation,
    Help,
    Problem,
    SearchResult,
)

SHARE_ACTION = "share_in_channel"
FALLBACK_MAX = 3000  # well under Slack's 4,000-char warning
MAX_BOUNCE_GROUPS = 8
MAX_GROUP_ADDRESSES = 5
MAX_SEARCH_HITS = 10
MAX_COMPARE_ITEMS = L.SECTION_FIELDS_MAX
MAX_REFERENCES = L.CONTEXT_ELEMENTS_MAX - 1
BULLET = "• "

Block = dict[str, Any]


@dataclass
class SlackMessage:
    """A reply: `text` is the notification/accessibility fallback, `blocks` the layout."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def payload(self, **extra: Any) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks, **extra}


# ---------------------------------------------------------------- primitives


def esc(text: str | None) -> str:
    """Escape user content for mrkdwn: only &, < and > are control characters."""
    if not text:
        return ""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fit(text: str, limit: int) -> str:
    """Clamp without leaving half an escape entity (`&am…`) at the cut."""
    out = L.clamp(text, limit)
    if out is text:
        return out
    return re.sub(r"&[a-z]{0,4}…$", "…", out)


def plain(text: str, limit: int = L.TEXT_OBJECT_MAX) -> dict[str, Any]:
    return {"type": "plain_text", "text": fit(text.strip() or "—", limit), "emoji": True}


def mrkdwn(text: str, limit: int = L.TEXT_OBJECT_MAX) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": fit(text.strip() or "—", limit)}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, L.HEADER_TEXT_MAX)}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text, L.SECTION_TEXT_MAX)}


def fields(pairs: Sequence[tuple[str, str]], text: str | None = None) -> Block:
    items = [mrkdwn(f"*{label}*\n{value}", L.FIELD_TEXT_MAX) for label, value in pairs]
    block: Block = {"type": "section", "fields": items[: L.SECTION_FIELDS_MAX]}
    if text:
        block["text"] = mrkdwn(text, L.SECTION_TEXT_MAX)
    return block


def context(texts: Iterable[str]) -> Block:
    elements = [mrkdwn(x) for x in texts if x.strip()][: L.CONTEXT_ELEMENTS_MAX]
    return {"type": "context", "elements": elements or [mrkdwn("—")]}


def divider() -> Block:
    return {"type": "divider"}


def titled(title: str, body: str) -> Block:
    return section(f"*{title}*\n{body}")


def bullets(items: Iterable[str], limit: int, locale: str) -> str:
    lines = [BULLET + item for item in items if item]
    return L.join_within(lines, limit, t("slack.more", locale))


def share_actions(value: str, locale: str) -> Block:
    button = {
        "type": "button",
        "action_id": SHARE_ACTION,
        "text": plain(t("slack.share", locale), L.BUTTON_TEXT_MAX),
        "value": value[: L.BUTTON_VALUE_MAX] or "-",
    }
    return {"type": "actions", "block_id": "smtpbot_share", "elements": [button]}


def budget(blocks: list[Block], limit: int, locale: str) -> list[Block]:
    """At most `limit` blocks; the tail collapses into one "…and N more" context block.
    A trailing actions block (the share button) is kept, since it is the reason for the reply."""
    if len(blocks) <= limit:
        return blocks
    tail = [blocks[-1]] if blocks[-1].get("type") == "actions" else []
    body = blocks[: len(blocks) - len(tail)]
    keep = limit - 1 - len(tail)
    dropped = len(body) - keep
    return [*body[:keep], context([t("slack.more", locale, count=dropped)]), *tail]


def fallback(text: str) -> str:
    return L.clamp(" ".join(text.split()) or "smtpbot", FALLBACK_MAX)


# ---------------------------------------------------------------- explanations


def _hardness(value: str | None, locale: str) -> str:
    key = value if value in ("hard", "soft", "none") else "none"
    return t(f"slack.bounce_kind.{key}", locale)


def _retry(value: str, locale: str) -> str:
    return t(f"slack.retry.{value}", locale) if value in ("yes", "no", "n/a") else value


def _title(e: Explanation) -> str:
    return f"{e.code} — {e.name}"


def _links(e: Explanation, locale: str) -> list[str]:
    links = [f"<{r.url}|{esc(r.label)}>" for r in e.references if len(r.url) < 500]
    kept, omitted = L.clamp_items(links, MAX_REFERENCES - (1 if e.related else 0))
    texts = [f"{t('slack.explain.references', locale)}: " + " · ".join(kept)] if kept else []
    if omitted:
        texts.append(t("slack.more", locale, count=omitted))
    if e.related:
        related = ", ".join(e.related[:20])
        texts.append(f"{t('slack.explain.related', locale)}: {esc(related)}")
    return texts


def _fix_text(e: Explanation, locale: str) -> str:
    parts: list[str] = []
    half = L.SECTION_TEXT_MAX // 2 - 100
    if e.fix_sender:
        parts.append(
            f"_{t('slack.explain.fix_sender', locale)}_\n" + bullets(e.fix_sender, half, locale)
        )
    if e.fix_admin:
        parts.append(
            f"_{t('slack.explain.fix_admin', locale)}_\n" + bullets(e.fix_admin, half, locale)
        )
    return "\n".join(parts)


def _provider_text(e: Explanation, locale: str) -> str:
    lines = []
    for note in e.provider_notes:
        link = f" <{note.url}|↗>" if note.url and len(note.url) < 500 else ""
        fix = f" {esc(note.fix[0])}" if note.fix else ""
        lines.append(f"*{esc(note.provider)} — {esc(note.name)}*: {esc(note.summary)}{fix}{link}")
    return L.join_within([BULLET + x for x in lines], 2800, t("slack.more", locale))


def explanation_blocks(e: Explanation, locale: str) -> list[Block]:
    """The full layout: header, facts as fields, the reader's three questions, notes, links."""
    subject_key = "subject" if e.kind in ("enhanced", "combined") else "category"
    facts = [
        (t("slack.explain.class", locale), esc(f"{e.class_digit} — {e.class_name}")),
        (t("slack.explain.bounce", locale), _hardness(e.bounce, locale)),
        (t("slack.explain.retry", locale), _retry(e.retry, locale)),
        (t(f"slack.explain.{subject_key}", locale), esc(e.category)),
    ]
    if e.stages:
        facts.append((t("slack.explain.stage", locale), esc(", ".join(e.stages))))
    blocks: list[Block] = [header(_title(e))]
    if e.notice:
        blocks.append(section(t("slack.explain.notice", locale, notice=esc(e.notice))))
    blocks.append(fields(facts))
    if e.parts:
        blocks.append(context([esc(f"{p.code}: {p.name}") for p in e.parts]))
    meaning = "\n".join(x for x in (esc(e.summary), esc(e.description)) if x)
    blocks.append(titled(t("slack.explain.what_it_means", locale), meaning))
    if e.when:
        blocks.append(titled(t("slack.explain.when_you_see_it", locale), esc(e.when)))
    if e.causes:
        blocks.append(
            titled(
                t("slack.explain.likely_causes", locale), bullets(map(esc, e.causes), 2800, locale)
            )
        )
    fix = _fix_text(e, locale)
    if fix:
        blocks.append(titled(t("slack.explain.how_to_fix", locale), fix))
    if e.provider_notes:
        blocks.append(titled(t("slack.explain.provider_notes", locale), _provider_text(e, locale)))
    links = _links(e, locale)
    if links:
        blocks.append(context(links))
    return blocks


def compact_explanation(e: Explanation, locale: str) -> Block:
    """One section per code, for lists (codes found in a paste, codes of a bounce)."""
    facts = " · ".join(
        (
            esc(f"{e.class_digit} — {e.class_name}"),
            _hardness(e.bounce, locale),
            f"{t('slack.explain.retry', locale)} {_retry(e.retry, locale)}",
        )
    )
    lines = [f"*{esc(_title(e))}*", esc(e.summary), facts]
    fix = e.fix_sender[:1] or e.fix_admin[:1]
    if fix:
        lines.append(f"*{t('slack.explain.how_to_fix', locale)}:* {esc(fix[0])}")
    if e.provider_notes:
        note = e.provider_notes[0]
        lines.append(f"*{esc(note.provider)} — {esc(note.name)}:* {esc(note.summary)}")
    if e.notice:
        lines.append(f"_{esc(e.notice)}_")
    return section("\n".join(x for x in lines if x))


def _explanation_fallback(e: Explanation) -> str:
    return f"{e.code} — {e.name}: {e.summary}"


# ---------------------------------------------------------------- other answers


def comparison_blocks(c: Comparison, locale: str) -> list[Block]:
    items, _ = L.clamp_items(c.items, MAX_COMPARE_ITEMS)
    codes = [i.code for i in items]
    blocks: list[Block] = [header(t("compare.joiner", locale).join(codes))]
    if c.notice:
        blocks.append(section(t("slack.explain.notice", locale, notice=esc(c.notice))))
    for row in c.rows[:35]:
        pairs = [
            (esc(code), esc(value) or "—") for code, value in zip(codes, row.values, strict=False)
        ]
        blocks.append(fields(pairs, text=f"*{esc(row.label)}*"))
    blocks.append(titled(t("slack.compare.key_difference", locale), esc(c.key_difference)))
    if c.when_each:
        when = bullets(map(esc, c.when_each), 2800, locale)
        blocks.append(titled(t("slack.compare.when_each", locale), when))
    return blocks


def search_blocks(s: SearchResult, locale: str) -> list[Block]:
    hits, omitted = L.clamp_items(s.hits, MAX_SEARCH_HITS)
    blocks: list[Block] = [header(t("slack.search.title", locale, query=s.query.strip()))]
    for hit in hits:
        blocks.append(section(f"*{esc(hit.code)} — {esc(hit.name)}*\n{esc(hit.summary)}"))
    if omitted:
        blocks.append(context([t("slack.more_hits", locale, count=omitted)]))
    return blocks


def help_blocks(h: Help, locale: str) -> list[Block]:
    blocks: list[Block] = []
    if h.notice:
        blocks.append(section(esc(h.notice)))
    blocks.append(header(h.title))
    blocks.append(section(bullets(map(esc, h.lines), 2800, locale)))
    usage = bullets(t_list("slack.help.usage", locale), 2800, locale)
    blocks.append(titled(t("slack.help.usage_title", locale), usage))
    examples = ", ".join(f"`/smtp {esc(x)}`" for x in h.examples[:20])
    blocks.append(context([t("slack.help.examples", locale, examples=examples)]))
    return blocks


def problem_blocks(p: Problem, locale: str) -> list[Block]:
    blocks = [section(esc(p.message))]
    if p.suggestions:
        blocks.append(context([esc(", ".join(p.suggestions[:30]))]))
    blocks.append(context([t("slack.help.fallback", locale)]))
    return blocks


def codes_blocks(found: CodesFound, locale: str) -> list[Block]:
    count = len(found.items) + found.omitted
    blocks: list[Block] = [header(t("slack.codes.title", locale, count=count))]
    items, extra = L.clamp_items(found.items, 20)
    for index, item in enumerate(items):
        if index:
            blocks.append(divider())
        blocks.append(compact_explanation(item, locale))
    if found.omitted + extra:
        blocks.append(context([t("slack.more_codes", locale, count=found.omitted + extra)]))
    return blocks


# ---------------------------------------------------------------- bounces


def _status_of(r: Recipient) -> str:
    return " ".join(c for c in (r.reply_code, r.wire_status) if c)


def _group_key(b: BounceAnswer, r: Recipient) -> tuple[str, str, str]:
    info = b.reason(r.reason)
    if info is not None and not info.failure:
        hardness = "none"  # a delivery report, complaint or auto-reply is no bounce at all
    else:
        hardness = "hard" if r.hard_bounce else ("soft" if r.hard_bounce is False else "none")
    return (_status_of(r), r.reason or "", hardness)


def _explanation_for(status: str, explanations: Sequence[Explanation]) -> Explanation | None:
    if not status:
        return None
    for e in explanations:
        if e.code == status:
            return e
    last = status.split()[-1]
    for e in explanations:
        if last in e.code.split():
            return e
    return None


def bounce_blocks(b: BounceAnswer, locale: str) -> list[Block]:
    report = b.report
    recipients = report.recipients
    unknown = t("slack.bounce.unknown", locale)
    blocks: list[Block] = [
        header(t("slack.bounce.title", locale, count=len(recipients))),
        context([f"*{t('slack.bounce.kind', locale)}:* {t(f'slack.kinds.{report.kind}', locale)}"]),
    ]
    if not recipients:
        blocks.append(section(t("slack.bounce.no_recipients", locale)))
    groups: dict[tuple[str, str, str], list[Recipient]] = {}
    for r in recipients:
        groups.setdefault(_group_key(b, r), []).append(r)
    every = list(groups.items())
    shown, hidden = every[:MAX_BOUNCE_GROUPS], every[MAX_BOUNCE_GROUPS:]
    for (status, reason, hardness), members in shown:
        info = b.reason(reason)
        reason_text = f"{info.title} ({reason})" if info else (reason or unknown)
        lines = [
            t(
                "slack.bounce.group",
                locale,
                status=esc(status or unknown),
                reason=esc(reason_text),
                hardness=_hardness(hardness, locale),
                count=len(members),
            )
        ]
        addresses = [esc(r.address or unknown) for r in members]
        kept, more = L.clamp_items(addresses, MAX_GROUP_ADDRESSES)
        address_line = ", ".join(kept)
        if more:
            address_line += " " + t("slack.more", locale, count=more)
        lines.append(fit(address_line, 900))
        e = _explanation_for(status, b.explanations)
        if e is not None:
            lines.append(esc(e.summary))
        # What to do about this recipient: the reason's advice, else the code's first fix.
        if info is not None:
            fix: Sequence[str] = [info.action]
        elif e is not None:
            fix = e.fix_sender[:1] or e.fix_admin[:1]
        else:
            fix = []
        if fix:
            lines.append(f"*{t('slack.bounce.fix', locale)}:* {esc(fix[0])}")
        diagnostic = next((r.diagnostic for r in members if r.diagnostic), None)
        if diagnostic:
            said = fit(" ".join(diagnostic.split()), 600)
            lines.append(f"*{t('slack.bounce.server_said', locale)}:* {esc(said)}")
        blocks.append(section("\n".join(lines)))
    if hidden:
        rest = sum(len(members) for _, members in hidden)
        blocks.append(context([t("slack.more_recipients", locale, count=rest)]))
    if b.explanations:
        blocks.append(divider())
        blocks.append(section(f"*{t('slack.bounce.explained', locale)}*"))
        for e in b.explanations[:10]:
            blocks.append(compact_explanation(e, locale))
    return blocks


def _bounce_fallback(b: BounceAnswer, locale: str) -> str:
    parts = []
    for r in b.report.recipients[:3]:
        status = _status_of(r) or t("slack.bounce.unknown", locale)
        e = _explanation_for(_status_of(r), b.explanations)
        parts.append(f"{r.address or '?'}: {status}" + (f" — {e.summary}" if e else ""))
    if len(b.report.recipients) > 3:
        parts.append(t("slack.more_recipients", locale, count=len(b.report.recipients) - 3))
    summary = "; ".join(parts) or t("slack.bounce.no_recipients", locale)
    return t("slack.bounce.fallback", locale, count=len(b.report.recipients), summary=summary)


# ---------------------------------------------------------------- entry points


def _body(answer: Answer, locale: str) -> tuple[str, list[Block]]:
    match answer:
        case Explanation():
            return _explanation_fallback(answer), explanation_blocks(answer, locale)
        case Comparison():
            codes = t("compare.joiner", locale).join(i.code for i in answer.items)
            text = t(
                "slack.compare.fallback", locale, codes=codes, difference=answer.key_difference
            )
            return text, comparison_blocks(answer, locale)
        case SearchResult():
            codes = ", ".join(f"{h.code} ({h.name})" for h in answer.hits[:MAX_SEARCH_HITS])
            text = t("slack.search.fallback", locale, query=answer.query.strip(), codes=codes)
            return text, search_blocks(answer, locale)
        case BounceAnswer():
            return _bounce_fallback(answer, locale), bounce_blocks(answer, locale)
        case CodesFound():
            codes = "; ".join(_explanation_fallback(e) for e in answer.items[:10])
            count = len(answer.items) + answer.omitted
            text = t("slack.codes.fallback", locale, count=count, codes=codes)
            return text, codes_blocks(answer, locale)
        case Help():
            text = ((answer.notice + " ") if answer.notice else "") + t(
                "slack.help.fallback", locale
            )
            return text, help_blocks(answer, locale)
        case Problem():
            return answer.message, problem_blocks(answer, locale)
    raise TypeError(f"cannot render {type(answer).__name__}")


def render_blocks(
    answer: Answer,
    *,
    share: bool = False,
    locale: str = "en",
    share_value: str = "",
    notes: Sequence[str] = (),
) -> SlackMessage:
    """A Slack message for `answer`. `share` adds the "Share in channel" button carrying
    `share_value` (what the button handler needs to rebuild the answer); `notes` become a
    context line at the end (who shared it, that the input was truncated)."""
    text, blocks = _body(answer, locale)
    if notes:
        blocks.append(context([esc(n) if n.startswith("…") else n for n in notes]))
    if share:
        blocks.append(share_actions(share_value, locale))
    return SlackMessage(text=fallback(text), blocks=budget(blocks, L.MAX_BLOCKS["message"], locale))


def render_home(
    top: Sequence[tuple[str, int]],
    locale: str = "en",
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The App Home view: what the bot does, how to use it, examples, this week's top codes."""
    blocks: list[Block] = [
        header(t("slack.home.title", locale)),
        section(t("slack.home.intro", locale)),
        divider(),
        titled(
            t("slack.home.how_title", locale),
            bullets(t_list("slack.home.how", locale), 2800, locale),
        ),
        titled(
            t("slack.home.examples_title", locale),
            "\n".join(f"`{x}`" for x in t_list("slack.home.examples", locale)),
        ),
        divider(),
    ]
    names = names or {}
    lines = [
        t("slack.home.top_item_named", locale, code=esc(code), count=n, name=esc(names[code]))
        if names.get(code)
        else t("slack.home.top_item", locale, code=esc(code), count=n)
        for code, n in top[:10]
    ]
    body = bullets(lines, 2800, locale) if lines else t("slack.home.top_empty", locale)
    blocks.append(titled(t("slack.home.top_title", locale), body))
    return {"type": "home", "blocks": budget(blocks, L.MAX_BLOCKS["home"], locale)}


def codes_of(answer: Answer) -> list[str]:
    """The codes an answer is about, for the "asked most this week" statistics."""
    match answer:
        case Explanation():
            return [answer.code]
        case Comparison():
            return [i.code for i in answer.items]
        case CodesFound():
            return [i.code for i in answer.items]
        case BounceAnswer():
            return [e.code for e in answer.explanations]
        case SearchResult():
            return []
    return []
