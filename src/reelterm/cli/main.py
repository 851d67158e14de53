"""The `reelterm` command: with no sub-command it opens the terminal app."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from reelterm import __version__
from reelterm.cli.exit_codes import EXIT_INTERRUPTED, EXIT_OK
from reelterm.cli.llm_options import add_llm_options

# Each module defines `register(subparsers)`; heavy imports stay inside its command functions.
COMMAND_MODULES = (
    "reelterm.cli.serve_cmd",
    "reelterm.cli.media_cmd",
    "reelterm.cli.session_cmd",
    "reelterm.cli.app_cmd",
    "reelterm.cli.hub_cmd",
)
GLOBAL_OPTIONS = ("--api", "--llm", "--llm-model")
"""Options taking a value that may come before the command."""
MEDIA_COMMANDS = ("render", "merge", "convert")
"""Sub-commands of `reelterm.cli.media_cmd`: for these the other modules are not loaded (~8 ms)."""


def _command_modules(argv: Sequence[str]) -> tuple[str, ...]:
    """The command modules to register: only media_cmd when `argv` plainly names a media command."""
    rest = list(argv)
    while rest and rest[0].split("=", 1)[0] in GLOBAL_OPTIONS:
        rest = rest[2:] if rest[0] in GLOBAL_OPTIONS else rest[1:]
    if rest and rest[0] in MEDIA_COMMANDS:
        return ("reelterm.cli.media_cmd",)
    return COMMAND_MODULES


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """The argument parser with the sub-commands of `modules` (all of them by default)."""
    parser = argparse.ArgumentParser(
        prog="reelterm",
        description="A terminal studio for AI video. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"reelterm {__version__}")
    parser.add_argument(
        "--api",
        metavar="URL|nemo|local",
        default=None,
        help="backend: 'local' (the embedded engine, default), 'nemo' (the hosted API) or a base URL; "
        "also REELTERM_API",
    )
    add_llm_options(parser, default=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run reelterm; return the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(_command_modules(argv))
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        from reelterm.cli.app_cmd import run_app

        func = run_app
    try:
        return int(func(args) or EXIT_OK)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
