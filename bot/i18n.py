"""User-facing strings, per locale, from ``bot/locales/<locale>/*.toml``.

Code never holds a sentence a user reads: it asks for a key here. Keys are dotted
(``render.what_it_means``) and values are ``str.format`` templates. Files in a locale folder
are merged; a key defined twice is an error, so two surfaces cannot silently disagree.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LOCALE = "en"


def _flatten(prefix: str, data: dict[str, Any], out: dict[str, Any], origin: str) -> None:
    for key, value in data.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(full, value, out, origin)
        elif full in out:
            raise ValueError(f"{origin}: string {full!r} is defined twice")
        else:
            out[full] = value


@lru_cache(maxsize=8)
def strings(locale: str = DEFAULT_LOCALE) -> dict[str, Any]:
    folder = LOCALES_DIR / locale
    if not folder.is_dir():
        raise ValueError(f"locale {locale!r} is not available")
    out: dict[str, Any] = {}
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as handle:
            _flatten("", tomllib.load(handle), out, str(path))
    return out


def t(key: str, locale: str = DEFAULT_LOCALE, **values: Any) -> str:
    """The string `key` in `locale`, formatted with `values`."""
    template = strings(locale)[key]
    return template.format(**values) if values else template


def t_list(key: str, locale: str = DEFAULT_LOCALE) -> tuple[str, ...]:
    """A list of strings (help lines, examples)."""
    return tuple(strings(locale)[key])
