"""The render queue: jobs persisted in SQLite, claimed atomically, leased, re-queued after a crash."""

from __future__ import annotations

import contextlib
import inspect
import json
import logging
import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reelterm.engine.storage import is_disk_full
from reelterm.engine.store.db import Database
from reelterm.media.formats import DRAFT_TARGETS
from reelterm.protocol import Draft

log = logging.getLogger("reelterm.engine.renders")

MAX_ATTEMPTS = 3
"""A job that has been started this many times without finishing fails."""
BUDGET_BASE_S = 120.0
"""Every render may take this long at least (ffmpeg start, probing, loudness pass)."""
BUDGET_PER_S = {"draft": 6.0, "standard": 10.0, "high": 20.0}
"""Wall-clock seconds a render may take per second of timeline, by quality (about 10x what a
loaded 2-core machine needs), on top of `BUDGET_BASE_S`."""
STILLS = ("jpg", "png")
"""Still formats: one frame of the draft at a time (`at_ms`), run by their own worker thread."""
FORMATS = (*DRAFT_TARGETS, *STILLS)
"""What a render can be: every draft target of `reelterm.media` (videos, a GIF, the sound alone), or a still."""
_LIVE: set[str] = set()
"""Queue instances alive in this process."""


def _proc_start(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return "?"


def _owner_alive(owner: str | None) -> bool:
    """False when `owner` is certainly gone (same host, dead pid or a stopped instance)."""
    if not owner:
        return False
    try:
        host, pid_s, start, instance = owner.split("|", 3)
        pid = int(pid_s)
    except ValueError:
        return False
    if host != socket.gethostname():
        return True  # cannot tell; the lease decides
    if pid == os.getpid():
        return instance in _LIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return start == "?" or _proc_start(pid) == start


RenderFn = Callable[..., Path]
ResolverFor = Callable[[str], Callable[[str], Path]]


class RenderQueue:
    """Runs render jobs in worker threads; several processes may share one database safely."""

    def __init__(self, db: Database, out_dir: Path, resolver_for: ResolverFor, *,
                 workers: int = 1, lease_s: float = 20.0, poll_s: float = 0.5,
                 render: RenderFn | None = None) -> None:
        self.db, self.out_dir, self.resolver_for = db, out_dir, resolver_for
        self.workers, self.lease_s, self.poll_s = max(1, workers), lease_s, poll_s
        self._render = render
        self._render_close = getattr(render, "close", None)  # the hub's broker connections
        self.instance = secrets.token_hex(6)
        pid = os.getpid()
        self.owner = f"{socket.gethostname()}|{pid}|{_proc_start(pid)}|{self.instance}"
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._wake_still = threading.Event()
        self._threads: list[threading.Thread] = []
        self._cancels: dict[str, threading.Event] = {}
        self._running = threading.Lock()
        """Held while `stop` starts and while a worker registers a job it is about to run."""

    # ---- the public side -----------------------------------------------------------------
    def submit(self, job_id: str, session_id: str, user_id: str, draft: dict[str, Any],
               fmt: str, quality: str, at_ms: int | None = None) -> str:
        """Queue a job; returns its id (a fresh one when `job_id` is taken). `at_ms`: a still's time."""
        now = time.time()
        with self.db.tx() as conn:
            if conn.execute("SELECT 1 FROM renders WHERE id = ?", (job_id,)).fetchone():
                job_id = f"render_{int(now * 1000)}_{secrets.token_hex(3)}"
            conn.execute("INSERT INTO renders (id, session_id, user_id, draft, format, quality, status,"
                         " progress, download_key, created_at, updated_at, at_ms) VALUES"
                         " (?, ?, ?, ?, ?, ?, 'pending', 5, ?, ?, ?, ?)",
                         (job_id, session_id, user_id, json.dumps(draft), fmt, quality,
                          secrets.token_urlsafe(18), now, now, at_ms))
        (self._wake_still if fmt in STILLS else self._wake).set()
        return job_id

    def get(self, job_id: str) -> dict[str, Any] | None:
        """A job's row as a dict, or None."""
        row = self.db.one("SELECT * FROM renders WHERE id = ?", (job_id,))
        return dict(row) if row else None

    def cancel(self, job_id: str) -> dict[str, Any] | None:
        """Ask a job to stop: a pending job is cancelled at once, a running one kills its ffmpeg."""
        with self.db.tx() as conn:
            conn.execute("UPDATE renders SET cancel_requested = 1, updated_at = ? WHERE id = ?",
                         (time.time(), job_id))
            conn.execute("UPDATE renders SET status = 'cancelled', updated_at = ? WHERE id = ?"
                         " AND status = 'pending'", (time.time(), job_id))
        event = self._cancels.get(job_id)
        if event is not None:
            event.set()
        return self.get(job_id)

    def start(self) -> None:
        """Clean up leftovers and start the worker threads."""
        _LIVE.add(self.instance)
        self._sweep_parts()
        for i in range(self.workers):
            t = threading.Thread(target=self._loop, name=f"render-{i}", daemon=True)
            t.start()
            self._threads.append(t)
        # stills (previews) never wait behind a long export
        t = threading.Thread(target=self._loop, args=(True,), name="render-stills", daemon=True)
        t.start()
        self._threads.append(t)

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop the workers and wait for them (at most `timeout` s in all): running jobs are killed
        and put back in the queue. True when every worker ended; calling it again is harmless."""
        with self._running:
            self._stop.set()
            running = list(self._cancels.values())
        self._wake.set()
        self._wake_still.set()
        for event in running:
            event.set()
        deadline = time.monotonic() + timeout
        for t in self._threads:
            t.join(max(0.0, deadline - time.monotonic()))
        left = [t.name for t in self._threads if t.is_alive()]
        if left:
            log.warning("render workers still running after %.0f s: %s", timeout, ", ".join(left))
        _LIVE.discard(self.instance)
        close, self._render_close = self._render_close, None
        if callable(close):
            close()
        return not left

    # ---- the worker side -----------------------------------------------------------------
    def claim(self, stills_only: bool = False) -> dict[str, Any] | None:
        """Atomically take the oldest runnable job (pending, or abandoned by a dead owner)."""
        now = time.time()
        with self.db.tx() as conn:
            for row in conn.execute("SELECT id, owner, lease_until FROM renders WHERE status = 'processing'"
                                    ).fetchall():
                leased = (row["lease_until"] or 0) >= now
                if row["owner"] == self.owner:
                    if leased or row["id"] in self._cancels:
                        continue  # running here
                elif leased and _owner_alive(row["owner"]):
                    continue
                conn.execute("UPDATE renders SET status = 'pending', owner = NULL, updated_at = ?"
                             " WHERE id = ? AND status = 'processing'", (now, row["id"]))
                log.warning("re-queued render %s (its worker is gone)", row["id"])
            conn.execute("UPDATE renders SET status = 'cancelled', updated_at = ? WHERE status = 'pending'"
                         " AND cancel_requested = 1", (now,))
            conn.execute("UPDATE renders SET status = 'failed', error = ?, updated_at = ? WHERE"
                         " status = 'pending' AND attempts >= ?",
                         ("The render stopped too many times.", now, MAX_ATTEMPTS))
            only = f" AND format IN ({', '.join('?' * len(STILLS))})" if stills_only else ""
            row = conn.execute("SELECT * FROM renders WHERE status = 'pending' AND cancel_requested = 0"  # noqa: S608
                               f"{only} ORDER BY created_at, rowid LIMIT 1",
                               STILLS if stills_only else ()).fetchone()
            if row is None:
                return None
            conn.execute("UPDATE renders SET status = 'processing', owner = ?, lease_until = ?,"
                         " attempts = attempts + 1, updated_at = ? WHERE id = ?",
                         (self.owner, now + self.lease_s, now, row["id"]))
        return dict(row)

    def _loop(self, stills_only: bool = False) -> None:
        wake = self._wake_still if stills_only else self._wake
        while not self._stop.is_set():
            try:
                job = self.claim(stills_only)
            except Exception:  # noqa: BLE001 - a locked/broken database must not kill the worker
                log.exception("render claim failed")
                job = None
            if job is None:
                wake.wait(self.poll_s)
                wake.clear()
                continue
            try:
                self._run(job)
            except Exception:  # noqa: BLE001 - e.g. a full disk at the final update; the lease re-queues it
                log.exception("render %s could not be recorded", job["id"])
                self._wake.wait(self.poll_s)

    def _run(self, job: dict[str, Any]) -> None:
        job_id = job["id"]
        cancel = threading.Event()
        with self._running:
            if self._stop.is_set():  # claimed as the queue stopped: back untouched, attempt not counted
                self._release(job_id)
                return
            self._cancels[job_id] = cancel
        progress = [5.0]
        done, timed_out = threading.Event(), threading.Event()
        try:
            draft = Draft.model_validate(json.loads(job["draft"]))
            budget = render_budget_s(draft.duration_ms, job["quality"])
        except (ValueError, TypeError):
            draft, budget = None, BUDGET_BASE_S
        started = time.monotonic()

        def on_progress(pct: float) -> None:
            progress[0] = max(progress[0], min(99.0, 5.0 + 0.94 * float(pct)))

        def heartbeat() -> None:
            while not done.wait(min(0.5, self.lease_s / 4)):
                if time.monotonic() - started > budget and not timed_out.is_set():
                    timed_out.set()  # over its wall-clock budget: kill ffmpeg, fail the job
                    cancel.set()
                with contextlib.suppress(Exception):
                    with self.db.tx() as conn:
                        conn.execute("UPDATE renders SET lease_until = ?, progress = ?, updated_at = ?"
                                     " WHERE id = ? AND owner = ?",
                                     (time.time() + self.lease_s, round(progress[0], 1), time.time(),
                                      job_id, self.owner))
                        row = conn.execute("SELECT cancel_requested FROM renders WHERE id = ?",
                                           (job_id,)).fetchone()
                    if row is not None and row["cancel_requested"]:
                        cancel.set()

        hb = threading.Thread(target=heartbeat, daemon=True)
        hb.start()
        out = self.out_dir / f"{job_id}.{job['format']}"
        status, error = "completed", None
        warnings: list[str] = []
        try:
            if draft is None:
                raise ValueError("the stored draft cannot be read")
            fn = self._render_fn()
            if job.get("at_ms") is not None and "at_ms" not in inspect.signature(fn).parameters:
                fn = pick_renderer()  # a still at a time is one frame: rendered here, never farmed out
            extra: dict[str, Any] = {}
            params = inspect.signature(fn).parameters
            if "cache_dir" in params:
                extra["cache_dir"] = self.out_dir.parent / "cache"
            if "on_warning" in params:
                extra["on_warning"] = warnings.append
            if job.get("at_ms") is not None and "at_ms" in params:
                extra["at_ms"] = int(job["at_ms"])
            if "job_id" in params:  # the hub keys the render's parts by it
                extra["job_id"] = job_id
            if "keep_parts" in params:  # a stop (not a cancel) keeps the hub's finished parts
                extra["keep_parts"] = lambda: self._stop.is_set() and not self._cancel_requested(job_id)
            fn(draft, out, resolve=self.resolver_for(job["session_id"]), quality=job["quality"],
               on_progress=on_progress, cancel=cancel, **extra)
            if not out.is_file():
                raise RuntimeError("the renderer wrote no file")
            os.chmod(out, 0o600)  # ffmpeg creates files by the umask; renders are the owner's only
        except Exception as exc:  # noqa: BLE001 - every failure becomes the job's error sentence
            if timed_out.is_set():
                status = "failed"
                error = (f"The render took longer than its {_minutes(budget)} limit for a "
                         f"{draft.duration_ms / 1000 if draft else 0:.0f}-second timeline, so it was stopped. "
                         "Export a shorter timeline or a lower quality.")
                log.warning("render %s stopped after %.0f s (its budget)", job_id, budget)
            elif cancel.is_set():
                status = "pending" if self._stop.is_set() and not self._cancel_requested(job_id) \
                    else "cancelled"
            else:
                status, error = "failed", _sentence(exc)
                log.warning("render %s failed: %s", job_id, exc)
        finally:
            done.set()
            hb.join(5)
            self._cancels.pop(job_id, None)
        with self.db.tx() as conn:
            conn.execute("UPDATE renders SET status = ?, progress = ?, error = ?, output_path = ?,"
                         " owner = CASE WHEN ? = 'pending' THEN NULL ELSE owner END, updated_at = ?,"
                         " warnings = ? WHERE id = ? AND owner = ?",
                         (status, 100.0 if status == "completed" else progress[0], error,
                          str(out) if status == "completed" else None, status, time.time(),
                          json.dumps(warnings[:20]) if warnings else None, job_id, self.owner))
        # a job put back by a stop keeps the attempt it used: one that never finishes cannot
        # restart with every engine start (MAX_ATTEMPTS ends it)

    def _release(self, job_id: str) -> None:
        with self.db.tx() as conn:
            conn.execute("UPDATE renders SET status = 'pending', owner = NULL, attempts = attempts - 1,"
                         " updated_at = ? WHERE id = ? AND owner = ? AND status = 'processing'",
                         (time.time(), job_id, self.owner))

    def _cancel_requested(self, job_id: str) -> bool:
        row = self.db.one("SELECT cancel_requested FROM renders WHERE id = ?", (job_id,))
        return bool(row and row["cancel_requested"])

    def _render_fn(self) -> RenderFn:
        if self._render is not None:
            return self._render
        return pick_renderer()

    def _sweep_parts(self) -> None:
        """Delete temp outputs left by a crash (`.<id>….part.<ext>`) of jobs no live worker owns."""
        live = {r["id"] for r in self.db.query("SELECT id, owner FROM renders WHERE status = 'processing'")
                if _owner_alive(r["owner"])}
        for path in self.out_dir.glob(".*.part*"):
            if not any(path.name.startswith(f".{job_id[:40]}") for job_id in live):
                with contextlib.suppress(OSError):
                    path.unlink()


def render_budget_s(duration_ms: int, quality: str) -> float:
    """The wall-clock seconds a render of a `duration_ms` timeline may take before it is stopped."""
    return BUDGET_BASE_S + BUDGET_PER_S.get(quality, BUDGET_PER_S["high"]) * max(duration_ms, 0) / 1000


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} minutes" if seconds >= 90 else f"{seconds:.0f} seconds"


def pick_renderer() -> RenderFn:
    """`reelterm.media.render_draft` (imported on first use)."""
    from reelterm.media import render_draft

    return render_draft


_PATH = re.compile(r"(?:[A-Za-z]:)?[\\/][^\s:'\"]*[\\/]([^\s:'\"\\/]+)")


def _sentence(exc: Exception) -> str:
    """The error a user sees: reelterm's own sentence (paths shortened to file names), else generic."""
    if is_disk_full(exc):
        return "The disk is full, so the render could not be written. Free some space, then export again."
    text = " ".join(str(exc).split())
    if not text or not type(exc).__module__.startswith("reelterm"):
        return "The render failed."
    return _PATH.sub(r"\1", text)[:300]
