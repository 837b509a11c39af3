"""JSON rendering: the answer's dataclasses as plain JSON, tagged with their type."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from bot.results import Answer


def to_data(answer: Answer) -> dict[str, Any]:
    data = dataclasses.asdict(answer)
    return {"type": type(answer).__name__.lower(), **data}


def render_json(answer: Answer) -> str:
    return json.dumps(to_data(answer), ensure_ascii=False, indent=2)
