"""Every directory reelterm uses, from platformdirs; `REELTERM_HOME` puts them all under one root."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP = "reelterm"


@dataclass(frozen=True)
class AppPaths:
    """The directories of one install."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path
    state_dir: Path
    export_dir: Path

    @property
    def config_file(self) -> Path:
        """`config.toml`."""
        return self.config_dir / "config.toml"

    @property
    def credentials_file(self) -> Path:
        """Token and client id, mode 0600."""
        return self.config_dir / "credentials.json"

    @property
    def engine_dir(self) -> Path:
        """The local engine's data: SQLite, uploads, renders."""
        return self.data_dir / "engine"

    def ensure(self) -> AppPaths:
        """Create the directories (private to the user) and return self."""
        for path in (self.config_dir, self.data_dir, self.cache_dir, self.state_dir):
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self


def app_paths(home: str | os.PathLike[str] | None = None) -> AppPaths:
    """The directories to use: under `home` or `$REELTERM_HOME` when set, else platformdirs."""
    root = home if home is not None else os.environ.get("REELTERM_HOME")
    if root:
        base = Path(root).expanduser()
        return AppPaths(base / "config", base / "data", base / "cache", base / "state", base / "exports")
    return AppPaths(
        Path(platformdirs.user_config_dir(APP)),
        Path(platformdirs.user_data_dir(APP)),
        Path(platformdirs.user_cache_dir(APP)),
        Path(platformdirs.user_state_dir(APP)),
        Path(platformdirs.user_videos_dir()) / APP,
    )
