"""Load and validate the knowledge base data files once.

The data lives in TOML files under ``bot/kb/data/<locale>/`` so that facts and wording can be
reviewed (and translated) without touching code. English is the base locale: it holds the facts
(classes, stages, retry behaviour, references) and the English text. Another locale's files
only replace the text fields of entries that already exist in English, so a translation can
never change a fact.

Validation is strict and happens at load time: a malformed entry is a bug in the data, and it
is far better to fail the test suite than to show a half-empty explanation in Slack.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.kb.model import (
    BOUNCE_VALUES,
    RETRY_VALUES,
    STAGES,
    BasicCode,
    CategoryInfo,
    ClassInfo,
    EnhancedCode,
    Guidance,
    KnowledgeBase,
    Provider,
    ProviderMarker,
    ReasonInfo,
    Reference,
    SubjectInfo,
)

DATA_DIR = Path(__file__).parent / "data"
BASE_LOCALE = "en"

# Length limits keep every rendered section far below Slack's 3000-character section limit
# and keep explanations readable in a chat window.
LIMITS = {
    "name": 120,
    "summary": 240,
    "description": 1200,
    "when": 600,
    "item": 400,
    "items": 6,
}

RFC_REF = re.compile(r"^RFC (\d{3,4})(?: §([0-9A-Z][0-9.]*))?$")
BASIC_CODE = re.compile(r"^[2-5][0-9][0-9]$")
ENHANCED_KEY = re.compile(r"^X\.[0-9]{1,3}\.[0-9]{1,3}$")
ENHANCED_OR_RANGE = re.compile(r"^[245]\.[0-9]{1,3}\.[0-9]{1,3}(?:-[0-9]{1,3})?$")
REASONS = frozenset(
    """authfailure badreputation blocked contenterror delivered exceedlimit expired feedback
    filtered hasmoved hostunknown mailboxfull mailererror mesgtoobig networkerror norelaying
    notaccept notcompliantrfc onhold policyviolation rejected requireptr securityerror
    spamdetected speeding suspend syntaxerror systemerror systemfull toomanyconn undefined
    userunknown vacation virusdetected""".split()
)


class KnowledgeBaseError(ValueError):
    """The data files are malformed; the message names the file, the entry and the field."""


def rfc_url(number: str, section: str | None) -> str:
    url = f"https://www.rfc-editor.org/rfc/rfc{number}"
    if section:
        kind = "appendix" if section[0].isalpha() else "section"
        url += f"#{kind}-{section}"
    return url


def _reference(raw: Any, where: str) -> Reference:
    if isinstance(raw, str):
        match = RFC_REF.match(raw)
        if not match:
            raise KnowledgeBaseError(f"{where}: reference {raw!r} is not 'RFC NNNN [§x.y]'")
        return Reference(label=raw, url=rfc_url(match.group(1), match.group(2)))
    if isinstance(raw, dict) and set(raw) == {"label", "url"}:
        label, url = raw["label"], raw["url"]
        if not (isinstance(label, str) and label and isinstance(url, str)):
            raise KnowledgeBaseError(f"{where}: reference needs a label and a url")
        if not url.startswith("https://") or len(url) > 500:
            raise KnowledgeBaseError(f"{where}: reference url {url!r} must be https")
        return Reference(label=label, url=url)
    raise KnowledgeBaseError(f"{where}: reference {raw!r} must be a string or {{label, url}}")


def _text(entry: dict[str, Any], field: str, where: str, limit: str | None = None) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"{where}: '{field}' must be a non-empty string")
    value = " ".join(value.split())
    if len(value) > LIMITS[limit or field]:
        raise KnowledgeBaseError(f"{where}: '{field}' is longer than {LIMITS[limit or field]}")
    return value


def _items(entry: dict[str, Any], field: str, where: str) -> tuple[str, ...]:
    value = entry.get(field)
    if not isinstance(value, list) or not value or len(value) > LIMITS["items"]:
        raise KnowledgeBaseError(f"{where}: '{field}' must list 1..{LIMITS['items']} items")
    return tuple(_text({field: item}, field, where, "item") for item in value)


def _strings(entry: dict[str, Any], field: str, where: str, pattern: re.Pattern[str] | None = None):
    value = entry.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise KnowledgeBaseError(f"{where}: '{field}' must be a list of strings")
    if pattern is not None:
        for v in value:
            if not pattern.match(v):
                raise KnowledgeBaseError(f"{where}: '{field}' item {v!r} is malformed")
    return tuple(value)


def _choice(entry: dict[str, Any], field: str, allowed: tuple[str, ...], where: str) -> Any:
    value = entry.get(field)
    if value not in allowed:
        raise KnowledgeBaseError(f"{where}: '{field}' must be one of {allowed}, not {value!r}")
    return value


def _guidance(entry: dict[str, Any], where: str) -> Guidance:
    return Guidance(
        summary=_text(entry, "summary", where),
        description=_text(entry, "description", where),
        when=_text(entry, "when", where),
        causes=_items(entry, "causes", where),
        fix_sender=_items(entry, "fix_sender", where),
        fix_admin=_items(entry, "fix_admin", where),
    )


def _stages(entry: dict[str, Any], where: str) -> tuple[str, ...]:
    stages = _strings(entry, "stages", where)
    if not stages or any(s not in STAGES for s in stages):
        raise KnowledgeBaseError(f"{where}: 'stages' must list values from {STAGES}")
    return stages


def _references(entry: dict[str, Any], where: str) -> tuple[Reference, ...]:
    raw = entry.get("references")
    if not isinstance(raw, list) or not raw:
        raise KnowledgeBaseError(f"{where}: 'references' must list at least one reference")
    return tuple(_reference(r, where) for r in raw)


def _read(locale: str, name: str) -> dict[str, Any]:
    """Merge `<name>.toml` and any `<name>_<topic>.toml` files: large tables are split by topic."""
    merged: dict[str, Any] = {}
    paths = sorted((DATA_DIR / locale).glob(f"{name}.toml")) + sorted(
        (DATA_DIR / locale).glob(f"{name}_*.toml")
    )
    if not paths:
        raise KnowledgeBaseError(f"{DATA_DIR / locale}: no {name}.toml")
    for path in paths:
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise KnowledgeBaseError(f"{path}: {exc}") from exc
        for key, value in data.items():
            merged.setdefault(key, []).extend(value)
    return merged


def _unique(keys: list[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise KnowledgeBaseError(f"duplicate {what} {key!r}")
        seen.add(key)


def _load_structure(
    data: dict[str, Any],
) -> tuple[
    dict[str, ClassInfo], dict[str, ClassInfo], dict[str, CategoryInfo], dict[str, SubjectInfo]
]:
    def classes(key: str) -> dict[str, ClassInfo]:
        out = {}
        for item in data.get(key, []):
            where = f"classes.toml {key} {item.get('digit')!r}"
            out[item["digit"]] = ClassInfo(
                digit=item["digit"],
                name=_text(item, "name", where),
                description=_text(item, "description", where),
                retry=_choice(item, "retry", RETRY_VALUES, where),
                bounce=_choice(item, "bounce", BOUNCE_VALUES, where),
                when=_text(item, "when", where),
                causes=_items(item, "causes", where),
                fix_sender=_items(item, "fix_sender", where),
                fix_admin=_items(item, "fix_admin", where),
                references=_references(item, where),
            )
        return out

    categories = {}
    for item in data.get("basic_category", []):
        where = f"classes.toml basic_category {item.get('digit')!r}"
        categories[item["digit"]] = CategoryInfo(
            item["digit"], _text(item, "name", where), _text(item, "description", where)
        )
    subjects = {}
    for item in data.get("subject", []):
        where = f"classes.toml subject {item.get('digit')!r}"
        subjects[item["digit"]] = SubjectInfo(
            item["digit"], _text(item, "name", where), _text(item, "description", where)
        )
    return classes("basic_class"), classes("enhanced_class"), categories, subjects


def _load_basic(data: dict[str, Any]) -> dict[str, BasicCode]:
    entries = data.get("code", [])
    _unique([e.get("code", "") for e in entries], "basic code")
    out = {}
    for e in entries:
        code = e.get("code", "")
        where = f"basic.toml code {code!r}"
        if not BASIC_CODE.match(code):
            raise KnowledgeBaseError(f"{where}: not a three-digit reply code")
        out[code] = BasicCode(
            code=code,
            name=_text(e, "name", where),
            status=_text(e, "status", where, "name"),
            stages=_stages(e, where),
            retry=_choice(e, "retry", RETRY_VALUES, where),
            bounce=_choice(e, "bounce", BOUNCE_VALUES, where),
            text=_guidance(e, where),
            references=_references(e, where),
            related=_strings(e, "related", where),
            keywords=_strings(e, "keywords", where),
        )
    return out


def _load_enhanced(data: dict[str, Any]) -> dict[str, EnhancedCode]:
    entries = data.get("code", [])
    _unique([e.get("code", "") for e in entries], "enhanced code")
    out = {}
    for e in entries:
        code = e.get("code", "")
        where = f"enhanced.toml code {code!r}"
        if not ENHANCED_KEY.match(code):
            raise KnowledgeBaseError(f"{where}: enhanced codes are stored as X.subject.detail")
        classes = _strings(e, "classes", where)
        if any(c not in ("2", "4", "5") for c in classes):
            raise KnowledgeBaseError(f"{where}: 'classes' may only hold 2, 4 and 5")
        out[code] = EnhancedCode(
            code=code,
            name=_text(e, "name", where),
            classes=classes,
            basic_codes=_strings(e, "basic_codes", where, BASIC_CODE),
            stages=_stages(e, where),
            permanent_bounce=_choice(e, "permanent_bounce", ("hard", "soft"), where),
            text=_guidance(e, where),
            references=_references(e, where),
            related=_strings(e, "related", where),
            keywords=_strings(e, "keywords", where),
        )
    return out


def _load_providers(
    data: dict[str, Any],
) -> tuple[dict[str, Provider], tuple[ProviderMarker, ...]]:
    providers = {}
    for p in data.get("provider", []):
        where = f"providers.toml provider {p.get('id')!r}"
        url = p.get("postmaster_url", "")
        if not isinstance(url, str) or not url.startswith("https://"):
            raise KnowledgeBaseError(f"{where}: 'postmaster_url' must be an https URL")
        providers[p["id"]] = Provider(
            id=p["id"],
            name=_text(p, "name", where),
            postmaster_url=url,
            hosts=_strings(p, "hosts", where),
        )
    entries = data.get("marker", [])
    _unique([e.get("id", "") for e in entries], "marker id")
    markers = []
    for e in entries:
        where = f"providers.toml marker {e.get('id')!r}"
        provider = providers.get(e.get("provider", ""))
        if provider is None:
            raise KnowledgeBaseError(f"{where}: unknown provider {e.get('provider')!r}")
        tokens = _strings(e, "tokens", where)
        phrases = _strings(e, "phrases", where)
        enhanced = _strings(e, "enhanced", where, ENHANCED_OR_RANGE)
        if not (tokens or phrases or enhanced):
            raise KnowledgeBaseError(f"{where}: needs tokens, phrases or enhanced codes to match")
        if any(p != p.lower() for p in phrases):
            raise KnowledgeBaseError(f"{where}: phrases are matched in lower case; write them so")
        reason = e.get("reason")
        if reason not in REASONS:
            raise KnowledgeBaseError(f"{where}: 'reason' {reason!r} is not a Sisimai reason")
        markers.append(
            ProviderMarker(
                id=e["id"],
                provider=provider,
                basic=_strings(e, "basic", where, BASIC_CODE),
                enhanced=enhanced,
                tokens=tokens,
                phrases=phrases,
                name=_text(e, "name", where),
                retry=_choice(e, "retry", RETRY_VALUES, where),
                bounce=_choice(e, "bounce", BOUNCE_VALUES, where),
                reason=reason,
                text=_guidance(e, where),
                references=_references(e, where),
            )
        )
    return providers, tuple(markers)


RELATED_CODE = re.compile(r"^(?:[2-5][0-9]{2}|[245]\.[0-9]{1,3}\.[0-9]{1,3})$")


def _load_reasons(data: dict[str, Any]) -> dict[str, ReasonInfo]:
    entries = data.get("reason", [])
    _unique([e.get("name", "") for e in entries], "reason")
    out = {}
    for e in entries:
        name = e.get("name", "")
        where = f"reasons.toml reason {name!r}"
        if name not in REASONS:
            raise KnowledgeBaseError(f"{where}: not a Sisimai reason name")
        if not isinstance(e.get("failure"), bool):
            raise KnowledgeBaseError(f"{where}: 'failure' must be true or false")
        out[name] = ReasonInfo(
            name=name,
            title=_text(e, "title", where, "name"),
            summary=_text(e, "summary", where),
            action=_text(e, "action", where, "summary"),
            failure=e["failure"],
            typical_codes=_strings(e, "typical_codes", where, RELATED_CODE),
        )
    missing = REASONS - set(out)
    if missing:
        raise KnowledgeBaseError(f"reasons.toml: no entry for {sorted(missing)}")
    return out


def _check_links(kb: KnowledgeBase) -> None:
    for code in kb.basic.values():
        if code.class_digit not in kb.basic_classes or code.code[1] not in kb.categories:
            raise KnowledgeBaseError(f"basic code {code.code}: class or category not defined")
    for code in kb.enhanced.values():
        if code.subject not in kb.subjects:
            raise KnowledgeBaseError(f"enhanced code {code.code}: subject not defined")
        for basic in code.basic_codes:
            if basic not in kb.basic:
                raise KnowledgeBaseError(f"enhanced code {code.code}: basic code {basic} unknown")


CACHE_DIR = Path(__file__).parent / "__pycache__"


def _cache_path(locale: str) -> Path:
    """A cache file named after the data and code it was built from (like a .pyc)."""
    sources = sorted((DATA_DIR / locale).glob("*.toml"))
    sources += [Path(__file__), Path(__file__).with_name("model.py")]
    digest = hashlib.sha256()
    for path in sources:
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return CACHE_DIR / f"kb-{locale}-{digest.hexdigest()[:16]}.pickle"


@lru_cache(maxsize=4)
def load(locale: str = BASE_LOCALE) -> KnowledgeBase:
    """The knowledge base for `locale`, loaded and validated on first use.

    Parsing and validating the TOML takes ~75 ms; a validated copy is cached as a pickle next
    to the bytecode so that short-lived commands (`smtpbot parse` over a batch of files) start
    in ~2 ms. The cache is only ever written by this function, from validated data.
    """
    if locale != BASE_LOCALE:
        raise KnowledgeBaseError(f"locale {locale!r} is not available")
    cache = _cache_path(locale)
    try:
        with cache.open("rb") as handle:
            cached = pickle.load(handle)
        if isinstance(cached, KnowledgeBase):
            return cached
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        pass
    kb = _load_from_toml(locale)
    try:
        CACHE_DIR.mkdir(exist_ok=True)
        for stale in CACHE_DIR.glob(f"kb-{locale}-*.pickle"):
            stale.unlink(missing_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(kb, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(cache)
    except OSError:
        pass  # a read-only install simply runs without the cache
    return kb


def _load_from_toml(locale: str) -> KnowledgeBase:
    structure = _load_structure(_read(locale, "classes"))
    providers, markers = _load_providers(_read(locale, "providers"))
    kb = KnowledgeBase(
        locale=locale,
        basic_classes=structure[0],
        enhanced_classes=structure[1],
        categories=structure[2],
        subjects=structure[3],
        basic=_load_basic(_read(locale, "basic")),
        enhanced=_load_enhanced(_read(locale, "enhanced")),
        providers=providers,
        markers=markers,
        reasons=_load_reasons(_read(locale, "reasons")),
    )
    _check_links(kb)
    return kb
