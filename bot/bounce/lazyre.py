"""Regular expressions compiled on first use, from a cache of compiled programs.

The bounce package has a hundred-odd patterns spread over dozens of decoders. `smtpbot parse`
is run once per batch of files, and compiling those patterns (CPython's regex parser and
compiler are written in Python) took ~12 ms of a ~95 ms run over 100 messages. So patterns
are compiled only when first used, and the compiled program of each is kept (marshalled) next
to the bytecode, keyed by the interpreter's cache tag and the regex engine's magic number;
the next run hands the program straight to the engine (`_sre.compile`), as `re` itself does
after compiling. Anything unexpected (another Python, a private API that changed, an
unreadable cache) falls back to plain `re.compile`, so the cache can only ever save time.
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
from array import array
from collections.abc import Callable, Iterator

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs parse start-up
if TYPE_CHECKING:
    from typing import Any, AnyStr

try:
    import _sre
    from re import _compiler, _parser

    if array("I").itemsize != _sre.CODESIZE:
        raise ImportError("code words of another width")
    CACHE_FILE: str | None = os.path.join(
        os.path.dirname(__file__),
        "__pycache__",
        f"regex-{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}.marshal",
    )
except (ImportError, AttributeError):  # another interpreter: no cache
    CACHE_FILE = None

# An unsigned array type as wide as the engine's code words (4 bytes in CPython 3.11+).
_CODE_TYPE = "I"

_programs: dict[tuple[Any, int], tuple[Any, ...]] | None = None
_new = 0


def _load_programs() -> dict[tuple[Any, int], tuple[Any, ...]]:
    global _programs
    if _programs is None:
        _programs = {}
        if CACHE_FILE is not None:
            try:
                with open(CACHE_FILE, "rb") as handle:
                    loaded = marshal.load(handle)
                if isinstance(loaded, dict):
                    _programs = loaded
            except (OSError, EOFError, ValueError, TypeError):
                pass
    return _programs


def _save_programs() -> None:
    if not _new or CACHE_FILE is None or _programs is None:
        return
    try:
        os.makedirs(os.path.dirname(CACHE_FILE), exist_ok=True)
        tmp = f"{CACHE_FILE}.{os.getpid()}.tmp"
        with open(tmp, "wb") as handle:
            marshal.dump(_programs, handle)
        os.replace(tmp, CACHE_FILE)
    except (OSError, ValueError):
        try:  # noqa: SIM105  (contextlib would be one more import at start-up)
            os.unlink(tmp)
        except (OSError, UnboundLocalError):
            pass


def compile_cached(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """`re.compile(pattern, flags)`, reusing the compiled program from an earlier run."""
    global _new
    if CACHE_FILE is None:
        return re.compile(pattern, flags)
    programs = _load_programs()
    key = (pattern, int(flags))
    program = programs.get(key)
    if program is not None:
        try:
            flags_all, code_bytes, groups, groupindex, indexgroup = program
            code = array(_CODE_TYPE)
            code.frombytes(code_bytes)
            return _sre.compile(  # type: ignore[no-any-return]
                pattern, flags_all, code.tolist(), groups, groupindex, indexgroup
            )
        except (TypeError, ValueError, RuntimeError):
            pass
    try:
        # The steps of re._compiler.compile, keeping the arguments it gives the engine.
        parsed = _parser.parse(pattern, flags)
        # Opcodes are int subclasses with names; the engine and pickle want plain ints.
        code = [int(op) for op in _compiler._code(parsed, flags)]
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        groupindex = {str(name): int(index) for name, index in groupindex.items()}
        flags_all = int(int(flags) | parsed.state.flags)  # plain int: marshal refuses RegexFlag
        compiled = _sre.compile(
            pattern, flags_all, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)
        )
        # The program as bytes: unmarshalling thousands of small ints per run would cost more
        # than the compiling it saves.
        program = (
            flags_all,
            array(_CODE_TYPE, code).tobytes(),
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
    except (AttributeError, TypeError, ValueError, RuntimeError):
        return re.compile(pattern, flags)
    if _new == 0:
        atexit.register(_save_programs)
    programs[key] = program
    _new += 1
    return compiled  # type: ignore[no-any-return]


class LazyPattern:
    """Behaves like the compiled `re.Pattern` it stands for.

    After the first use the compiled pattern's own (C) methods are bound on the instance, so
    later calls go straight to the regex engine instead of through a Python wrapper.
    """

    def __init__(self, pattern: AnyStr, flags: int = 0) -> None:
        self._source = pattern
        self._flags = flags
        self._compiled: re.Pattern[AnyStr] | None = None

    @property
    def compiled(self) -> re.Pattern[AnyStr]:
        if self._compiled is None:
            compiled = compile_cached(self._source, self._flags)
            self._compiled = compiled
            for name in ("search", "match", "fullmatch", "finditer", "findall", "split", "sub"):
                self.__dict__[name] = getattr(compiled, name)
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
