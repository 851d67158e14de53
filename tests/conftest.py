"""Shared fixtures: every test gets its own REELTERM_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def reelterm_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every reelterm directory at a private tmp dir and drop backend env vars."""
    home = tmp_path / "reelterm-home"
    monkeypatch.setenv("REELTERM_HOME", str(home))
    monkeypatch.delenv("NEMO_TOKEN", raising=False)
    monkeypatch.delenv("REELTERM_API", raising=False)
    return home
