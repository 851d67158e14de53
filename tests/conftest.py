"""Shared fixtures: every test gets its own REELTERM_HOME."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.scripted_server import ScriptedServer, start_scripted_server


@pytest.fixture(autouse=True)
def reelterm_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every reelterm directory at a private tmp dir and drop backend env vars."""
    home = tmp_path / "reelterm-home"
    monkeypatch.setenv("REELTERM_HOME", str(home))
    monkeypatch.delenv("NEMO_TOKEN", raising=False)
    monkeypatch.delenv("REELTERM_API", raising=False)
    monkeypatch.delenv("REELTERM_LLM", raising=False)
    return home


@pytest.fixture(scope="session")
def _scripted_session() -> Iterator[ScriptedServer]:
    script, thread = start_scripted_server()
    yield script
    thread.stop()


@pytest.fixture
def scripted_server(_scripted_session: ScriptedServer) -> Iterator[ScriptedServer]:
    """A scripted NemoVideo backend on a real socket (tests/support), with no script and no
    recorded requests; shared by the client and worker tests."""
    _scripted_session.reset()
    yield _scripted_session
    _scripted_session.reset()
