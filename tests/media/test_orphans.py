"""ffmpeg never outlives the render: not after a cancel, not after the parent is SIGKILLed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from reelterm.media import RenderCancelled, render_draft

from .conftest import tiny_draft

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc and PR_SET_PDEATHSIG")


def children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if int(ppid) == pid and state != "Z":
                found.append(int(entry.name))
    return found


def ffmpeg_children(pid: int) -> list[int]:
    """Live ffmpeg processes whose parent is `pid`."""
    found = []
    for child in children(pid):
        try:
            exe = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")[0].decode()
        except OSError:
            continue
        if "ffmpeg" in Path(exe).name:
            found.append(child)
    return found


def alive(pid: int) -> bool:
    """`pid` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def long_draft() -> dict:
    return tiny_draft({"tt": 0, "sg": [{"s": 0, "d": 600_000, "src": "gradient:#000000,#ffffff"}]},
                      w=640, h=360, fps=30)


@linux_only
def test_cancel_kills_ffmpeg(tmp_path):
    cancel = threading.Event()
    seen: list[int] = []

    def progress(pct: float) -> None:
        if not seen:
            seen.extend(ffmpeg_children(os.getpid()))
            cancel.set()

    with pytest.raises(RenderCancelled):
        render_draft(long_draft(), tmp_path / "x.mp4", quality="high", cache_dir=tmp_path / "c",
                     on_progress=progress, cancel=cancel)
    assert seen, "ffmpeg was never seen running"
    assert not any(alive(pid) for pid in seen)


@linux_only
def test_sigkilled_parent_takes_ffmpeg_along(tmp_path):
    script = textwrap.dedent(f"""
        import sys
        from reelterm.media import render_draft
        started = []
        def progress(pct):
            if not started:
                started.append(1)
                print("rendering", flush=True)
        render_draft({long_draft()!r}, {str(tmp_path / "x.mp4")!r}, quality="high",
                     cache_dir={str(tmp_path / "c")!r}, on_progress=progress)
    """)
    env = dict(os.environ, REELTERM_HOME=str(tmp_path / "home"))
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline().strip() == "rendering"
        ffmpegs = ffmpeg_children(parent.pid)
        assert ffmpegs, "no ffmpeg under the rendering process"
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in ffmpegs) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in ffmpegs), "ffmpeg outlived its SIGKILLed parent"
