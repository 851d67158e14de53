"""Where a stream-copied video can end near a target time: a frame-exact cut, found from packets.

A copied stream can only be cut between packets. ffmpeg's `-t` keeps every packet whose decode
time is before the limit, so with B-frames it keeps frames shown after it (7.2 s of picture
for a 7.1 s limit). The cut here keeps the first N packets in decode order, where those N are
also the first N frames shown (nothing kept needs a frame that is dropped), and N is chosen so
the picture ends as close to the target as such cuts allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

OVERSHOOT_S = 0.04
"""A cut may end at most this long after the target (the sound is then that much shorter)."""
LOOKAHEAD_S = 3.0
"""Packets are read until their decode time passes the target by this much (reordering depth)."""


@dataclass(frozen=True)
class Cut:
    """Keep the first `packets` video packets; the picture then lasts `end_s` seconds."""

    packets: int
    end_s: float


def video_cut(path: Path, target_s: float) -> Cut | None:
    """The frame-exact cut of `path`'s first video stream nearest `target_s`, or None if unknown."""
    try:  # a plain MP4/MOV: from its sample tables (milliseconds, no media data read)
        times = mp4_sample_times(path)
    except Exception:  # noqa: BLE001 - anything unusual: ask PyAV
        times = None
    if times is not None:
        return best_cut(times, target_s)
    return _pyav_cut(path, target_s)


def video_length(path: Path) -> float | None:
    """How long `path`'s first video stream lasts, in seconds (its own, not the container's, which
    a longer sound track in the same file stretches), or None when unknown."""
    try:
        times = mp4_sample_times(path)
    except Exception:  # noqa: BLE001 - anything unusual: ask PyAV
        times = None
    if times:
        return max(end for _, end in times) - min(pts for pts, _ in times)
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = container.streams.video[0]
            if stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
            # no length of its own (Matroska): the end of its last packets, read near the end
            tb, first = stream.time_base, stream.start_time or 0
            if not container.duration or tb is None:
                return None
            container.seek(max(0, container.duration - 10_000_000), backward=True)
            ends = [p.pts + (p.duration or 0) for p in container.demux(stream) if p.pts is not None]
            return float((max(ends) - first) * tb) if ends else None
    except (av.FFmpegError, ValueError, OSError, IndexError):
        pass
    return None


def mp4_sample_times(path: Path) -> list[tuple[float, float]] | None:
    """(pts, end) in seconds of each video sample of a plain MP4, in decode order (from `stts`/`ctts`)."""
    import struct

    from reelterm.media import _mp4_probe as M

    with path.open("rb") as f:
        moov = M._read_moov(f, path.stat().st_size)
    for start, end in M._kids(moov, 0, len(moov)).get(b"trak", []):
        mdia = M._kids(moov, *M._one(M._kids(moov, start, end), b"mdia"))
        handler = M._one(mdia, b"hdlr")[0]
        if moov[handler + 8:handler + 12] != b"vide":
            continue
        head = M._one(mdia, b"mdhd")[0]
        scale = struct.unpack_from(">I", moov, head + (20 if moov[head] else 12))[0]
        stbl = M._kids(moov, *M._one(M._kids(moov, *M._one(mdia, b"minf")), b"stbl"))
        stts = M._table(moov, M._one(stbl, b"stts"), "I", 8)
        ctts = M._table(moov, M._one(stbl, b"ctts"), "i", 8) if b"ctts" in stbl else ()
        deltas = [d for count, d in zip(stts[0::2], stts[1::2], strict=True) for _ in range(count)]
        offsets = [o for count, o in zip(ctts[0::2], ctts[1::2], strict=True) for _ in range(count)]
        offsets = offsets or [0] * len(deltas)
        if len(offsets) != len(deltas) or scale <= 0:
            return None
        times, dts = [], 0
        for delta, offset in zip(deltas, offsets, strict=True):
            times.append(((dts + offset) / scale, (dts + offset + delta) / scale))
            dts += delta
        return times
    return None


def _pyav_cut(path: Path, target_s: float) -> Cut | None:
    """`video_cut` from the packets PyAV reads (any container)."""
    import av

    times: list[tuple[float, float]] = []  # (pts, end) of each packet in decode order, seconds
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = container.streams.video[0]
            for packet in container.demux(stream):
                if packet.size == 0:
                    continue  # the flush packet at the end
                if packet.pts is None or packet.time_base is None:
                    return None
                tb = packet.time_base
                pts = float(packet.pts * tb)
                times.append((pts, pts + float((packet.duration or 0) * tb)))
                dts = float(packet.dts * tb) if packet.dts is not None else pts
                if times and dts - times[0][0] > target_s + LOOKAHEAD_S:
                    break
    except (av.FFmpegError, ValueError, OSError, IndexError):
        return None
    return best_cut(times, target_s)


def best_cut(times: list[tuple[float, float]], target_s: float) -> Cut | None:
    """The valid prefix of `times` (pts, end per packet, decode order) ending nearest `target_s`."""
    if not times:
        return None
    base = min(pts for pts, _ in times)
    suffix_min = [float("inf")] * (len(times) + 1)
    for i in range(len(times) - 1, -1, -1):
        suffix_min[i] = min(suffix_min[i + 1], times[i][0])
    best: Cut | None = None
    shown_max, end_max = float("-inf"), float("-inf")
    for n, (pts, end) in enumerate(times, start=1):
        shown_max, end_max = max(shown_max, pts), max(end_max, end)
        length = end_max - base
        if length > target_s + OVERSHOOT_S:
            break
        if shown_max >= suffix_min[n]:
            continue  # a kept frame is shown after a dropped one: not a clean cut
        if best is None or abs(length - target_s) < abs(best.end_s - target_s):
            best = Cut(n, length)
    return best
