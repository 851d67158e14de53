"""The engine's settings: where it keeps data and how it behaves."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelterm.protocol import MAX_UPLOAD_BYTES

TOKEN_LIFETIME_S = 7 * 24 * 3600
"""How long an anonymous token lasts: 7 days."""


@dataclass
class EngineConfig:
    """Everything `reelterm serve` and the embedded engine can set."""

    data_dir: Path
    credits: float | None = None
    """A budget per token; None means unlimited."""
    allow_private_urls: bool = False
    """Let URL uploads reach loopback and private addresses."""
    token_window_s: float = TOKEN_LIFETIME_S
    """A second anonymous token for one client id inside this window answers 429."""
    heartbeat_s: float = 5.0
    """Seconds between SSE comment heartbeats while the agent works."""
    render_workers: int = 1
    """Renders run at once in this process."""
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    """The largest file an upload may carry."""
    url_timeout_s: float = 60.0
    """The whole time one URL download may take (headers and every byte, however slow)."""
    max_url_fetches: int = 4
    """URL downloads in flight at once in this engine; more are refused (503) until one ends."""
    lease_s: float = 20.0
    """A render's lease; a job whose lease runs out is claimed again."""
    render_poll_s: float = 0.5
    """How often idle render workers look for work."""
    hub: str | None = None
    """A broker URL (with its password): renders go to Celery workers (`reelterm[hub]`)."""
    hub_store: str | None = None
    """The store shared with the workers (a folder or `s3://bucket/prefix`); default `<data_dir>/hub-store`."""
    hub_options: dict[str, Any] = field(default_factory=dict)
    """Keywords for `reelterm.hub.dispatch.HubRenderer` (gop, slots, per_slot, visibility_s...)."""

    @property
    def db_path(self) -> Path:
        """The SQLite file."""
        return self.data_dir / "engine.sqlite3"

    def dirs(self) -> dict[str, Path]:
        """The data sub-directories, created on demand."""
        from reelterm.engine.storage import SUBDIRS, private_dir

        return {name: private_dir(self.data_dir / name) for name in SUBDIRS}
