"""Exports: submit, poll beside the turns, download into the export dir without overwriting."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reelterm.client import NemoClient, ReelError, RouteMissing
from reelterm.protocol import RenderStatus
from reelterm.worker.events import (
    Emit,
    Notice,
    RenderDone,
    RenderFailed,
    RenderProgress,
    RenderQueued,
)
from reelterm.worker.journal import Journal, RenderRecord
from reelterm.worker.paths import local_path

log = logging.getLogger("reelterm.worker")

MAX_POLL_FAILURES = 10
"""Consecutive failed status checks (backend unreachable) before a render is reported lost."""
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_name(text: str, limit: int = 60) -> str:
    """A file-name-safe form of a title or id: letters, digits, `-` and `_` only, never empty."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"[^\w\s-]", " ", text, flags=re.UNICODE)
    text = re.sub(r"\s+", "-", text.strip()).strip("-._")
    text = text[:limit].strip("-._")
    if not text or text.lower() in _RESERVED:
        text = f"reelterm-{text}" if text else "reelterm"
    return text


def target_path(export_dir: Path, title: str, render_id: str, fmt: str, dest: str | None = None) -> Path:
    """Where a render's file goes: `dest` (a file or a folder) or `<title>_<render id>.<fmt>` in the export dir."""
    ext = safe_name(fmt, 8).lower() or "mp4"
    name = f"{safe_name(title)}_{safe_name(render_id, 40)}.{ext}"
    if dest:
        path = local_path(dest)
        if path.is_dir() or dest.endswith(("/", os.sep)):
            return path / name
        return path if path.suffix else path.with_suffix(f".{ext}")
    return export_dir / name


def _numbered(path: Path, n: int) -> Path:
    return path if n == 1 else path.with_name(f"{path.stem}_{n}{path.suffix}")


def place_file(tmp: Path, final: Path) -> Path:
    """Move `tmp` to `final`, or to `final_2`, `final_3`, … — never over an existing file."""
    for n in range(1, 1000):
        candidate = _numbered(final, n)
        try:
            os.link(tmp, candidate)
        except FileExistsError:
            continue
        except OSError:
            if candidate.exists():
                continue
            os.replace(tmp, candidate)
            return candidate
        tmp.unlink(missing_ok=True)
        return candidate
    raise FileExistsError(f"No free file name next to {final}")


class RenderManager:
    """Submits renders and polls each in its own task; every outcome is an event and a journal entry."""

    def __init__(self, client: NemoClient, journal: Journal, emit: Emit, export_dir: Path,
                 poll_s: float) -> None:
        self.client = client
        self.journal = journal
        self.emit = emit
        self.export_dir = export_dir
        self.poll_s = poll_s
        self.tasks: dict[str, asyncio.Task[Path | None]] = {}

    async def submit(self, session_id: str, draft: dict[str, Any], fmt: str, quality: str,
                     title: str, dest: str | None = None) -> RenderRecord:
        """Submit a render, remember it, announce it and start polling it."""
        status = await self.client.submit_render(session_id, draft, fmt=fmt, quality=quality)
        record = RenderRecord(id=status.id, session_id=session_id, fmt=fmt, quality=quality,
                              title=title, dest=dest)
        self.journal.add_render(record)
        given = draft.get("m")
        meta: dict[str, Any] = given if isinstance(given, dict) else {}
        self.emit(RenderQueued(status.id, fmt, quality, width=meta.get("width"),
                               height=meta.get("height"), title=title))
        self.track(record, first=status)
        return record

    def track(self, record: RenderRecord, first: RenderStatus | None = None) -> asyncio.Task[Path | None]:
        """Poll a render in the background (once per render id)."""
        task = self.tasks.get(record.id)
        if task is None or task.done():
            task = asyncio.create_task(self._follow_guarded(record, first), name=f"render-{record.id}")
            self.tasks[record.id] = task
        return task

    def resume(self) -> list[RenderRecord]:
        """Resume polling every render the journal still lists; returns them."""
        records = self.journal.pending()
        for record in records:
            self.track(record)
        return records

    async def _follow_guarded(self, record: RenderRecord, first: RenderStatus | None) -> Path | None:
        """`_follow`, but a bug ends in a `RenderFailed` (the journal keeps the render) and a log line."""
        try:
            return await self._follow(record, first)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported as an event, never silently lost
            log.exception("following render %s failed", record.id)
            return self._fail(record, f"Something went wrong inside reelterm ({type(exc).__name__}).",
                              forget=False)

    async def _follow(self, record: RenderRecord, first: RenderStatus | None) -> Path | None:
        status = first
        failures = 0
        last_progress: tuple[str, float] | None = None
        while True:
            if status is None or not status.finished:
                if status is not None:
                    await asyncio.sleep(self.poll_s)
                try:
                    status = await self.client.render_status(record.id)
                    failures = 0
                except RouteMissing:
                    return self._fail(record, "The backend no longer knows this render.")
                except ReelError as exc:  # unreachable or erring for now: try again, up to a limit
                    failures += 1
                    if failures >= MAX_POLL_FAILURES:
                        return self._fail(record, exc.sentence, forget=False)
                    status = None
                    await asyncio.sleep(self.poll_s)
                    continue
            if (status.status, status.progress) != last_progress:
                last_progress = (status.status, status.progress)
                self.emit(RenderProgress(record.id, status.progress, status.status))
            if status.status == "completed":
                for warning in status.warnings:
                    self.emit(Notice(f"Render {record.id}: {warning}", warning=True))
                return await self._download(record, status)
            if status.status in ("failed", "cancelled"):
                sentence = ("The render was cancelled." if status.status == "cancelled"
                            else f"The render failed: {status.error}" if status.error else "The render failed.")
                return self._fail(record, sentence, cancelled=status.status == "cancelled")

    async def _download(self, record: RenderRecord, status: RenderStatus) -> Path | None:
        """Save the finished file: in its chosen place, else in the export dir; else keep it pending."""
        chosen = target_path(self.export_dir, record.title, record.id, record.fmt, record.dest)
        places = [chosen]
        if record.dest:
            places.append(target_path(self.export_dir, record.title, record.id, record.fmt))
        self.emit(RenderProgress(record.id, 100.0, "downloading"))
        problems: list[str] = []
        for final in places:
            try:
                path = await self._save(status, final)
            except ReelError as exc:
                return self._fail(record, f"The render finished but could not be downloaded: {exc.sentence}",
                                  forget=False)
            except OSError as exc:
                problems.append(f"{final.parent} ({exc.strerror or type(exc).__name__})")
                continue
            if final is not chosen:
                self.emit(Notice(f"The video could not be saved in {problems[0]}, so it was saved in "
                                 f"{path.parent} instead.", warning=True))
            self.journal.finish_render(record.id, "completed", path=path)
            self.emit(RenderDone(record.id, path))
            return path
        return self._fail(record, f"The video could not be saved in {' or in '.join(problems)}. The render "
                          "is kept: make room or fix the folder, then run `reelterm renders` (or reopen "
                          "the app) to download it.", forget=False)

    async def _save(self, status: RenderStatus, final: Path) -> Path:
        """Download into a hidden part file beside `final`, then place it without overwriting."""
        tmp = final.with_name(f".{final.name}.{os.getpid()}.part")
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            await self.client.download(status, tmp)
            return place_file(tmp, final)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise

    def _fail(self, record: RenderRecord, sentence: str, cancelled: bool = False,
              forget: bool = True) -> Path | None:
        """Say the render failed (`forget`: it is over, else kept for `reelterm renders`); None."""
        if forget:
            self.journal.finish_render(record.id, "cancelled" if cancelled else "failed", error=sentence)
            action = "" if cancelled else "Check the timeline, then export again."
        else:
            action = ("The export is remembered: run `reelterm renders` (or reopen the app) once the "
                      "backend is reachable again to finish it.")
        self.emit(RenderFailed(record.id, sentence, cancelled=cancelled, action=action))
        return None

    async def cancel(self, render_id: str) -> None:
        """Ask the backend to cancel a render and stop following it."""
        task = self.tasks.pop(render_id, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        try:
            await self.client.cancel_render(render_id)
        finally:
            self.journal.finish_render(render_id, "cancelled", error="Cancelled by the user.")
            self.emit(RenderFailed(render_id, "The render was cancelled.", cancelled=True))

    async def wait(self, ids: Sequence[str] | None = None) -> None:
        """Wait until every followed render (or those in `ids`) has finished or failed."""
        while True:
            running = [t for rid, t in self.tasks.items() if not t.done() and (ids is None or rid in ids)]
            if not running:
                return
            await asyncio.gather(*running, return_exceptions=True)

    async def stop(self) -> None:
        """Stop following renders; the journal keeps them for the next start."""
        tasks = list(self.tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
