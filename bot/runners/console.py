"""The local console: type or paste what you would send in Slack, read the answer.

Input is read straight from the file descriptor so that a paste (many lines arriving at once)
is answered as one input, while a single typed or piped line (`echo 554 | smtpbot run`) is
answered at once. A piped file of plain queries, one per line, is answered line by line.
"""

from __future__ import annotations

import os
import select
import sys
from collections.abc import Iterator
from typing import TextIO

from bot.answer import answer
from bot.codes import parse_code
from bot.i18n import t
from bot.render.text import render_text

# A paste arrives as a burst; a pause this long after a newline ends the input.
PASTE_GAP_SECONDS = 0.15
QUERY_VERBS = ("help", "search", "find", "compare", "explain", "what", "whats", "define")


def _is_standalone_query(line: str) -> bool:
    text = line.strip()
    if parse_code(text) is not None:
        return True
    words = text.lower().split()
    if words and words[0].rstrip(":") in QUERY_VERBS:
        return True
    return len(text) <= 80 and " vs " in f" {text.lower()} "


def split_inputs(block: str) -> list[str]:
    """One input per line when every line is a query of its own, else the block as one input."""
    lines = [line for line in block.splitlines() if line.strip()]
    if not lines:
        return []
    if len(lines) > 1 and all(_is_standalone_query(line) for line in lines):
        return lines
    return [block.strip()]


def read_inputs(fd: int) -> Iterator[str]:
    """Yield inputs from `fd` until end of input."""
    buffer = b""
    while True:
        timeout = PASTE_GAP_SECONDS if buffer.endswith(b"\n") else None
        ready, _, _ = select.select([fd], [], [], timeout)
        if ready:
            chunk = os.read(fd, 1 << 16)
            if chunk:
                buffer += chunk
                continue
            if buffer.strip():
                yield from split_inputs(buffer.decode("utf-8", errors="replace"))
            return
        yield from split_inputs(buffer.decode("utf-8", errors="replace"))
        buffer = b""


def serve(stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    interactive = source.isatty()
    if interactive:
        out.write(f"{t('console.banner')}\n{t('console.quit')}\n\n{t('console.prompt')}")
        out.flush()
    try:
        for text in read_inputs(source.fileno()):
            out.write(render_text(answer(text)) + "\n\n")
            if interactive:
                out.write(t("console.prompt"))
            out.flush()
    except KeyboardInterrupt:
        pass
    return 0
