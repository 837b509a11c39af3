"""`smtpbot parse [--format jsonl|text] FILE [FILE ...]`: decode bounce files.

One JSON object per input, in input order; a file that cannot be read sets `error` and the
run goes on, so a batch job never loses the other results to one bad file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

from bot.bounce.engine import parse_bytes
from bot.bounce.model import BounceReport

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs parse start-up
if TYPE_CHECKING:
    from typing import IO, Any

USAGE_ERROR = 2


def _read(path: str, stdin_bytes_reader: Callable[[], bytes]) -> bytes:
    if path == "-":
        return stdin_bytes_reader()
    with open(path, "rb") as handle:
        return handle.read()


def _t(key: str, **values: Any) -> str:
    """A message from the locale files, loaded only when one is needed: most batch runs print
    none, and reading the locale files would only slow their start-up."""
    from bot.i18n import t

    return t(key, **values)


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
        print(_t("parse.unknown_format", value=fmt), file=sys.stderr)
        return USAGE_ERROR
    for path in paths:
        report: BounceReport | None = None
        error: str | None = None
        try:
            data = _read(path, stdin_bytes_reader)
        except OSError as exc:
            error = _t("parse.cannot_read", reason=exc.strerror or exc)
        else:
            try:
                report = parse_bytes(data)
            except Exception as exc:
                error = _t("parse.cannot_parse", reason=f"{type(exc).__name__}: {exc}")
        if fmt == "jsonl":
            stdout.write(json.dumps(result_dict(path, report, error), ensure_ascii=False) + "\n")
        else:
            stdout.write(render_text(path, report, error) + "\n")
    stdout.flush()
    return 0


def parse_args(argv: list[str]) -> tuple[str, list[str]] | str:
    """(format, files), or the message for a usage error.

    Read by hand rather than with argparse: `smtpbot parse` is run once per batch of files, and
    argparse (with the modules it pulls in) is a measurable share of such a short run.
    """
    fmt, files, options = "jsonl", [], True
    args = iter(argv)
    for arg in args:
        if options and arg == "--":
            options = False
        elif options and arg in ("-h", "--help"):
            return ""
        elif options and (arg == "--format" or arg.startswith("--format=")):
            value = arg.partition("=")[2] if "=" in arg else next(args, "")
            if value not in ("jsonl", "text"):
                return _t("parse.unknown_format", value=value)
            fmt = value
        elif options and arg.startswith("-") and arg != "-":
            return _t("parse.unknown_option", option=arg)
        else:
            files.append(arg)
    return (fmt, files) if files else _t("parse.no_file")


def main(argv: list[str] | None = None) -> int:
    parsed = parse_args(sys.argv[1:] if argv is None else argv)
    if isinstance(parsed, str):
        print(_t("parse.usage"), file=sys.stderr if parsed else sys.stdout)
        if parsed:
            print(parsed, file=sys.stderr)
            return USAGE_ERROR
        return 0
    fmt, files = parsed
    return run_parse(files, fmt, sys.stdout, sys.stdin.buffer.read)


if __name__ == "__main__":
    sys.exit(main())
