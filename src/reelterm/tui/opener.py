"""Opening a finished render with the system's player (never a shell), or copying its path."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("reelterm.tui")


def has_display(env: dict[str, str] | None = None, platform: str | None = None) -> bool:
    """True when a system player can open a window here (macOS, Windows, or X11/Wayland)."""
    env = dict(os.environ) if env is None else env
    platform = sys.platform if platform is None else platform
    if platform == "darwin" or platform.startswith("win"):
        return "SSH_CONNECTION" not in env
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def opener_argv(path: Path, platform: str | None = None) -> list[str] | None:
    """The argv that opens `path` with the system's player (never a shell), or None."""
    platform = sys.platform if platform is None else platform
    if platform == "darwin":
        tool = shutil.which("open")
    elif platform.startswith("win"):
        return None  # os.startfile would be the way; not offered from a terminal here
    else:
        tool = shutil.which("xdg-open")
    return [tool, str(path)] if tool else None


def open_render(path: Path, copy: Callable[[str], None]) -> str:
    """Open a finished file with the system's player, else `copy` its path; returns what happened."""
    argv = opener_argv(path) if has_display() else None
    if argv is not None:
        try:
            subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,  # noqa: S603
                             stderr=subprocess.DEVNULL, start_new_session=True)
            return f"Opening {path.name} with {Path(argv[0]).name}."
        except OSError as exc:
            log.warning("could not start %s", argv[0], exc_info=exc)
    copy(str(path))
    return f"No display to play it here, so the path was copied: {path}"
