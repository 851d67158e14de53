"""The `reelterm` command itself, run as a user would."""

from __future__ import annotations

import subprocess
import sys

from reelterm import __version__


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reelterm", *args], capture_output=True, text=True, timeout=60)


def test_version_and_help() -> None:
    version = run("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"reelterm {__version__}"
    helptext = run("--help")
    assert helptext.returncode == 0
    for command in ("serve", "render", "merge", "convert", "chat", "export"):
        assert command in helptext.stdout


def test_unknown_command_is_a_usage_error_without_traceback() -> None:
    result = run("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "invalid choice" in result.stderr


def test_the_cli_offers_exactly_the_renderers_qualities() -> None:
    from reelterm.cli import media_cmd, session_cmd
    from reelterm.media.formats import QUALITIES

    assert media_cmd.QUALITIES == session_cmd.QUALITIES == QUALITIES
