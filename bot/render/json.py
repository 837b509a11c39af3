"""JSON rendering: the answer's dataclasses (and the bounce parser's records) as plain JSON."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from bot.bounce.record import Record
from bot.results import Answer


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def to_data(answer: Answer) -> dict[str, Any]:
    return {"type": type(answer).__name__.lower(), **_plain(answer)}


def render_json(answer: Answer) -> str:
    return json.dumps(to_data(answer), ensure_ascii=False, indent=2)
