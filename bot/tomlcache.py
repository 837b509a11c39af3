"""Read a TOML data file, through a marshalled copy next to the bytecode.

Short-lived commands (`smtpbot parse` over a batch of files) pay for parsing their rule files
on every run; `tomllib` takes milliseconds where unmarshalling the same dict takes tens of
microseconds (marshal, not pickle: it is built in, so it costs no import). The copy is keyed
by the interpreter and the file's size and modification time, like a .pyc, and a read-only
install simply parses the TOML every time.
"""

from __future__ import annotations

import marshal
import os
import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs parse start-up
if TYPE_CHECKING:
    from typing import Any


# Paths are plain strings here: importing pathlib is itself a few milliseconds of start-up.


def _cache_file(path: str) -> tuple[str, str]:
    """(cache folder, cache file) for the TOML file at `path`."""
    stat = os.stat(path)
    folder = os.path.join(os.path.dirname(path), "__pycache__")
    stem = os.path.splitext(os.path.basename(path))[0]
    return folder, os.path.join(
        folder, f"{stem}-{stat.st_size}-{stat.st_mtime_ns}.{sys.implementation.cache_tag}.marshal"
    )


def load_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The parsed TOML at `path` (raises OSError or tomllib.TOMLDecodeError like tomllib)."""
    path = os.fspath(path)
    folder, cache = _cache_file(path)
    try:
        with open(cache, "rb") as handle:
            data = marshal.load(handle)
        if isinstance(data, dict):
            return data
    except (OSError, EOFError, ValueError, TypeError):
        pass
    import tomllib

    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    try:
        os.makedirs(folder, exist_ok=True)
        stem = os.path.splitext(os.path.basename(path))[0]
        for name in os.listdir(folder):
            if name.startswith(f"{stem}-") and name.endswith(".marshal"):
                os.unlink(os.path.join(folder, name))
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
