"""What a worker is given: the backend to talk to, its poll intervals and its turn limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from reelterm.protocol import LOCAL_UPLOADS, SUPPORTED_UPLOADS


@dataclass(frozen=True)
class TurnTimings:
    """How long a turn may be quiet or last; tests shrink these."""

    still_working_s: float = 120.0
    """Heartbeats only for this long: say "Still working…" (and again each time it passes)."""
    heartbeat_timeout_s: float = 600.0
    """Heartbeats only (or nothing) for this long: the turn has timed out."""
    turn_timeout_s: float = 900.0
    """The whole turn may last this long."""


@dataclass(frozen=True)
class Backend:
    """Where the worker connects: what `reelterm.cli.backend.open_backend` yields."""

    base_url: str
    token: str | None = field(default=None, repr=False)
    """The local engine's token (kept out of the repr); None lets the client use NEMO_TOKEN,
    stored or anonymous tokens."""
    is_local: bool = False
    label: str = ""
    """For people: `local engine`, `hosted` or the URL."""

    @property
    def nearby(self) -> bool:
        """True for the embedded engine or any backend on loopback (`reelterm serve`): poll fast."""
        host = (urlsplit(self.base_url).hostname or "").lower()
        return self.is_local or host in ("localhost", "127.0.0.1", "::1") or host.startswith("127.")

    @property
    def upload_types(self) -> tuple[str, ...]:
        """The file extensions this backend takes: reelterm's own engine (embedded or `reelterm serve`
        on loopback) probes whatever FFmpeg decodes; the hosted API takes the protocol's 13 formats."""
        return LOCAL_UPLOADS if self.nearby else SUPPORTED_UPLOADS

    @property
    def key(self) -> str:
        """What the journal files this backend's session and renders under."""
        return "local" if self.is_local else self.base_url.rstrip("/")


@dataclass(frozen=True)
class WorkerTimings:
    """Intervals and limits; `None` poll intervals mean 1 s on a local engine (embedded or on
    loopback) and 30 s elsewhere (the hosted API)."""

    turn: TurnTimings = field(default_factory=TurnTimings)
    state_poll_s: float | None = None
    """How often the state is polled after a broken stream."""
    render_poll_s: float | None = None
    """How often a render's status is polled."""
    broken_polls: int = 5
    """Unchanged state polls after a broken stream before the turn is reported failed."""

    def state_poll(self, nearby: bool) -> float:
        """Seconds between state polls after a broken stream (1 s nearby, else 30 s, unless set)."""
        return self.state_poll_s if self.state_poll_s is not None else (1.0 if nearby else 30.0)

    def render_poll(self, nearby: bool) -> float:
        """Seconds between render status polls (1 s nearby, else 30 s, unless set)."""
        return self.render_poll_s if self.render_poll_s is not None else (1.0 if nearby else 30.0)
