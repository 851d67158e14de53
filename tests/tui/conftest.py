"""Fixtures for the app's tests: a scripted worker, a fixed clock, a fixed media folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from reelterm.tui.app import ReelApp
from reelterm.worker import events as ev
from support.demo import ScriptedWorker


class FixedClock:
    """A clock tests move by hand."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Harness:
    """An app wired to a scripted worker."""

    def __init__(self, script: dict[str, Sequence[ev.WorkerEvent]] | None = None,
                 **kwargs: Any) -> None:
        self.clock = FixedClock()
        self.worker: ScriptedWorker | None = None
        self.script = dict(script or {})

        def factory(emit: Callable[[ev.WorkerEvent], None]) -> ScriptedWorker:
            self.worker = ScriptedWorker(emit, script=self.script)
            return self.worker

        kwargs.setdefault("clock", self.clock)
        self.app = ReelApp(factory, **kwargs)


@pytest.fixture
def harness() -> Callable[..., Harness]:
    """Build an app with a scripted worker."""
    return Harness


@pytest.fixture
def media_dir(tmp_path: Path) -> Path:
    """A folder with fixed names and sizes (shown relative to `media`)."""
    root = tmp_path / "media"
    (root / "more").mkdir(parents=True)
    (root / "clip.mp4").write_bytes(b"\0" * 2048)
    (root / "music.mp3").write_bytes(b"\0" * 5000)
    (root / "photo.png").write_bytes(b"\0" * 300)
    (root / "notes.txt").write_text("a script\n")
    (root / "setup.exe").write_bytes(b"\0" * 10)
    (root / ".hidden.mp4").write_bytes(b"\0" * 10)
    (root / "more" / "b-roll.mov").write_bytes(b"\0" * 4096)
    return root
