"""Slack's Block Kit limits, as clamp helpers for the renderer and a validator for tests.

Slack rejects a whole message (``invalid_blocks``) when a single field is one character too
long, and the input here is whatever a user pasted. So the renderer clamps every string and
list on the way out, and the validator checks the finished payload against the documented
limits (contract §5, Slack's Block Kit reference) so that tests and the fake Slack can prove
no reply is ever refused. No Slack imports: this is plain data checking.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

Surface = Literal["message", "home", "modal"]

MAX_BLOCKS = {"message": 50, "home": 100, "modal": 100}
TEXT_OBJECT_MAX = 3000
SECTION_TEXT_MAX = 3000
SECTION_FIELDS_MAX = 10
FIELD_TEXT_MAX = 2000
HEADER_TEXT_MAX = 150
CONTEXT_ELEMENTS_MAX = 10
ACTIONS_ELEMENTS_MAX = 25
BUTTON_TEXT_MAX = 75
ACTION_ID_MAX = 255
BUTTON_VALUE_MAX = 2000
URL_MAX = 3000
BLOCK_ID_MAX = 255
MARKDOWN_TOTAL_MAX = 12_000
MESSAGE_TEXT_MAX = 40_000
MESSAGE_TEXT_WARN = 4_000
IMAGE_ALT_MAX = 2000
MODAL_TITLE_MAX = 24

ELLIPSIS = "…"
KNOWN_BLOCKS = frozenset(
    {
        "section",
        "header",
        "context",
        "actions",
        "divider",
        "image",
        "markdown",
        "rich_text",
        "input",
    }
)


def clamp(text: str, limit: int, suffix: str = ELLIPSIS) -> str:
    """`text` cut to at most `limit` characters, on a word boundary when one is close, so a
    truncated reply still reads as words and visibly ends with `suffix`."""
    if len(text) <= limit:
        return text
    room = max(0, limit - len(suffix))
    cut = text[:room]
    space = cut.rfind(" ")
    if space >= room * 0.8:
        cut = cut[:space]
    return cut.rstrip() + suffix


def clamp_items(items: Sequence[Any], limit: int) -> tuple[list[Any], int]:
    """The first `limit` items and how many were left out (for an "…and N more" line)."""
    kept = list(items[: max(0, limit)])
    return kept, max(0, len(items) - len(kept))


def join_within(lines: Sequence[str], limit: int, more: str) -> str:
    """Lines joined by newlines within `limit` chars; `more` (a template with {count}) replaces
    the lines that did not fit, so a long list collapses instead of breaking the message."""
    out: list[str] = []
    total = 0
    for index, line in enumerate(lines):
        after = len(lines) - index - 1
        reserve = len(more.format(count=after)) + 1 if after else 0
        sep = 1 if out else 0
        if total + sep + len(line) + reserve <= limit:
            out.append(line)
            total += sep + len(line)
            continue
        if not out:
            out.append(clamp(line, max(1, limit - reserve)))
            if after:
                out.append(more.format(count=after))
        else:
            out.append(more.format(count=after + 1))
        break
    return clamp("\n".join(out), limit)


# ---------------------------------------------------------------- validation


def _text_object(
    obj: Any, where: str, problems: list[str], *, limit: int = TEXT_OBJECT_MAX, plain_only=False
) -> int:
    """Check one composition text object; returns its length (0 when invalid)."""
    if not isinstance(obj, dict):
        problems.append(f"{where}: text object must be an object")
        return 0
    kind = obj.get("type")
    if kind not in ("plain_text", "mrkdwn"):
        problems.append(f"{where}: text type must be plain_text or mrkdwn, got {kind!r}")
        return 0
    if plain_only and kind != "plain_text":
        problems.append(f"{where}: must be plain_text")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        problems.append(f"{where}: text must be a non-empty string")
        return 0
    if len(text) > min(limit, TEXT_OBJECT_MAX):
        problems.append(f"{where}: text is {len(text)} chars, max {min(limit, TEXT_OBJECT_MAX)}")
    if "emoji" in obj and kind != "plain_text":
        problems.append(f"{where}: emoji is only allowed on plain_text")
    if "verbatim" in obj and kind != "mrkdwn":
        problems.append(f"{where}: verbatim is only allowed on mrkdwn")
    return len(text)


def _button(el: dict[str, Any], where: str, problems: list[str]) -> None:
    _text_object(el.get("text"), f"{where}.text", problems, limit=BUTTON_TEXT_MAX, plain_only=True)
    action_id = el.get("action_id")
    if action_id is not None and (not isinstance(action_id, str) or len(action_id) > ACTION_ID_MAX):
        problems.append(f"{where}: action_id longer than {ACTION_ID_MAX}")
    value = el.get("value")
    if value is not None and (not isinstance(value, str) or len(value) > BUTTON_VALUE_MAX):
        problems.append(f"{where}: value longer than {BUTTON_VALUE_MAX}")
    url = el.get("url")
    if url is not None and (not isinstance(url, str) or len(url) > URL_MAX):
        problems.append(f"{where}: url longer than {URL_MAX}")
    if el.get("style") not in (None, "primary", "danger"):
        problems.append(f"{where}: style must be primary or danger")


def _element(el: Any, where: str, problems: list[str]) -> None:
    if not isinstance(el, dict):
        problems.append(f"{where}: element must be an object")
        return
    if el.get("type") == "button":
        _button(el, where, problems)
    elif el.get("type") == "image":
        if len(str(el.get("image_url", ""))) > URL_MAX:
            problems.append(f"{where}: image_url longer than {URL_MAX}")
        alt = el.get("alt_text")
        if not isinstance(alt, str) or not alt or len(alt) > IMAGE_ALT_MAX:
            problems.append(f"{where}: alt_text must be 1..{IMAGE_ALT_MAX} chars")


def _block(block: Any, where: str, problems: list[str]) -> int:
    """Check one block; returns the characters it adds to the markdown-block total."""
    if not isinstance(block, dict):
        problems.append(f"{where}: block must be an object")
        return 0
    kind = block.get("type")
    if kind not in KNOWN_BLOCKS:
        problems.append(f"{where}: unknown block type {kind!r}")
        return 0
    if kind == "section":
        text, fields = block.get("text"), block.get("fields")
        if text is None and not fields:
            problems.append(f"{where}: section needs text or fields")
        if text is not None:
            _text_object(text, f"{where}.text", problems, limit=SECTION_TEXT_MAX)
        if fields is not None:
            if not isinstance(fields, list) or not fields:
                problems.append(f"{where}: fields must be a non-empty list")
            else:
                if len(fields) > SECTION_FIELDS_MAX:
                    problems.append(f"{where}: {len(fields)} fields, max {SECTION_FIELDS_MAX}")
                for i, field in enumerate(fields):
                    _text_object(field, f"{where}.fields[{i}]", problems, limit=FIELD_TEXT_MAX)
        if "accessory" in block:
            _element(block["accessory"], f"{where}.accessory", problems)
    elif kind == "header":
        _text_object(
            block.get("text"), f"{where}.text", problems, limit=HEADER_TEXT_MAX, plain_only=True
        )
    elif kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            problems.append(f"{where}: context needs 1..{CONTEXT_ELEMENTS_MAX} elements")
        else:
            if len(elements) > CONTEXT_ELEMENTS_MAX:
                problems.append(f"{where}: {len(elements)} context elements, max 10")
            for i, el in enumerate(elements):
                if isinstance(el, dict) and el.get("type") == "image":
                    _element(el, f"{where}.elements[{i}]", problems)
                else:
                    _text_object(el, f"{where}.elements[{i}]", problems)
    elif kind == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            problems.append(f"{where}: actions needs 1..{ACTIONS_ELEMENTS_MAX} elements")
        else:
            if len(elements) > ACTIONS_ELEMENTS_MAX:
                problems.append(f"{where}: {len(elements)} actions elements, max 25")
            seen: set[str] = set()
            for i, el in enumerate(elements):
                _element(el, f"{where}.elements[{i}]", problems)
                action_id = el.get("action_id") if isinstance(el, dict) else None
                if action_id is not None:
                    if action_id in seen:
                        problems.append(f"{where}: duplicate action_id {action_id!r}")
                    seen.add(action_id)
    elif kind == "markdown":
        text = block.get("text")
        if not isinstance(text, str) or not text:
            problems.append(f"{where}: markdown block needs text")
            return 0
        return len(text)
    elif kind == "image":
        _element(block, where, problems)
    return 0


def validate_blocks(blocks: Any, *, surface: Surface = "message") -> list[str]:
    """Problems with a list of blocks for `surface`; empty when Slack would accept it."""
    problems: list[str] = []
    if not isinstance(blocks, list):
        return ["blocks must be a list"]
    limit = MAX_BLOCKS[surface]
    if len(blocks) > limit:
        problems.append(f"{len(blocks)} blocks, max {limit} on a {surface}")
    block_ids: set[str] = set()
    markdown_total = 0
    for i, block in enumerate(blocks):
        where = f"blocks[{i}]"
        markdown_total += _block(block, where, problems)
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if block_id is not None:
            if not isinstance(block_id, str) or len(block_id) > BLOCK_ID_MAX:
                problems.append(f"{where}: block_id longer than {BLOCK_ID_MAX}")
            elif block_id in block_ids:
                problems.append(f"{where}: duplicate block_id {block_id!r}")
            block_ids.add(str(block_id))
    if markdown_total > MARKDOWN_TOTAL_MAX:
        problems.append(f"markdown blocks hold {markdown_total} chars, max {MARKDOWN_TOTAL_MAX}")
    return problems


def validate_message(
    payload: dict[str, Any], *, surface: Surface = "message", strict: bool = True
) -> list[str]:
    """Problems with a reply payload; empty = valid.

    A message payload needs `blocks` and a non-empty `text` fallback (contract §5). For
    `home`/`modal`, `payload` may be the view itself or a dict holding it under `view`.
    `strict` also flags a `text` over 4,000 chars, which Slack accepts with a warning but
    which we never want to send.
    """
    if surface in ("home", "modal"):
        view = payload.get("view", payload)
        if isinstance(view, str):
            return ["view must be an object, not a JSON string"]
        problems = []
        if view.get("type") != surface:
            problems.append(f"view type must be {surface!r}")
        if surface == "modal":
            _text_object(
                view.get("title"), "view.title", problems, limit=MODAL_TITLE_MAX, plain_only=True
            )
        return problems + validate_blocks(view.get("blocks"), surface=surface)
    problems = []
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append("text fallback must be a non-empty string")
    elif len(text) > MESSAGE_TEXT_MAX:
        problems.append(f"text is {len(text)} chars, max {MESSAGE_TEXT_MAX}")
    elif strict and len(text) > MESSAGE_TEXT_WARN:
        problems.append(f"text is {len(text)} chars, Slack warns above {MESSAGE_TEXT_WARN}")
    if "blocks" not in payload:
        problems.append("blocks are missing")
    else:
        problems += validate_blocks(payload["blocks"], surface=surface)
    return problems
