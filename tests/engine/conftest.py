"""Fixtures: a real engine on 127.0.0.1, an httpx client, tiny media made with ffmpeg lavfi."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reelterm.engine.embedded import EmbeddedEngine, start_embedded
from support.basic_agent import BasicAgent

from .helpers import make_media


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Media made once for the whole run."""
    root = tmp_path_factory.mktemp("media")
    make_media(root / "clip.mp4", "video", 2.0)
    make_media(root / "av.mp4", "av", 1.0)
    make_media(root / "tone.wav", "audio", 1.5)
    make_media(root / "tone.m4a", "audio", 1.0)
    make_media(root / "pic.png", "image")
    return root


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[EmbeddedEngine]:
    """An embedded engine with short heartbeats and a one-hour token window.

    Protocol tests run the engine's small reference agent so they test the server, not the
    studio agent's wording (tests/agent covers that, and tests/worker runs the default agent).
    """
    eng = start_embedded(data_dir=tmp_path / "engine", agent=BasicAgent(), heartbeat_s=0.2, token_window_s=3600,
                         max_upload_bytes=2 * 1024 * 1024, render_poll_s=0.1)
    yield eng
    eng.stop()


@pytest.fixture
def api(engine: EmbeddedEngine) -> Iterator[httpx.Client]:
    """An httpx client with the engine's token, client id and attribution headers."""
    with httpx.Client(base_url=engine.base_url, headers=engine.headers, timeout=60) as client:
        yield client
