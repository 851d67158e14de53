"""The engine side of the hub: a render function that splits a draft into Celery tasks.

`HubRenderer` is called by the engine's render queue exactly like `reelterm.media.render_draft`
(in the queue's thread, under its lease), so the queue's SQLite rows stay the truth: a render the
engine lost is claimed again and only the parts missing from the store are sent again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from reelterm.hub import QUEUE, TASK_VERSION
from reelterm.hub.config import VISIBILITY_S, make_app, mask
from reelterm.hub.plan import (
    CHUNKS_PER_SLOT,
    MIN_CHUNK_S,
    max_chunk_seconds,
    plan_chunks,
    total_frames,
)
from reelterm.hub.store import Store, file_sha256, object_name, output_key
from reelterm.hub.tasks import cancel_key, chunk_name
from reelterm.media.errors import MediaError, RenderCancelled
from reelterm.media.formats import check_quality, output_format
from reelterm.protocol import Draft
from reelterm.protocol.draft import source_kind

log = logging.getLogger("reelterm.hub")

MAX_TRIES = 3
"""A part that fails this many times fails the render."""
EPOCH = "reelterm:epoch"
"""A key the engine keeps in the broker: when it vanishes the broker lost its data."""
_RENDER_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class HubRenderFailed(MediaError):
    """A distributed render failed; the text names the part and the cause."""


@dataclass
class Part:
    """One task of a render and what the engine knows of it."""

    kind: str
    key: str
    frames: tuple[int, int] | None = None
    task_id: str = ""
    tries: int = 0
    done: bool = False
    progress: int = 0
    error: str = ""

    @property
    def weight(self) -> int:
        """Frames this part stands for in the progress."""
        return self.frames[1] - self.frames[0] if self.frames else 0

    def what(self) -> str:
        """The part in a sentence."""
        if self.kind == "chunk" and self.frames:
            return f"The part of the video from frame {self.frames[0]} to {self.frames[1] - 1}"
        return {"sound": "The sound of the video", "assemble": "Joining the parts of the video"}.get(
            self.kind, "The render")


class HubRenderer:
    """Renders through Celery workers and a shared store; call it like `render_draft`."""

    def __init__(self, url: str, store: Store, *, visibility_s: float = VISIBILITY_S,
                 gop: int | None = None, per_slot: int = CHUNKS_PER_SLOT, min_chunk_s: float = MIN_CHUNK_S,
                 slots: int | None = None, poll_s: float = 0.2, outage_s: float = 120.0) -> None:
        self.url, self.store = url, store
        self.app = make_app(url, visibility_s=visibility_s)
        self.visibility_s, self.gop, self.per_slot, self.min_chunk_s = visibility_s, gop, per_slot, min_chunk_s
        self.slots, self.poll_s, self.outage_s = slots, poll_s, outage_s
        self._sha: dict[tuple[str, int, int], str] = {}
        self._slots_seen: tuple[float, int] = (0.0, 0)
        self._lock = threading.Lock()

    # ---- set-up ---------------------------------------------------------------------------
    def check(self) -> None:
        """Raise `HubRenderFailed` with a sentence unless the broker answers and the store is writable."""
        try:
            self.app.backend.client.ping()
        except Exception as exc:  # noqa: BLE001 - wrong password, nothing listening...
            raise HubRenderFailed(f"The hub at {mask(self.url)} does not answer ({self._short(exc)}).") from None
        self.store.check()

    def slot_count(self) -> int:
        """Worker slots online (asked at most every 30 s); 1 when none answer."""
        if self.slots:
            return self.slots
        seen_at, count = self._slots_seen
        if time.monotonic() - seen_at < 30 and count:
            return count
        count = 0
        with contextlib.suppress(Exception):
            stats = self.app.control.inspect(timeout=1.0).stats() or {}
            count = sum(int((s.get("pool") or {}).get("max-concurrency") or 1) for s in stats.values())
        self._slots_seen = (time.monotonic(), count)
        return max(1, count)

    def close(self) -> None:
        """Release the broker connections."""
        with contextlib.suppress(Exception):
            self.app.close()

    # ---- one render ---------------------------------------------------------------------------
    def __call__(self, draft: Draft | dict[str, Any], out: str | Path, *, resolve: Callable[[str], Path] | None = None,
                 quality: str = "standard", on_progress: Callable[[float], None] | None = None,
                 cancel: threading.Event | None = None, on_warning: Callable[[str], None] | None = None,
                 job_id: str | None = None, keep_parts: Callable[[], bool] | None = None) -> Path:
        """Render `draft` to `out` on the workers; raises like `render_draft` (`MediaError`s).

        `keep_parts()` is asked when `cancel` is set: True (the engine is stopping and will run the
        render again) leaves the workers going and their parts in the store for the next run.
        """
        if isinstance(draft, dict):
            draft = Draft.model_validate(draft)
        out, cancel = Path(out), cancel or threading.Event()
        fmt, quality = output_format(out), check_quality(quality)
        if not draft.ready or draft.duration_ms <= 0:
            raise MediaError("The draft is empty: add a clip, some music or a title before rendering.")
        render_id = job_id if job_id and _RENDER_ID.fullmatch(job_id) else \
            "r" + hashlib.sha256(str(out).encode()).hexdigest()[:20]
        inputs = self._inputs(draft, resolve)
        total = total_frames(draft.duration_ms, draft.m.fps)
        plan = None
        if fmt.suffix == "mp4":
            plan = plan_chunks(total, draft.m.fps, self.slot_count(), gop=self.gop, per_slot=self.per_slot,
                               max_chunk_s=max_chunk_seconds(self.visibility_s), min_chunk_s=self.min_chunk_s)
        # the parts' names carry their frames and GOP, so a re-run with another plan reuses what fits
        sig = hashlib.sha256(json.dumps([draft.wire(), quality, fmt.suffix, inputs],
                                        sort_keys=True).encode()).hexdigest()[:24]
        run = secrets.token_hex(8)
        base = {"v": TASK_VERSION, "render": render_id, "sig": sig, "run": run, "draft": draft.wire(),
                "inputs": inputs, "quality": quality, "format": fmt.suffix, "total": total,
                "frames": None, "gop": plan.gop if plan else 0, "chunks": []}

        def key(name: str) -> str:
            return output_key(render_id, sig, name)

        report = on_progress or (lambda pct: None)
        keep = keep_parts or (lambda: False)
        if on_warning is not None:
            heard: set[str] = set()
            told = on_warning

            def on_warning(text: str) -> None:  # every chunk finds the same missing letters
                if text not in heard:
                    heard.add(text)
                    told(text)
        try:
            if plan is None:
                whole = Part("whole", key(f"out.{fmt.suffix}"), frames=(0, total))
                self._run([whole], base, cancel, report, total, 0.0, 99.0, on_warning, keep)
            else:
                parts = [Part("sound", key("sound.m4a")),
                         *(Part("chunk", key(chunk_name((a, b), plan.gop)), frames=(a, b))
                           for a, b in plan.chunks)]
                self._run(parts, base, cancel, report, total, 0.0, 95.0, on_warning, keep)
                whole = Part("assemble", key("out.mp4"))
                self._run([whole], {**base, "chunks": [list(c) for c in plan.chunks]}, cancel, report,
                          1, 95.0, 99.0, on_warning, keep)
            self._deliver(whole.key, out)
        except RenderCancelled:
            if not _resuming(cancel, keep):
                self.store.delete_render(render_id)
            raise
        except BaseException:
            with contextlib.suppress(Exception):
                self.app.backend.client.set(cancel_key(render_id, run), 1, ex=3600)
            self.store.delete_render(render_id)
            raise
        self.store.delete_render(render_id)
        return out

    def _inputs(self, draft: Draft, resolve: Callable[[str], Path] | None) -> dict[str, str]:
        """Put every upload and asset the draft uses in the store; {reference: stored name}."""
        refs = sorted({seg.src for t in draft.t for seg in t.sg
                       if seg.src and source_kind(seg.src) in ("upload", "asset")})
        found: dict[str, str] = {}
        for src in refs:
            try:
                path = Path(resolve(src)) if resolve is not None else None
            except (KeyError, FileNotFoundError, LookupError):
                path = None
            if path is None or not path.is_file():
                raise MediaError(f"The draft refers to {src[:80]}, which was not found.")
            st = path.stat()
            memo = (str(path), st.st_size, st.st_mtime_ns)
            with self._lock:
                sha = self._sha.get(memo)
            if sha is None:
                sha = file_sha256(path)
                with self._lock:
                    self._sha[memo] = sha
            name = object_name(path, sha)
            self.store.put_input(path, name)
            found[src] = name
        return found

    def _deliver(self, key: str, out: Path) -> None:
        """Copy the finished file from the store to `out` through a hidden temp name."""
        if not self.store.has(key):
            raise HubRenderFailed("The finished video is missing from the store.")
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.parent / f".{out.stem[:40]}.{os.urandom(6).hex()}.part{out.suffix}"
        try:
            self.store.copy_out(key, tmp)
            os.replace(tmp, out)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    # ---- the waiting loop --------------------------------------------------------------------
    def _send(self, part: Part, base: dict[str, Any]) -> None:
        """Publish one try of `part` (its try count and task id change only once it is sent)."""
        tries = part.tries + 1
        span = f"{part.frames[0]}-{part.frames[1]}" if part.frames and part.kind == "chunk" else part.kind
        task_id = f"{base['render']}.{base['sig'][:8]}.{base['run']}.{span}.{tries}"
        payload = {**base, "kind": part.kind,
                   "frames": list(part.frames) if part.kind == "chunk" and part.frames else None}
        self.app.send_task(f"reelterm.{part.kind}", args=[payload], task_id=task_id, queue=QUEUE)
        part.tries, part.task_id, part.progress = tries, task_id, 0

    def _run(self, parts: list[Part], base: dict[str, Any], cancel: threading.Event,
             report: Callable[[float], None], total: int, low: float, high: float,
             on_warning: Callable[[str], None] | None, keep: Callable[[], bool]) -> None:
        """Send the parts not already in the store and wait until every one is there."""
        client = self.app.backend.client
        for part in parts:
            part.done = self.store.has(part.key)
            if part.done:
                part.progress = part.weight
        epoch: bytes | None = None
        unsent = [part for part in parts if not part.done]
        last_ok, last_epoch = time.monotonic(), 0.0
        while True:
            if cancel.is_set():
                if _resuming(cancel, keep):
                    self._release(parts)
                else:
                    self._stop(parts, base, cancel_all=True)
                raise RenderCancelled("The render was cancelled.")
            try:
                if epoch is None:
                    epoch = self._epoch(client)
                while unsent:  # sent here, so a broker that is away is waited for like any outage
                    self._send(unsent[0], base)
                    unsent.pop(0)
                if time.monotonic() - last_epoch > 1.0:
                    last_epoch = time.monotonic()
                    now_epoch = client.get(EPOCH)
                    if now_epoch != epoch:  # the broker came back empty: send what is missing again
                        log.warning("the hub lost its queue; sending %s again", base["render"])
                        epoch = self._epoch(client)
                        for part in parts:
                            if not part.done and part not in unsent:
                                part.tries -= 1  # not the part's fault
                                unsent.append(part)
                        continue
                for part in parts:
                    if not part.done and part.task_id:
                        self._poll(part, base, on_warning)
                last_ok = time.monotonic()
            except (HubRenderFailed, RenderCancelled):
                self._stop(parts, base, cancel_all=True)
                raise
            except Exception as exc:  # noqa: BLE001 - the broker is away: wait for it a while
                if time.monotonic() - last_ok > self.outage_s:
                    self._stop(parts, base, cancel_all=True)
                    raise HubRenderFailed(f"The hub at {mask(self.url)} has not answered for "
                                          f"{self.outage_s:.0f} s ({self._short(exc)}).") from None
            done = sum(min(p.progress, p.weight) for p in parts)
            weight = sum(p.weight for p in parts) or total
            report(low + (high - low) * min(1.0, done / max(1, weight)))
            if all(p.done for p in parts):
                return
            cancel.wait(self.poll_s)

    def _poll(self, part: Part, base: dict[str, Any], on_warning: Callable[[str], None] | None) -> None:
        meta = self.app.backend.get_task_meta(part.task_id, cache=False)
        state, result = meta.get("status"), meta.get("result")
        if state == "PROGRESS" and isinstance(result, dict):
            with contextlib.suppress(TypeError, ValueError):
                part.progress = max(part.progress, int(result.get("frames") or 0))
            return
        if state not in ("SUCCESS", "FAILURE", "REVOKED"):
            return
        result = result if isinstance(result, dict) else {}
        if state == "SUCCESS" and result.get("ok") and self.store.has(part.key):
            part.done, part.progress = True, part.weight
            if on_warning is not None:
                for warning in result.get("warnings") or []:
                    if isinstance(warning, str):
                        on_warning(warning[:300])
            return
        if state == "SUCCESS" and result.get("cancelled"):
            error = "a worker cancelled it"
        elif state == "SUCCESS" and result.get("ok"):
            error = "its file did not reach the store"
        elif state == "SUCCESS":
            error = str(result.get("error") or "a worker could not make it")[:300]
        else:
            error = "a worker crashed while making it"
        part.error = error
        if result.get("final") or part.tries >= MAX_TRIES:
            times = "" if result.get("final") else f" {part.tries} times"
            raise HubRenderFailed(f"{part.what()} failed{times}: {_sentence_end(error)}")
        log.warning("%s failed (%s); sending it again", part.task_id, error)
        self._send(part, base)

    def _short(self, exc: BaseException) -> str:
        """A broker error in a few words, never with the password."""
        text = " ".join(str(exc).split())
        password = unquote(urlsplit(self.url).password or "")
        if password:
            text = text.replace(password, "****").replace(quote(password, safe=""), "****")
        return text[:120] or type(exc).__name__

    def _epoch(self, client: Any) -> bytes | None:
        client.set(EPOCH, secrets.token_hex(8), nx=True)
        epoch: bytes | None = client.get(EPOCH)
        return epoch

    def _release(self, parts: list[Part]) -> None:
        """The engine stops: revoke the parts no worker has started; running ones finish into the store."""
        with contextlib.suppress(Exception):
            queued = [p.task_id for p in parts if p.task_id and not p.done
                      and self.app.backend.get_task_meta(p.task_id, cache=False).get("status") == "PENDING"]
            if queued:
                self.app.control.revoke(queued)

    def _stop(self, parts: list[Part], base: dict[str, Any], *, cancel_all: bool) -> None:
        """Tell the workers to stop this run: revoke queued tasks, kill running ffmpegs (~0.2 s)."""
        with contextlib.suppress(Exception):
            self.app.backend.client.set(cancel_key(base["render"], base["run"]), 1, ex=3600)
        ids = [p.task_id for p in parts if p.task_id and not p.done]
        if ids and cancel_all:
            with contextlib.suppress(Exception):
                self.app.control.revoke(ids)
        deadline = time.monotonic() + 2.0  # let running tasks see the cancel before their files go
        while ids and time.monotonic() < deadline:
            try:
                states = [self.app.backend.get_task_meta(i, cache=False).get("status") for i in ids]
            except Exception:  # noqa: BLE001
                break
            if all(s in ("PENDING", "SUCCESS", "FAILURE", "REVOKED") for s in states):
                break
            time.sleep(0.05)




def _resuming(cancel: threading.Event, keep: Callable[[], bool]) -> bool:
    """True when the render was stopped only to be run again (its parts are kept)."""
    with contextlib.suppress(Exception):
        return cancel.is_set() and bool(keep())
    return False


def _sentence_end(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
