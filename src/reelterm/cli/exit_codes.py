"""The exit codes of every reelterm command, defined once (docs/headless.md lists them)."""

from __future__ import annotations

EXIT_OK = 0
"""Success."""
EXIT_USAGE = 2
"""The command line was wrong (argparse exits with 2 too)."""
EXIT_BACKEND = 3
"""The backend failed or refused, or a service could not start."""
EXIT_BAD_INPUT = 4
"""A file or argument was unusable."""
EXIT_INTERRUPTED = 130
"""Ctrl+C."""
