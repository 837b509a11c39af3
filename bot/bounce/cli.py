"""`smtpbot parse [--format jsonl|text] FILE [FILE ...]`: decode bounce files.

One JSON object per input, in input order; a file that cannot be read sets `error` and the
run goes on, so a batch job never loses the other results to one bad file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

from bot.bounce.engine import parse_bytes
from bot.bounce.model import BounceReport

USAGE_ERROR = 2


def _read(path: str, stdin_bytes_reader: Callable[[], bytes]) -> bytes:
    if path == "-":
        return stdin_bytes_reader()
    with open(path, "rb") as handle:
        return handle.read()


def result_dict(source: str, report: BounceReport | None, error: str | None) -> dict[str, Any]:
    return {
        "source": source,
        "kind": report.kind if report else "none",
        "decoder": report.decoder if report else None,
        "recipients": [r.to_dict() for r in report.recipients] if report else [],
        "original": report.original.to_dict() if report else None,
        "error": error,
    }


def render_text(source: str, report: BounceReport | None, error: str | None) -> str:
    """The console's bounce report for one file (imported lazily: jsonl runs stay lean)."""
    from bot.i18n import t
    from bot.render.text import render_bounce
    from bot.results import BounceAnswer

    if error:
        return f"== {source}\n{t('answer.file_unreadable', filename=source, error=error)}"
    return f"== {source}\n" + render_bounce(BounceAnswer(report=report or BounceReport()))


def run_parse(
    paths: list[str],
    fmt: str,
    stdout: IO[str],
    stdin_bytes_reader: Callable[[], bytes],
) -> int:
    """Decode every path; exit code 0 even when some files are bad (their `error` says so)."""
    if fmt not in ("jsonl", "text"):
        print(f"unknown format {fmt!r} (use jsonl or text)", file=sys.stderr)
        return USAGE_ERROR
    for path in paths:
        report: BounceReport | None = None
        error: str | None = None
        try:
            data = _read(path, stdin_bytes_reader)
        except OSError as exc:
            error = f"cannot read: {exc.strerror or exc}"
        else:
            try:
                report = parse_bytes(data)
            except Exception as exc:
                error = f"cannot parse: {type(exc).__name__}: {exc}"
        if fmt == "jsonl":
            stdout.write(json.dumps(result_dict(path, report, error), ensure_ascii=False) + "\n")
        else:
            stdout.write(render_text(path, report, error) + "\n")
    stdout.flush()
    return 0


def build_parser(prog: str = "smtpbot parse") -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(prog=prog, description="Explain bounce messages.")
    parser.add_argument("--format", choices=("jsonl", "text"), default="jsonl")
    parser.add_argument("files", nargs="+", metavar="FILE", help="message files; - reads stdin")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code not in (None, 0) else 0
    return run_parse(args.files, args.format, sys.stdout, sys.stdin.buffer.read)


if __name__ == "__main__":
    sys.exit(main())
