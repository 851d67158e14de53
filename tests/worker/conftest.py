"""Fixtures of the worker tests: tiny lavfi media, the real embedded engine, an event recorder."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from worker_helpers import Recorder, fast_timings

from reelterm.config import app_paths
from reelterm.worker import Backend, BackendWorker
from support.scripted_server import ScriptedServer


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def _make(path: Path, args: list[str]) -> Path:
    subprocess.run([_ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", *args, str(path)],
                   check=True, timeout=60)
    return path


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`clip.mp4` (1 s 64x64 video, no audio) and `tone.wav` (1 s sine), made once."""
    root = tmp_path_factory.mktemp("worker-media")
    _make(root / "clip.mp4", ["-f", "lavfi", "-i", "testsrc=size=64x64:rate=10:duration=1",
                              "-pix_fmt", "yuv420p"])
    _make(root / "tone.wav", ["-f", "lavfi", "-i", "sine=frequency=330:duration=1"])
    (root / "notes.xyz").write_text("not media")
    return root


@pytest.fixture
def paths(reelterm_home: Path):
    """The app paths under this test's REELTERM_HOME, created."""
    return app_paths().ensure()


@pytest.fixture
def start_engine(paths) -> Iterator[Callable[..., object]]:
    """Start an embedded engine on this test's data dir (stopped at the end); options go to it."""
    from reelterm.engine.embedded import start_embedded

    started = []

    def start(**options: object):
        opts = {"heartbeat_s": 0.2, "render_poll_s": 0.1, **options}
        eng = start_embedded(paths, **opts)
        started.append(eng)
        return eng

    yield start
    for eng in started:
        eng.stop()


@pytest.fixture
def engine(start_engine):
    """The embedded engine with its default agent."""
    return start_engine()


@pytest.fixture
async def make_worker(paths) -> AsyncIterator[Callable[..., tuple[BackendWorker, Recorder]]]:
    """`make_worker(backend, **timings)` -> (worker, recorder); every worker is stopped at the end."""
    workers: list[BackendWorker] = []

    def make(backend: Backend, **timings: float) -> tuple[BackendWorker, Recorder]:
        rec = Recorder()
        worker = BackendWorker(backend, paths=paths, emit=rec, timings=fast_timings(**timings))
        workers.append(worker)
        return worker, rec

    yield make
    for worker in workers:
        await worker.stop()


# ---- the scripted NemoVideo server (tests/support/scripted_server.py), shared with the client tests


@pytest.fixture
def scripted(scripted_server: ScriptedServer) -> ScriptedServer:
    """The scripted backend (tests/conftest.py), under the worker tests' name."""
    return scripted_server


@pytest.fixture
def scripted_backend(scripted: ScriptedServer) -> Backend:
    """The worker's view of the scripted backend (a remote one: anonymous token)."""
    return Backend(scripted.base_url, None, False, "scripted")
