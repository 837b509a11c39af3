"""Explain one code: registered codes from the knowledge base, the rest from their digits.

A code that no registry lists is still worth explaining — its first digit alone says whether
the sender will retry — so unknown-but-well-formed codes get an answer built from the class
and subject digits, with a notice that says so. Only malformed input becomes a Problem.
"""

from __future__ import annotations

from typing import Any

from bot.codes import CodeQuery, looks_like_code, parse_code, suggest
from bot.i18n import t
from bot.kb.loader import load
from bot.kb.markers import markers_for_code
from bot.kb.model import (
    BasicCode,
    ClassInfo,
    EnhancedCode,
    Guidance,
    KnowledgeBase,
    ProviderMarker,
)
from bot.results import Explanation, Problem, ProviderNote

MAX_PROVIDER_NOTES = 6


def provider_note(marker: ProviderMarker) -> ProviderNote:
    url = next((r.url for r in marker.references if "rfc-editor.org" not in r.url), "")
    return ProviderNote(
        provider=marker.provider.name,
        marker_id=marker.id,
        name=marker.name,
        summary=marker.text.summary,
        fix=marker.text.fix_sender,
        url=url or marker.provider.postmaster_url,
        reason=marker.reason,
        provider_id=marker.provider.id,
    )


def _guidance(text: Guidance, forms: tuple[str, ...] = ()) -> dict[str, Any]:
    """The reader's-questions fields of an Explanation, from a knowledge-base entry; advice
    that names one of `forms` (the code as asked) comes first."""
    return {
        "summary": text.summary,
        "description": text.description,
        "when": text.when,
        "causes": _prefer(text.causes, forms),
        "fix_sender": _prefer(text.fix_sender, forms),
        "fix_admin": _prefer(text.fix_admin, forms),
    }


def _prefer(items: tuple[str, ...], forms: tuple[str, ...]) -> tuple[str, ...]:
    """`items` with those that name one of `forms` (421, 4.7.0) first, otherwise in order.

    Entries for codes used in several forms say "For 530 5.7.0, …; for 421 4.7.0, …"; the
    advice for the form the user asked about belongs first (compact replies show only it).
    """
    named = [item for item in items if any(form in item for form in forms)]
    return tuple(named + [item for item in items if item not in named])


def _from_digits(cls: ClassInfo, detail: str, summary: str) -> dict[str, Any]:
    """Fields for a code no registry lists: what its class (and subject or category) imply."""
    return {
        "registered": False,
        "retry": cls.retry,
        "bounce": cls.bounce,
        "stages": ("any",),
        "summary": summary,
        "description": f"{cls.description} {detail}".strip(),
        "when": cls.when,
        "causes": cls.causes,
        "fix_sender": cls.fix_sender,
        "fix_admin": cls.fix_admin,
        "references": cls.references,
    }


def _known_codes(kb: KnowledgeBase) -> list[str]:
    enhanced = [f"{c}.{e.subject}.{e.detail}" for e in kb.enhanced.values() for c in e.classes]
    return list(kb.basic) + enhanced + [f"X.{e.subject}.{e.detail}" for e in kb.enhanced.values()]


def _basic(kb: KnowledgeBase, code: str, locale: str) -> Explanation:
    cls = kb.basic_classes[code[0]]
    category = kb.categories.get(code[1])
    category_name = category.name if category else t("explain.unassigned_category", locale)
    entry: BasicCode | None = kb.basic.get(code)
    if entry is None:
        return Explanation(
            code=code,
            kind="basic",
            name=t("explain.unregistered_basic_name", locale, cls=cls.name.lower()),
            class_digit=cls.digit,
            class_name=cls.name,
            category=category_name,
            notice=t("explain.unregistered_notice", locale, code=code),
            **_from_digits(
                cls,
                category.description if category else "",
                t("explain.unregistered_basic_summary", locale, code=code, cls=cls.name),
            ),
        )
    return Explanation(
        code=code,
        kind="basic",
        registered=True,
        name=entry.name,
        class_digit=cls.digit,
        class_name=cls.name,
        category=category_name,
        retry=entry.retry,
        bounce=entry.bounce,
        stages=entry.stages,
        references=entry.references,
        related=entry.related,
        **_guidance(entry.text),
    )


def _pick_class(entry: EnhancedCode) -> str:
    """For a class-free query (X.1.1) show the most severe class the code is used with."""
    for digit in ("5", "4", "2"):
        if digit in entry.classes:
            return digit
    return "5"


def _enhanced(kb: KnowledgeBase, code: str, locale: str) -> Explanation:
    cls_digit, subject, detail = code.split(".")
    entry = kb.enhanced.get(f"X.{subject}.{detail}")
    notice = None
    if cls_digit == "X":
        if entry is None:
            cls_digit = "5"
            notice = t("explain.classless_unknown_notice", locale, code=code)
        else:
            cls_digit = _pick_class(entry)
            if len(entry.classes) > 1:
                notice = t(
                    "explain.classless_notice",
                    locale,
                    code=code,
                    forms=", ".join(f"{c}.{subject}.{detail}" for c in entry.classes),
                    shown=f"{cls_digit}.{subject}.{detail}",
                )
        code = f"{cls_digit}.{subject}.{detail}"
    cls = kb.enhanced_classes[cls_digit]
    subj = kb.subjects.get(subject)
    subject_name = subj.name if subj else t("explain.unassigned_subject", locale)
    if entry is not None:
        if entry.classes and cls_digit not in entry.classes and notice is None:
            notice = t(
                "explain.unusual_class_notice",
                locale,
                code=code,
                classes=", ".join(entry.classes),
            )
        bounce = "none" if cls.bounce == "none" else entry.permanent_bounce
        if cls_digit == "4":
            bounce = "soft"
        notes = tuple(provider_note(m) for m in markers_for_code(code, locale))
        return Explanation(
            code=code,
            kind="enhanced",
            registered=True,
            name=entry.name,
            class_digit=cls_digit,
            class_name=cls.name,
            category=subject_name,
            retry=cls.retry,
            bounce=bounce,
            stages=entry.stages,
            references=entry.references,
            related=entry.related,
            provider_notes=notes[:MAX_PROVIDER_NOTES],
            notice=notice,
            **_guidance(entry.text, (code,)),
        )
    markers = markers_for_code(code, locale)
    if markers:
        return _marker(kb, markers[0], code, locale, extra=markers[1:])
    return Explanation(
        code=code,
        kind="enhanced",
        name=t("explain.unregistered_enhanced_name", locale, cls=cls.name, subject=subject_name),
        class_digit=cls_digit,
        class_name=cls.name,
        category=subject_name,
        notice=notice or t("explain.unregistered_notice", locale, code=code),
        **_from_digits(
            cls,
            subj.description if subj else "",
            t(
                "explain.unregistered_enhanced_summary",
                locale,
                code=code,
                cls=cls.name.lower(),
                subject=subject_name.lower(),
            ),
        ),
    )


def _marker(
    kb: KnowledgeBase,
    marker: ProviderMarker,
    shown: str,
    locale: str,
    extra: list[ProviderMarker] | tuple[ProviderMarker, ...] = (),
) -> Explanation:
    digit = (marker.basic[0][0] if marker.basic else None) or (
        marker.enhanced[0][0] if marker.enhanced else "5"
    )
    cls = kb.basic_classes.get(digit, kb.basic_classes["5"])
    return Explanation(
        code=shown,
        kind="provider",
        registered=True,
        name=marker.name,
        class_digit=cls.digit,
        class_name=cls.name,
        category=marker.provider.name,
        retry=marker.retry,
        bounce=marker.bounce,
        stages=("any",),
        references=marker.references,
        related=tuple(marker.basic) + tuple(e for e in marker.enhanced if "-" not in e),
        provider_notes=tuple(provider_note(m) for m in extra)[:MAX_PROVIDER_NOTES],
        notice=t("explain.provider_notice", locale, code=shown, provider=marker.provider.name),
        **_guidance(marker.text),
    )


def _combined(kb: KnowledgeBase, query: CodeQuery, locale: str) -> Explanation:
    assert query.basic and query.enhanced
    basic = _basic(kb, query.basic, locale)
    enhanced = _enhanced(kb, query.enhanced, locale)
    notice = None
    if enhanced.class_digit != basic.class_digit and enhanced.kind != "provider":
        notice = t(
            "explain.class_mismatch_notice",
            locale,
            basic=basic.code,
            enhanced=enhanced.code,
        )
    specific = enhanced if enhanced.registered else basic
    forms = (f"{basic.code} {enhanced.code}", basic.code, enhanced.code)
    return Explanation(
        code=f"{basic.code} {enhanced.code}",
        kind="combined",
        registered=basic.registered or enhanced.registered,
        name=specific.name,
        class_digit=basic.class_digit,
        class_name=basic.class_name,
        category=enhanced.category,
        # RFC 5321 clients act on the basic reply code; the enhanced code refines it.
        retry=basic.retry,
        bounce=enhanced.bounce if enhanced.class_digit == basic.class_digit else basic.bounce,
        stages=specific.stages,
        summary=specific.summary,
        description=specific.description,
        when=basic.when if specific is enhanced and not enhanced.registered else specific.when,
        causes=_prefer(specific.causes, forms),
        fix_sender=_prefer(specific.fix_sender, forms),
        fix_admin=_prefer(specific.fix_admin, forms),
        references=tuple(dict.fromkeys(enhanced.references + basic.references)),
        related=specific.related,
        provider_notes=enhanced.provider_notes,
        parts=(basic, enhanced),
        notice=notice or enhanced.notice or basic.notice,
    )


def explain_query(query: CodeQuery, locale: str = "en") -> Explanation | Problem:
    kb = load(locale)
    if query.kind == "basic":
        assert query.basic
        return _basic(kb, query.basic, locale)
    if query.kind == "enhanced":
        assert query.enhanced
        return _enhanced(kb, query.enhanced, locale)
    if query.kind == "combined":
        return _combined(kb, query, locale)
    token = (query.token or "").lower()
    for marker in kb.markers:
        if token in (tok.lower() for tok in marker.tokens):
            return _marker(kb, marker, query.token or "", locale)
    return Problem(
        message=t("explain.unknown_marker", locale, token=query.token or ""),
        suggestions=tuple(suggest(query.token or "", [t for m in kb.markers for t in m.tokens])),
    )


def explain(text: str, locale: str = "en") -> Explanation | Problem:
    """Explain the code `text` spells; a Problem with close suggestions when it is malformed."""
    query = parse_code(text)
    if query is not None:
        return explain_query(query, locale)
    kb = load(locale)
    shown = " ".join(text.split())[:40]
    if looks_like_code(text):
        return Problem(
            message=t("explain.malformed", locale, text=shown),
            suggestions=tuple(suggest(text, _known_codes(kb))),
        )
    return Problem(message=t("explain.not_a_code", locale, text=shown))


def code_name(text: str, locale: str = "en") -> str | None:
    """The name of the code `text` spells (for lists such as the Home tab's), or None."""
    result = explain(text, locale)
    return result.name if isinstance(result, Explanation) and result.registered else None
