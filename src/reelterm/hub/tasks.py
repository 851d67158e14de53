"""The worker side: the render tasks. Inputs come from the store, outputs go to it, nothing else.

Each task checks its payload strictly (`payload.parse`), works in a fresh folder under the
worker's work folder, writes its one output to the store under a deterministic key and
returns a small JSON dict: `{"ok": true, "frames": n}` or `{"ok": false, "error": sentence,
"final": bool}` or `{"cancelled": true}`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from reelterm.hub.config import HubError
from reelterm.hub.payload import Refused, Task, parse
from reelterm.hub.store import Store, object_key, open_store, output_key

log = logging.getLogger("reelterm.hub.tasks")

MAX_STARTS = 3
"""A chunk started this many times (its worker killed each time) is given up."""
PROGRESS_EVERY_S = 0.3


class MissingPart(Exception):
    """An input of the join is not in the store (the engine sends the missing part again)."""


def cancel_key(render: str, run: str) -> str:
    """The broker key the engine sets to cancel one run of a render."""
    return f"reelterm:cancel:{render}:{run}"


def starts_key(task: Task) -> str:
    """The broker key counting the starts of one output in one run of its render."""
    part = f"{task.frames[0]}-{task.frames[1]}" if task.frames else task.kind
    return f"reelterm:starts:{task.render}:{task.sig}:{task.run}:{part}"


def chunk_name(frames: tuple[int, int], gop: int) -> str:
    """The file name of the chunk of `frames` encoded with keyframes every `gop` frames."""
    return f"v-{frames[0]:08d}-{frames[1]:08d}-g{gop}.mp4"


def output_name(task: Task) -> str:
    """The output's file name (its key's last part)."""
    if task.kind == "chunk" and task.frames:
        return chunk_name(task.frames, task.gop)
    if task.kind == "sound":
        return "sound.m4a"
    return f"out.{task.fmt}"


def work_root() -> Path:
    """The worker's work folder: `REELTERM_HUB_WORK`, else a folder in reelterm's cache."""
    env = os.environ.get("REELTERM_HUB_WORK")
    if env:
        return Path(env).expanduser().resolve()
    from reelterm.config import app_paths

    return (app_paths().cache_dir / "hub-work").resolve()


def worker_store() -> Store:
    """The store named by `REELTERM_STORE`."""
    return open_store(os.environ.get("REELTERM_STORE", ""))


@contextlib.contextmanager
def _workspace() -> Iterator[Path]:
    root = work_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    _sweep(root)
    path = Path(tempfile.mkdtemp(prefix=f"task-{os.getpid()}-", dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _sweep(root: Path) -> None:
    """Remove task folders left by worker processes that were killed (their pid is gone)."""
    for path in root.glob("task-*-*"):
        try:
            pid = int(path.name.split("-")[1])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except (ValueError, IndexError, PermissionError):
            continue


@contextlib.contextmanager
def _watch_cancel(client: Any, key: str) -> Iterator[threading.Event]:
    """An event set within ~0.2 s of the engine setting `key` in the broker."""
    cancel, done = threading.Event(), threading.Event()

    def watch() -> None:
        while not done.wait(0.2):
            with contextlib.suppress(Exception):  # the broker away for a moment: keep rendering
                if client.exists(key):
                    cancel.set()
                    return

    thread = threading.Thread(target=watch, daemon=True, name="cancel-watch")
    thread.start()
    try:
        yield cancel
    finally:
        done.set()
        thread.join(1)


def run(task_self: Any, kind: str, payload: Any) -> dict[str, Any]:
    """Run one task of `kind` (called by the Celery tasks below)."""
    try:
        task = parse(payload, kind)
    except Refused as exc:
        log.warning("refused a %s task: %s", kind, exc)
        text = str(exc)
        if not text.startswith("The worker refused"):
            text = f"The worker refused the task: {text[:1].lower()}{text[1:]}"
        return {"ok": False, "final": True, "error": text}
    client = task_self.app.backend.client
    if client.exists(cancel_key(task.render, task.run)):
        return {"cancelled": True}
    starts = int(client.incr(starts_key(task)))
    client.expire(starts_key(task), 24 * 3600)
    if starts > MAX_STARTS:
        return {"ok": False, "final": True,
                "error": f"it stopped its worker {MAX_STARTS} times (out of memory, or killed)"}
    try:
        store = worker_store()
    except HubError as exc:
        return {"ok": False, "final": False, "error": f"the worker's store is not usable: {exc}"}
    last = [0.0]
    task_id = task_self.request.id  # the request is thread-local; ffmpeg's progress comes from a thread

    def report(frames: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_S and task_id:
            last[0] = now
            with contextlib.suppress(Exception):
                task_self.update_state(task_id=task_id, state="PROGRESS", meta={"frames": frames})

    from reelterm.media import MediaError, RenderCancelled

    try:
        with _workspace() as work, _watch_cancel(client, cancel_key(task.render, task.run)) as cancel:
            out = work / output_name(task)
            warnings: list[str] = []
            frames = _render(task, store, out, work, cancel, report, warnings.append)
            if cancel.is_set():
                return {"cancelled": True}
            store.put(out, output_key(task.render, task.sig, out.name))
        return {"ok": True, "frames": frames, "warnings": warnings[:20]}
    except RenderCancelled:
        return {"cancelled": True}
    except MissingPart as exc:
        return {"ok": False, "final": False, "missing": True, "error": str(exc)}
    except MediaError as exc:
        text = str(exc)
        for src, name in task.inputs.items():  # the store's names mean nothing to a user
            text = text.replace(name, src)
        return {"ok": False, "final": False, "error": text}
    except FileNotFoundError:
        return {"ok": False, "final": False, "error": "a file it needs is missing from the store"}
    except OSError as exc:
        return {"ok": False, "final": False, "error": f"the worker could not write its files ({exc.strerror})"}
    except Exception as exc:  # noqa: BLE001 - the engine counts it and shows one sentence
        log.exception("a %s task failed", kind)
        return {"ok": False, "final": False, "error": f"the worker hit an unexpected {type(exc).__name__}"}


def _render(task: Task, store: Store, out: Path, work: Path, cancel: threading.Event,
            report: Callable[[int], None], warn: Callable[[str], None]) -> int:
    """Make the task's output file; returns the frames it covers."""
    from reelterm.media.chunks import join_chunks, render_chunk
    from reelterm.media.render import render_draft

    def resolve(src: str) -> Path:  # inputs: read in place (a folder) or cached by content hash (S3)
        return store.fetch(object_key(task.inputs[src]), work.parent / "objects")

    cache = work / "cache"
    if task.kind == "chunk":
        assert task.frames is not None
        count = task.frames[1] - task.frames[0]
        render_chunk(task.draft, out, task.frames, gop=task.gop, resolve=resolve, quality=task.quality,
                     cache_dir=cache, cancel=cancel, on_warning=warn,
                     on_progress=lambda pct: report(round(count * pct / 100)))
        return count
    if task.kind == "sound":
        render_draft(task.draft, out, resolve=resolve, quality=task.quality, cache_dir=cache, cancel=cancel,
                     on_warning=warn)
        return 0
    if task.kind == "assemble":
        parts = []
        for a, b in task.chunks:
            key = output_key(task.render, task.sig, chunk_name((a, b), task.gop))
            if not store.has(key):
                raise MissingPart(f"the chunk of frames {a}-{b} is missing from the store")
            parts.append(store.fetch(key, work / "parts"))
        sound = output_key(task.render, task.sig, "sound.m4a")
        join_chunks(parts, store.fetch(sound, work / "parts") if store.has(sound) else None, out,
                    cancel=cancel)
        return 0
    render_draft(task.draft, out, resolve=resolve, quality=task.quality, cache_dir=cache, cancel=cancel,
                 on_warning=warn, on_progress=lambda pct: report(round(task.total * pct / 100)))
    return task.total


def register(app: Any) -> None:
    """Define the four reelterm tasks on `app`."""
    for kind in ("chunk", "sound", "assemble", "whole"):
        def body(self: Any, payload: Any, _kind: str = kind) -> dict[str, Any]:
            return run(self, _kind, payload)

        body.__name__ = body.__qualname__ = f"reelterm_{kind}"
        app.task(name=f"reelterm.{kind}", bind=True)(body)
