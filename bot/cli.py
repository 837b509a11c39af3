"""The `smtpbot` command line: explain, compare, search, parse, run.

Exit codes: 0 success, 1 nothing found, 2 bad usage or input that is not a code (the message
goes to stderr). Slack and server modules are imported only by `run`, so the other commands
start fast.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs parse start-up


if TYPE_CHECKING:
    # argparse is imported where the parser is built: `smtpbot parse` never needs it.
    import argparse
    from collections.abc import Sequence

    from bot.results import Answer

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE = 0, 1, 2


def _emit(answer: Answer, fmt: str, exit_problem: int = EXIT_USAGE) -> int:
    if fmt == "json":
        from bot.render.json import render_json

        print(render_json(answer))
    else:
        from bot.render.text import render_text

        rendered = render_text(answer)
        print(rendered, file=sys.stderr if _is_problem(answer) else sys.stdout)
    return exit_problem if _is_problem(answer) else EXIT_OK


def _is_problem(answer: Answer) -> bool:
    from bot.results import Problem

    return isinstance(answer, Problem)


def _explain(args: argparse.Namespace) -> int:
    from bot.explain import explain

    return _emit(explain(" ".join(args.code)), args.format)


def _compare(args: argparse.Namespace) -> int:
    from bot.answer import _split_codes
    from bot.compare import compare

    return _emit(compare(_split_codes(" ".join(args.codes))), args.format)


def _search(args: argparse.Namespace) -> int:
    from bot.answer import _search

    return _emit(_search(" ".join(args.words), "en"), args.format, EXIT_NOT_FOUND)


def _parse(args: argparse.Namespace) -> int:
    from bot.bounce.cli import run_parse

    return run_parse(args.files, args.format, sys.stdout, sys.stdin.buffer.read)


def _run(args: argparse.Namespace) -> int:
    from bot.i18n import t
    from bot.settings import load_settings

    settings = load_settings()
    mode = args.mode or settings.auto_mode()
    if mode == "console":
        from bot.runners.console import serve

        return serve()
    if mode == "http":
        if not (settings.bot_token and settings.signing_secret):
            print(t("run.http_needs"), file=sys.stderr)
            return EXIT_USAGE
        from bot.runners.http import serve as serve_http

        serve_http(settings, args.port or settings.port)
        return EXIT_OK
    if not (settings.bot_token and settings.app_token):
        print(t("run.socket_needs"), file=sys.stderr)
        return EXIT_USAGE
    from bot.runners.socket import serve as serve_socket

    serve_socket(settings)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="smtpbot", description="Explain SMTP reply codes, enhanced status codes and bounces."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    fmt = {"choices": ("text", "json"), "default": "text", "help": "output format"}

    p = sub.add_parser("explain", help="explain a code: 554, 5.7.26, 550 5.7.26, [TSS04]")
    p.add_argument("code", nargs="+")
    p.add_argument("--format", **fmt)
    p.set_defaults(func=_explain)

    p = sub.add_parser("compare", help="compare codes side by side: 211 554, 421 450 451")
    p.add_argument("codes", nargs="+")
    p.add_argument("--format", **fmt)
    p.set_defaults(func=_compare)

    p = sub.add_parser("search", help="find codes by keywords: mailbox full")
    p.add_argument("words", nargs="+")
    p.add_argument("--format", **fmt)
    p.set_defaults(func=_search)

    p = sub.add_parser("parse", help="parse bounce messages (FILE or - for stdin)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=("jsonl", "text"), default="jsonl")
    p.set_defaults(func=_parse)

    p = sub.add_parser("run", help="run the bot: Socket Mode, HTTP, or a local console")
    p.add_argument("--mode", choices=("http", "socket", "console"), default=None)
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(func=_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["parse"]:
        # The batch path: skip building every subcommand's parser (start-up time counts).
        from bot.bounce.cli import main as parse_main

        return parse_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:
        return EXIT_OK


def entry() -> None:
    """The `smtpbot` script and `python -m bot`.

    A finished `parse` run skips the interpreter's teardown (freeing every module and object
    one by one), which is ~10 % of a batch of 100 messages: exit handlers still run and the
    output is flushed first, so nothing is lost.
    """
    code = main()
    if sys.argv[1:2] == ["parse"]:
        import atexit
        import os

        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:
            pass
        atexit._run_exitfuncs()
        os._exit(code)
    sys.exit(code)
