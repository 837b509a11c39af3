"""Data read from TOML files, through a marshalled copy next to the bytecode.

Short-lived commands (`smtpbot parse` over a batch of files) pay for parsing their rule files
on every run; `tomllib` takes milliseconds where unmarshalling the same data takes tens of
microseconds (marshal, not pickle: it is built in, so it costs no import). A copy is keyed by
the interpreter and by the size and modification time of every file it was built from, like
a .pyc; a read-only install simply builds the data every time.
"""

from __future__ import annotations

import marshal
import os
import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs parse start-up
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# Paths are plain strings here: importing pathlib is itself a few milliseconds of start-up.


def _stamp(sources: list[str]) -> str:
    parts = []
    for path in sources:
        stat = os.stat(path)
        parts.append(f"{stat.st_size}-{stat.st_mtime_ns}")
    return "-".join(parts)


def cached(name: str, sources: list[str], build: Callable[[], Any]) -> Any:
    """`build()`, or its marshalled copy from an earlier run built from the same `sources`.

    The copy lives in a __pycache__ folder beside the first source, named after `name`.
    """
    folder = os.path.join(os.path.dirname(sources[0]), "__pycache__")
    tag = sys.implementation.cache_tag
    cache = os.path.join(folder, f"{name}-{_stamp(sources)}.{tag}.marshal")
    try:
        with open(cache, "rb") as handle:
            return marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    data = build()
    try:
        os.makedirs(folder, exist_ok=True)
        for old in os.listdir(folder):
            if old.startswith(f"{name}-") and old.endswith(".marshal"):
                os.unlink(os.path.join(folder, old))
        tmp = f"{cache}.{os.getpid()}.tmp"
        with open(tmp, "wb") as handle:
            marshal.dump(data, handle)
        os.replace(tmp, cache)
    except (OSError, ValueError):  # ValueError: a value marshal cannot store
        try:  # noqa: SIM105  (contextlib would be one more import at start-up)
            os.unlink(tmp)
        except (OSError, UnboundLocalError):
            pass
    return data


def load_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The parsed TOML at `path` (raises OSError or tomllib.TOMLDecodeError like tomllib)."""
    path = os.fspath(path)

    def parse() -> dict[str, Any]:
        import tomllib

        with open(path, "rb") as handle:
            return tomllib.load(handle)

    data = cached(os.path.splitext(os.path.basename(path))[0], [path], parse)
    return data if isinstance(data, dict) else parse()
