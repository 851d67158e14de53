"""What a render task carries, built by the engine and checked strictly by every worker."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from reelterm.hub import TASK_VERSION
from reelterm.hub.store import is_object_name
from reelterm.media.formats import DRAFT_TARGETS, QUALITIES
from reelterm.protocol import Draft, DraftError, validate_local_draft
from reelterm.protocol.draft import source_kind

KINDS = ("chunk", "sound", "assemble", "whole")
"""chunk: frames [a, b) without sound; sound: the whole mix (.m4a); assemble: the join; whole: any
other format in one task."""
MAX_DRAFT_BYTES = 4 * 1024 * 1024
"""A bigger draft is refused before it is parsed."""
_RENDER = re.compile(r"[A-Za-z0-9_-]{1,64}")
_HEX24 = re.compile(r"[0-9a-f]{24}")
_RUN = re.compile(r"[0-9a-f]{8,32}")


class Refused(ValueError):
    """A task that a worker will not run; the text says why."""


@dataclass(frozen=True)
class Task:
    """A checked task."""

    kind: str
    render: str
    sig: str
    run: str
    draft: Draft
    inputs: dict[str, str]
    quality: str
    fmt: str
    total: int
    frames: tuple[int, int] | None = None
    gop: int = 0
    chunks: tuple[tuple[int, int], ...] = ()

    def wire(self) -> dict[str, Any]:
        """The JSON payload (what `parse` reads)."""
        return {"v": TASK_VERSION, "kind": self.kind, "render": self.render, "sig": self.sig,
                "run": self.run, "draft": self.draft.wire(), "inputs": dict(self.inputs),
                "quality": self.quality, "format": self.fmt, "total": self.total,
                "frames": list(self.frames) if self.frames else None, "gop": self.gop,
                "chunks": [list(c) for c in self.chunks]}


def _int(value: Any, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Refused(f"The task's {what} is not a whole number in {low}-{high}.")
    return value


def _span(value: Any, total: int, what: str) -> tuple[int, int]:
    if not isinstance(value, list) or len(value) != 2:
        raise Refused(f"The task's {what} is not a frame range.")
    a, b = _int(value[0], 0, total, what), _int(value[1], 0, total, what)
    if b <= a:
        raise Refused(f"The task's {what} is empty.")
    return a, b


def parse(payload: Any, kind: str) -> Task:
    """Check a payload as strictly as the engine checks a draft; `Refused` with a sentence if not."""
    if not isinstance(payload, dict):
        raise Refused("The task is not a JSON object.")
    if payload.get("v") != TASK_VERSION:
        raise Refused("The task was made by another version of reelterm.")
    if payload.get("kind") != kind or kind not in KINDS:
        raise Refused("The task's kind does not match the task it was sent to.")
    render, sig, run = payload.get("render"), payload.get("sig"), payload.get("run")
    if not (isinstance(render, str) and _RENDER.fullmatch(render)):
        raise Refused("The task's render id is not valid.")
    if not (isinstance(sig, str) and _HEX24.fullmatch(sig)) or not (isinstance(run, str) and _RUN.fullmatch(run)):
        raise Refused("The task's keys are not valid.")
    quality, fmt = payload.get("quality"), payload.get("format")
    if quality not in QUALITIES or fmt not in DRAFT_TARGETS:
        raise Refused("The task asks for an unknown format or quality.")
    inputs = payload.get("inputs")
    if not isinstance(inputs, dict) or len(inputs) > 1000:
        raise Refused("The task's inputs are not a map of references to stored files.")
    for src, name in inputs.items():
        if not (isinstance(src, str) and source_kind(src) in ("upload", "asset") and len(src) <= 200
                and isinstance(name, str) and is_object_name(name)):
            raise Refused("The task's inputs name something other than stored uploads and assets.")
    raw = payload.get("draft")
    if not isinstance(raw, dict) or len(json.dumps(raw)) > MAX_DRAFT_BYTES:
        raise Refused("The task's draft is missing or too large.")
    try:
        draft = validate_local_draft(raw, lambda src: src in inputs)
    except DraftError as exc:
        raise Refused("The worker refused the draft: " + " ".join(exc.problems[:5])) from None
    except (ValueError, TypeError):
        raise Refused("The worker refused the draft: it is not a valid draft.") from None
    if not draft.ready or draft.duration_ms <= 0:
        raise Refused("The worker refused the draft: it is empty.")
    from reelterm.hub.plan import total_frames

    total = total_frames(draft.duration_ms, draft.m.fps)
    if payload.get("total") != total:
        raise Refused("The task's frame count does not match its draft.")
    frames: tuple[int, int] | None = None
    gop = 0
    chunks: tuple[tuple[int, int], ...] = ()
    if kind == "chunk":
        frames = _span(payload.get("frames"), total, "frame range")
        gop = _int(payload.get("gop"), 1, 1200, "keyframe interval")
        if frames[0] % gop:
            raise Refused("The task's chunk does not start on a keyframe.")
    if kind == "assemble":
        gop = _int(payload.get("gop"), 1, 1200, "keyframe interval")
        raw_chunks = payload.get("chunks")
        if not isinstance(raw_chunks, list) or not 1 <= len(raw_chunks) <= 10_000:
            raise Refused("The task's chunk list is not valid.")
        chunks = tuple(_span(c, total, "chunk list") for c in raw_chunks)
        edges = [0, *(b for _, b in chunks)]
        if [a for a, _ in chunks] != edges[:-1] or edges[-1] != total:
            raise Refused("The task's chunks do not cover the timeline in order.")
    if kind in ("chunk", "sound", "assemble") and fmt != "mp4":
        raise Refused("Only MP4 renders are split into chunks.")
    return Task(kind, render, sig, run, draft, dict(inputs), quality, fmt, total, frames, gop, chunks)
