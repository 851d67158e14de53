"""Opening the terminal app."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    """Add `reelterm app`."""
    p = sub.add_parser("app", help="open the terminal app (the default)")
    p.set_defaults(func=run_app)


def run_app(args: argparse.Namespace) -> int:
    """Open the terminal app."""
    print("The terminal app is not built yet.", file=sys.stderr)
    return 1
