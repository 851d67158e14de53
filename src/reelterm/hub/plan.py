"""The frame maths of a chunked render: whole GOPs, a few chunks per worker slot, short chunks."""

from __future__ import annotations

import math
from dataclasses import dataclass

GOP_S = 2.0
"""Seconds between key frames in a chunked render (also the in-process x264 default at 24-30 fps: ~250
frames; 2 s keeps seeking in the result quick)."""
CHUNKS_PER_SLOT = 3
"""Aim for about this many chunks per worker slot (2-4 balances uneven chunks and overhead)."""
MIN_CHUNK_S = 4.0
"""Shorter chunks cost more in ffmpeg start-up and graph set-up than they win."""
WORST_SPEED = 0.2
"""The slowest render assumed when bounding a chunk: 1 s of video in 5 s of one core (1080p at
`high`, x264 medium, runs at ~0.3x real time on one core here)."""


@dataclass(frozen=True)
class Plan:
    """Frame ranges [start, end) covering [0, total) in order; every start is a multiple of `gop`."""

    total: int
    fps: int
    gop: int
    chunks: tuple[tuple[int, int], ...]

    def index(self, chunk: tuple[int, int]) -> int:
        """The 1-based number of `chunk` (for messages)."""
        return self.chunks.index(chunk) + 1


def total_frames(duration_ms: int, fps: int) -> int:
    """The frame count of a timeline (exactly as `reelterm.media.compile_draft` counts it)."""
    return max(1, round(duration_ms * fps / 1000))


def max_chunk_seconds(visibility_s: float) -> float:
    """The longest chunk (seconds of video) that finishes in a quarter of the visibility timeout
    even at `WORST_SPEED`: a task must end long before the broker hands it to another worker."""
    return max(1.0, visibility_s / 4 * WORST_SPEED)


def plan_chunks(total: int, fps: int, slots: int, *, max_chunk_s: float, gop: int | None = None,
                per_slot: int = CHUNKS_PER_SLOT, min_chunk_s: float = MIN_CHUNK_S) -> Plan:
    """Split `total` frames into chunks of whole GOPs (the last may be shorter).

    About `per_slot` chunks per slot, never longer than `max_chunk_s` (unless one GOP is), never
    shorter than `min_chunk_s` (unless the timeline is).
    """
    if total < 1 or fps < 1:
        raise ValueError("a plan needs at least one frame and a frame rate")
    gop = max(1, gop if gop is not None else round(fps * GOP_S))
    gops = math.ceil(total / gop)
    longest = max(1, math.floor(max_chunk_s * fps / gop))
    shortest = max(1, math.ceil(min_chunk_s * fps / gop))
    wanted = max(1, slots) * max(1, per_slot)
    size = max(1, math.ceil(gops / wanted))
    size = min(longest, max(shortest, size))
    step = size * gop
    chunks = tuple((a, min(total, a + step)) for a in range(0, total, step))
    return Plan(total, fps, gop, chunks)
