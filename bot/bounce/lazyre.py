"""Regular expressions compiled on first use.

The bounce package has a hundred-odd patterns spread over dozens of decoders, and most are only
needed once a decoder has claimed a message. Compiling them all at import cost about as much
as the rest of `smtpbot parse`'s start-up, which a batch job pays on every run.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any, AnyStr, Generic


class LazyPattern(Generic[AnyStr]):
    """Behaves like the compiled `re.Pattern` it stands for."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, pattern: AnyStr, flags: int = 0) -> None:
        self._source = pattern
        self._flags = flags
        self._compiled: re.Pattern[AnyStr] | None = None

    @property
    def compiled(self) -> re.Pattern[AnyStr]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def search(self, text: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> Any:
        return self.compiled.search(text, pos, endpos)

    def match(self, text: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> Any:
        return self.compiled.match(text, pos, endpos)

    def fullmatch(self, text: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> Any:
        return self.compiled.fullmatch(text, pos, endpos)

    def finditer(
        self, text: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[AnyStr]]:
        return self.compiled.finditer(text, pos, endpos)

    def findall(self, text: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled.findall(text, pos, endpos)

    def split(self, text: AnyStr, maxsplit: int = 0) -> list[Any]:
        return self.compiled.split(text, maxsplit)

    def sub(
        self, repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], text: AnyStr, count: int = 0
    ) -> AnyStr:
        return self.compiled.sub(repl, text, count)

    def subn(
        self, repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], text: AnyStr, count: int = 0
    ) -> tuple[AnyStr, int]:
        return self.compiled.subn(repl, text, count)

    @property
    def pattern(self) -> AnyStr:
        return self._source

    @property
    def flags(self) -> int:
        return self.compiled.flags


def lazy(pattern: AnyStr, flags: int = 0) -> LazyPattern[AnyStr]:
    return LazyPattern(pattern, flags)
