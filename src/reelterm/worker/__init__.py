"""The one backend worker: owns the client and the session, runs commands, emits plain events."""

from reelterm.worker.options import Backend, TurnTimings, WorkerTimings
from reelterm.worker.worker import BackendWorker

__all__ = ["Backend", "BackendWorker", "TurnTimings", "WorkerTimings"]
