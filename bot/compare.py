"""Compare codes side by side, with a generated key difference.

The key difference is built from facts (class, retry behaviour, category or subject, whether
one code refines the other), not from canned per-pair text, so any pair of codes — including
a basic code against an enhanced one, or a code against itself — gets a sensible answer.
"""

from __future__ import annotations

from bot.explain import explain
from bot.i18n import t
from bot.kb.loader import load
from bot.results import Comparison, ComparisonRow, Explanation, Problem

MAX_COMPARE = 5


def _retry_phrase(retry: str, locale: str) -> str:
    key = {"yes": "compare.retry_yes", "no": "compare.retry_no"}.get(retry, "compare.retry_na")
    return t(key, locale)


def _refines(basic: Explanation, enhanced: Explanation, locale: str) -> bool:
    """True when the enhanced code is registered as accompanying this basic code."""
    kb = load(locale)
    _, subject, detail = enhanced.code.split(".")
    entry = kb.enhanced.get(f"X.{subject}.{detail}")
    return entry is not None and basic.code in entry.basic_codes


def key_difference(a: Explanation, b: Explanation, locale: str = "en") -> str:
    """One or two sentences on what separates `a` from `b`."""
    if a.code == b.code:
        return t("compare.same_code", locale, code=a.code)
    kinds = {a.kind, b.kind}
    if kinds == {"basic", "enhanced"}:
        basic, enhanced = (a, b) if a.kind == "basic" else (b, a)
        if _refines(basic, enhanced, locale):
            return t(
                "compare.same_meaning",
                locale,
                a=basic.code,
                b=enhanced.code,
                name_a=basic.name,
                name_b=enhanced.name,
            )
        lead = t("compare.basic_vs_enhanced", locale, a=basic.code, b=enhanced.code)
    else:
        lead = ""
    if a.class_digit != b.class_digit:
        parts = [
            t(
                "compare.class_differs",
                locale,
                a=a.code,
                b=b.code,
                class_a=a.class_name.lower(),
                class_b=b.class_name.lower(),
            )
        ]
        if a.retry != b.retry:
            parts.append(
                t(
                    "compare.retry_contrast",
                    locale,
                    a=a.code,
                    b=b.code,
                    retry_a=_retry_phrase(a.retry, locale),
                    retry_b=_retry_phrase(b.retry, locale),
                )
            )
    else:
        parts = [
            t(
                "compare.same_class",
                locale,
                cls=a.class_name.lower(),
                retry=_retry_phrase(a.retry, locale),
            ),
            t(
                "compare.topic_contrast",
                locale,
                a=a.code,
                b=b.code,
                topic_a=a.name,
                topic_b=b.name,
                area_a=a.category.lower(),
                area_b=b.category.lower(),
            ),
        ]
    if {a.bounce, b.bounce} == {"hard", "soft"}:
        hard, soft = (a, b) if a.bounce == "hard" else (b, a)
        parts.append(t("compare.bounce_contrast", locale, hard=hard.code, soft=soft.code))
    return " ".join(p for p in [lead, *parts] if p)


def _many_difference(items: tuple[Explanation, ...], locale: str) -> str:
    """Three or more codes: say what they share, then what each one is about."""
    classes = {i.class_digit for i in items}
    if len(classes) == 1:
        lead = t(
            "compare.all_same_class",
            locale,
            cls=items[0].class_name.lower(),
            retry=_retry_phrase(items[0].retry, locale),
        )
    else:
        lead = t("compare.mixed_classes", locale)
    each = "; ".join(
        t("compare.each_topic", locale, code=i.code, topic=i.name, cls=i.class_name.lower())
        for i in items
    )
    return f"{lead} {each}."


def _rows(items: tuple[Explanation, ...], locale: str) -> tuple[ComparisonRow, ...]:
    def row(key: str, values: list[str]) -> ComparisonRow:
        return ComparisonRow(label=t(f"compare.rows.{key}", locale), values=tuple(values))

    return (
        row("name", [i.name for i in items]),
        row("class", [f"{i.class_digit} — {i.class_name}" for i in items]),
        row("category", [i.category for i in items]),
        row("meaning", [i.summary for i in items]),
        row("when", [i.when for i in items]),
        row("retry", [t(f"retry.{i.retry}", locale) for i in items]),
        row("bounce", [t(f"bounce.{i.bounce}", locale) for i in items]),
        row("fix", [i.fix_sender[0] for i in items]),
    )


def compare(codes: list[str], locale: str = "en") -> Comparison | Problem:
    """Compare the codes named in `codes` (each as the user typed it)."""
    explained: list[Explanation] = []
    notices: list[str] = []
    seen: set[str] = set()
    for raw in codes:
        result = explain(raw, locale)
        if isinstance(result, Problem):
            return result
        if result.code in seen:
            continue
        seen.add(result.code)
        explained.append(result)
    if len(codes) >= 2 and len(explained) == 1:
        notices.append(t("compare.duplicate_notice", locale))
        explained.append(explained[0])
    if len(explained) < 2:
        return Problem(message=t("compare.need_two", locale))
    if len(explained) > MAX_COMPARE:
        notices.append(
            t(
                "compare.too_many_notice",
                locale,
                shown=MAX_COMPARE,
                omitted=len(explained) - MAX_COMPARE,
            )
        )
        explained = explained[:MAX_COMPARE]
    items = tuple(explained)
    if len(items) == 2:
        difference = key_difference(items[0], items[1], locale)
    else:
        difference = _many_difference(items, locale)
    return Comparison(
        items=items,
        rows=_rows(items, locale),
        key_difference=difference,
        when_each=tuple(t("compare.when_each", locale, code=i.code, when=i.when) for i in items),
        notice=" ".join(notices) or None,
    )
