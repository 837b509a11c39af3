"""Patterns rebuilt from the cached compiled programs behave exactly like re.compile's."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import bot.bounce
from bot.bounce import lazyre


def all_lazy_patterns() -> list[lazyre.LazyPattern]:
    found = []
    for info in pkgutil.walk_packages(bot.bounce.__path__, "bot.bounce."):
        module = importlib.import_module(info.name)
        found += [v for v in vars(module).values() if isinstance(v, lazyre.LazyPattern)]
    return found


@pytest.fixture()
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "regex.marshal"
    monkeypatch.setattr(lazyre, "CACHE_FILE", cache)
    monkeypatch.setattr(lazyre, "_programs", None)
    monkeypatch.setattr(lazyre, "_new", 0)
    return cache


def test_cached_programs_match_re_compile(isolated_cache: Path, shared_dir: Path) -> None:
    patterns = all_lazy_patterns()
    assert len(patterns) > 100
    samples = [
        p.read_text(errors="replace")[:20000]
        for p in sorted((shared_dir / "corpus" / "messages").glob("*/*"))[:40]
    ]
    fresh = [lazyre.compile_cached(p.pattern, p._flags) for p in patterns]
    lazyre._save_programs()
    assert isolated_cache.stat().st_size > 0
    lazyre._programs = None  # as in the next run: programs come from the file
    for lazy, first in zip(patterns, fresh, strict=True):
        again = lazyre.compile_cached(lazy.pattern, lazy._flags)
        reference = re.compile(lazy.pattern, lazy._flags)
        for compiled in (first, again):
            assert compiled.pattern == reference.pattern
            assert compiled.flags == reference.flags
            assert compiled.groups == reference.groups
            assert compiled.groupindex == reference.groupindex
        if isinstance(lazy.pattern, str):
            for text in samples:
                expected = [m.span() for m in reference.finditer(text)][:50]
                assert [m.span() for m in again.finditer(text)][:50] == expected


def test_a_broken_cache_falls_back_to_re(isolated_cache: Path) -> None:
    isolated_cache.write_bytes(b"not a pickle")
    compiled = lazyre.compile_cached(r"(?P<code>[45]\d\d)\s", re.I)
    assert compiled.search("said: 550 no").group("code") == "550"
