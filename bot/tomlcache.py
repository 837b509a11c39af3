"""Read a TOML data file, through a pickled copy next to the bytecode.

Short-lived commands (`smtpbot parse` over a batch of files) pay for parsing their rule files
on every run; `tomllib` takes milliseconds where unpickling the same dict takes tens of
microseconds. The copy is keyed by the file's size and modification time, like a .pyc, and a
read-only install simply parses the TOML every time.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any


def _cache_file(path: Path) -> Path:
    stat = path.stat()
    return path.parent / "__pycache__" / f"{path.stem}-{stat.st_size}-{stat.st_mtime_ns}.pickle"


def load_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML at `path` (raises OSError or tomllib.TOMLDecodeError like tomllib)."""
    cache = _cache_file(path)
    try:
        with cache.open("rb") as handle:
            data = pickle.load(handle)
        if isinstance(data, dict):
            return data
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        pass
    import tomllib

    with path.open("rb") as handle:
        data = tomllib.load(handle)
    try:
        cache.parent.mkdir(exist_ok=True)
        for stale in cache.parent.glob(f"{path.stem}-*.pickle"):
            stale.unlink(missing_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(cache)
    except OSError:
        pass
    return data
