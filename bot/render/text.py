"""Plain-text rendering for the CLI and the local console."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from bot.bounce.model import Recipient
from bot.i18n import t
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

WIDTH = 96
INDENT = "  "


def _para(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=INDENT, subsequent_indent=INDENT) or [INDENT]


def _bullets(items: Iterable[str]) -> list[str]:
    lines = []
    for item in items:
        lines += textwrap.wrap(
            item, WIDTH, initial_indent=INDENT + "• ", subsequent_indent=INDENT * 2
        )
    return lines


def _section(title: str, body: list[str]) -> list[str]:
    return ["", title, *body]


def render_explanation(e: Explanation, locale: str = "en") -> str:
    subject_key = "render.subject" if e.kind in ("enhanced", "combined") else "render.category"
    lines = [
        f"{e.code} — {e.name}",
        f"{t('render.class', locale)}: {e.class_digit} — {e.class_name} · "
        f"{t(subject_key, locale)}: {e.category}",
        f"{t('render.retry', locale)} {t(f'retry.{e.retry}', locale)}",
        f"{t('render.bounce', locale)}: {t(f'bounce.{e.bounce}', locale)} · "
        f"{t('render.stages', locale)}: {', '.join(e.stages)}",
    ]
    if e.notice:
        lines += ["", *textwrap.wrap("! " + e.notice, WIDTH)]
    lines += _section(t("render.what_it_means", locale), _para(e.summary) + _para(e.description))
    lines += _section(t("render.when_you_see_it", locale), _para(e.when))
    lines += _section(t("render.likely_causes", locale), _bullets(e.causes))
    lines += _section(t("render.fix_sender", locale), _bullets(e.fix_sender))
    lines += _section(t("render.fix_admin", locale), _bullets(e.fix_admin))
    if e.provider_notes:
        notes = [f"{n.provider}: {n.name} — {n.summary} <{n.url}>" for n in e.provider_notes]
        lines += _section(t("render.provider_notes", locale), _bullets(notes))
    if e.references:
        refs = [f"{r.label} <{r.url}>" for r in e.references]
        lines += _section(t("render.references", locale), _bullets(refs))
    if e.related:
        lines += ["", f"{t('render.related', locale)}: {', '.join(e.related)}"]
    return "\n".join(lines)


def render_comparison(c: Comparison, locale: str = "en") -> str:
    lines = [t("compare.joiner", locale).join(i.code for i in c.items)]
    if c.notice:
        lines += textwrap.wrap("! " + c.notice, WIDTH)
    for row in c.rows:
        body = []
        for item, value in zip(c.items, row.values, strict=True):
            body += textwrap.wrap(
                f"{item.code}: {value}", WIDTH, initial_indent=INDENT, subsequent_indent=INDENT * 3
            )
        lines += _section(row.label, body)
    lines += _section(t("render.key_difference", locale), _para(c.key_difference))
    lines += _section(t("render.when_each_applies", locale), _bullets(c.when_each))
    return "\n".join(lines)


def render_search(s: SearchResult, locale: str = "en") -> str:
    lines = [t("render.search_results", locale, query=s.query.strip())]
    for hit in s.hits:
        lines += textwrap.wrap(
            f"{hit.code} — {hit.name}: {hit.summary}",
            WIDTH,
            initial_indent=INDENT + "• ",
            subsequent_indent=INDENT * 2,
        )
    return "\n".join(lines)


def render_bounce(b: BounceAnswer, locale: str = "en") -> str:
    report = b.report
    lines = [
        t("render.bounce_title", locale, count=len(report.recipients)),
        f"{t('render.bounce_kind', locale)}: {t(f'render.kinds.{report.kind}', locale)}",
    ]
    unknown = t("render.unknown", locale)
    for r in report.recipients:
        lines += [
            "",
            f"{t('render.recipient', locale)}: {r.address or unknown}",
            f"{INDENT}{t('render.status', locale)}: {r.wire_status or unknown} · "
            f"{t('render.reply_code', locale)}: {r.reply_code or unknown} · "
            f"{t('render.reason', locale)}: {_reason_label(b, r.reason, unknown)}"
            + (f" · {t('render.bounce', locale)}: " + t(f"bounce.{_hardness(b, r)}", locale)),
        ]
        where = [
            f"{t(key, locale)}: {value}"
            for key, value in (
                ("render.remote_mta", r.remote_mta),
                ("render.smtp_command", r.smtp_command),
                ("render.reporting_mta", r.reporting_mta),
            )
            if value
        ]
        if where:
            lines.append(INDENT + " · ".join(where))
        if r.provider:
            lines.append(f"{INDENT}{t('render.provider', locale)}: {r.provider}")
        info = b.reason(r.reason)
        if info is not None:
            lines += textwrap.wrap(
                f"{t('render.what_to_do', locale)}: {info.action}",
                WIDTH,
                initial_indent=INDENT,
                subsequent_indent=INDENT * 2,
            )
        if r.diagnostic:
            lines += textwrap.wrap(
                f"{t('render.diagnostic', locale)}: {r.diagnostic[:600]}",
                WIDTH,
                initial_indent=INDENT,
                subsequent_indent=INDENT * 2,
            )
    if not report.recipients:
        lines.append(t("render.no_recipients", locale))
    original = report.original
    fields = [
        (t("render.original_fields.message_id", locale), original.message_id),
        (t("render.original_fields.sender", locale), original.sender),
        (t("render.original_fields.to", locale), original.to),
        (t("render.original_fields.subject", locale), original.subject),
    ]
    if any(value for _, value in fields):
        lines += ["", t("render.original", locale)]
        lines += [f"{INDENT}{label}: {value[:200]}" for label, value in fields if value]
    for explanation in b.explanations:
        lines += ["", "─" * 40, render_explanation(explanation, locale)]
    return "\n".join(lines)


def _reason_label(b: BounceAnswer, name: str | None, unknown: str) -> str:
    info = b.reason(name)
    if info is None:
        return name or unknown
    return f"{info.title} ({info.name})"


def _hardness(b: BounceAnswer, r: Recipient) -> str:
    info = b.reason(r.reason)
    if info is not None and not info.failure:
        return "none"  # a delivery report, complaint or auto-reply is no bounce at all
    return "hard" if r.hard_bounce else ("soft" if r.hard_bounce is False else "none")


def render_help(h: Help, locale: str = "en") -> str:
    lines = []
    if h.notice:
        lines += [h.notice, ""]
    lines += [
        h.title,
        *_bullets(h.lines),
        "",
        f"{t('render.examples', locale)}: " + ", ".join(h.examples),
    ]
    return "\n".join(lines)


def render_problem(p: Problem, locale: str = "en") -> str:
    lines = [p.message]
    if p.suggestions:
        lines.append(t("render.suggestions", locale, codes=", ".join(p.suggestions)))
    return "\n".join(lines)


def render_text(answer: Answer, locale: str = "en") -> str:
    """The answer as readable plain text (no trailing newline)."""
    match answer:
        case Explanation():
            return render_explanation(answer, locale)
        case Comparison():
            return render_comparison(answer, locale)
        case SearchResult():
            return render_search(answer, locale)
        case BounceAnswer():
            return render_bounce(answer, locale)
        case CodesFound():
            parts = [render_explanation(e, locale) for e in answer.items]
            text = ("\n\n" + "─" * 40 + "\n").join(parts)
            if answer.omitted:
                text += "\n\n" + t("answer.codes_omitted", locale, count=answer.omitted)
            return text
        case Help():
            return render_help(answer, locale)
        case Problem():
            return render_problem(answer, locale)
    raise TypeError(f"cannot render {type(answer).__name__}")
