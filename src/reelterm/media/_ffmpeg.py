"""Running one ffmpeg process: argv list, `-progress pipe:1`, cancel, temp output renamed at the end."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from functools import cache
from pathlib import Path

from reelterm.media.errors import FFmpegFailed, RenderCancelled

ProgressFn = Callable[[float], None]


@cache
def ffmpeg_exe() -> str:
    """The ffmpeg binary shipped by imageio-ffmpeg (`REELTERM_FFMPEG` overrides it)."""
    override = os.environ.get("REELTERM_FFMPEG") or os.environ.get("IMAGEIO_FFMPEG_EXE")
    if override:
        return override
    # find the bundled binary without importing imageio_ffmpeg (it pulls in asyncio: ~60 ms)
    import importlib.util

    spec = importlib.util.find_spec("imageio_ffmpeg")
    if spec is not None and spec.submodule_search_locations:
        for root in spec.submodule_search_locations:
            found = sorted(Path(root, "binaries").glob("ffmpeg-*"))
            found = [p for p in found if p.is_file() and os.access(p, os.X_OK)]
            if found:
                return str(found[-1])
    import imageio_ffmpeg

    exe: str = imageio_ffmpeg.get_ffmpeg_exe()
    return exe


def temp_output(out: Path) -> Path:
    """A fresh hidden temp name beside `out`, with the same suffix (the file is not created)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(100):  # not `tempfile`: importing it costs `reelterm merge` ~1 ms
        name = out.parent / f".{out.stem[:40]}.{os.urandom(6).hex()}.part{out.suffix}"
        if not name.exists():
            return name
    raise FileExistsError(f"no free temp name beside {out}")


def _parse_seconds(key: str, value: str) -> float | None:
    try:
        if key in ("out_time_us", "out_time_ms"):  # both are microseconds in ffmpeg
            return int(value) / 1_000_000
        if key == "out_time":
            h, m, s = value.split(":")
            return int(h) * 3600 + int(m) * 60 + float(s)
    except ValueError:
        return None
    return None


@cache
def _prctl() -> Callable[..., int] | None:
    """libc's `prctl` on Linux (resolved once, in the parent), else None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, a `preexec_fn` that makes the child get SIGKILL when its parent dies; else None."""
    # PR_SET_PDEATHSIG can only be set between fork and exec, hence the one preexec_fn in
    # reelterm. It stays safe with threads: prctl is resolved in the parent and the child makes
    # two system calls only (no import, lock or logging; glibc's fork resets malloc's locks).
    # The signal follows the *thread* that started ffmpeg, which always waits for it in
    # run_ffmpeg; getppid() catches a parent that died before the prctl.
    prctl = _prctl()
    if prctl is None:
        return None
    parent = os.getpid()

    def arm() -> None:
        prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL
        if os.getppid() != parent:
            os._exit(137)

    return arm


def run_ffmpeg(
    args: list[str],
    *,
    duration_s: float = 0.0,
    on_progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    what: str = "ffmpeg",
    log: list[str] | None = None,
) -> None:
    """Run ffmpeg with `args` (no binary, no progress flags); raise on failure or cancel.

    With `log`, ffmpeg logs at `info` and every line of its stderr is appended to `log`.
    """
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error" if log is None else "info",
            "-progress", "pipe:1", "-nostats", *args]
    # an argv list we built, never a shell
    # dies with us even on SIGKILL (Linux), see _die_with_parent
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,  # noqa: S603
                            stderr=subprocess.PIPE, text=True, errors="replace",
                            preexec_fn=_die_with_parent())  # noqa: PLW1509
    tail: deque[str] = deque(maxlen=30)
    last = [-1.0]

    def read_stdout() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            key, _, value = line.strip().partition("=")
            secs = _parse_seconds(key, value)
            if secs is not None and duration_s > 0 and on_progress is not None:
                pct = max(0.0, min(99.9, 100.0 * secs / duration_s))
                if pct > last[0]:
                    last[0] = pct
                    with contextlib.suppress(Exception):
                        on_progress(pct)

    def read_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if log is not None:
                log.append(line.rstrip())
            if line.strip():
                tail.append(line.rstrip())

    readers = [threading.Thread(target=read_stdout, daemon=True),
               threading.Thread(target=read_stderr, daemon=True)]
    for t in readers:
        t.start()
    cancelled = False
    try:
        # wait on the stdout reader, not with proc.wait(timeout): that one polls with sleeps of up
        # to 50 ms, and ffmpeg's end went unnoticed for ~20 ms on average
        while proc.poll() is None:
            if cancel is not None and cancel.is_set():
                cancelled = True
                proc.kill()
                proc.wait()
                break
            if readers[0].is_alive():
                readers[0].join(timeout=0.1)  # returns as soon as ffmpeg closes its stdout (it ends)
            else:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=0.1)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        for t in readers:
            t.join(timeout=5)
    if cancelled:
        raise RenderCancelled(f"The {what} was cancelled.")
    if proc.returncode != 0:
        detail = _first_error(list(tail)) or f"exit code {proc.returncode}"
        raise FFmpegFailed(f"ffmpeg could not finish the {what}: {detail}", "\n".join(tail))
    if on_progress is not None:
        with contextlib.suppress(Exception):
            on_progress(100.0)


def run_to(
    out: Path,
    build_args: Callable[[Path], list[str]],
    *,
    duration_s: float = 0.0,
    on_progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    what: str = "ffmpeg",
    log: list[str] | None = None,
) -> Path:
    """Run ffmpeg writing to a temp name beside `out`, rename it to `out` on success; clean up otherwise."""
    out = Path(out)
    tmp = temp_output(out)
    try:
        run_ffmpeg(build_args(tmp), duration_s=duration_s, on_progress=on_progress, cancel=cancel, what=what,
                   log=log)
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise FFmpegFailed(f"ffmpeg wrote nothing for {out.name}.")
        os.replace(tmp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return out


def _first_error(lines: list[str]) -> str:
    """The most telling line ffmpeg printed, without its `[filter @ 0x..]` prefix."""
    import re

    for line in lines:
        clean = re.sub(r"^(\[[^\]]*\]\s*)+", "", line).strip()
        if clean and not clean.startswith(("Task finished", "Terminating thread")):
            return clean[:300]
    return ""
