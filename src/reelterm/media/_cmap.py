"""Which characters a font file can draw: its `cmap` table, read without any font library."""

from __future__ import annotations

import struct
from functools import cache
from pathlib import Path


@cache
def covered(font: Path) -> frozenset[int]:
    """The code points `font` (TrueType or OpenType) maps to a glyph; empty if it cannot be read."""
    try:
        data = font.read_bytes()
        return frozenset(_codepoints(data))
    except (OSError, struct.error, ValueError):
        return frozenset()


def _codepoints(data: bytes) -> set[int]:
    (tables,) = struct.unpack_from(">H", data, 4)
    cmap = None
    for i in range(tables):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"cmap":
            cmap = offset
    if cmap is None:
        raise ValueError("no cmap table")
    (count,) = struct.unpack_from(">H", data, cmap + 2)
    subtables = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        subtables[(platform, encoding)] = cmap + offset
    # full Unicode (format 12) first, then the Basic Multilingual Plane (format 4)
    for key in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3)):
        at = subtables.get(key)
        if at is None:
            continue
        (fmt,) = struct.unpack_from(">H", data, at)
        if fmt == 12:
            return _format12(data, at)
        if fmt == 4:
            return _format4(data, at)
    raise ValueError("no Unicode cmap subtable")


def _format12(data: bytes, at: int) -> set[int]:
    (groups,) = struct.unpack_from(">I", data, at + 12)
    points: set[int] = set()
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * i)
        points.update(range(start + (glyph == 0), end + 1))
    return points


def _format4(data: bytes, at: int) -> set[int]:
    (seg_x2,) = struct.unpack_from(">H", data, at + 6)
    segs = seg_x2 // 2
    ends = struct.unpack_from(f">{segs}H", data, at + 14)
    starts = struct.unpack_from(f">{segs}H", data, at + 16 + seg_x2)
    deltas = struct.unpack_from(f">{segs}h", data, at + 16 + 2 * seg_x2)
    range_at = at + 16 + 3 * seg_x2
    offsets = struct.unpack_from(f">{segs}H", data, range_at)
    points: set[int] = set()
    for i in range(segs):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                where = range_at + 2 * i + offsets[i] + 2 * (code - starts[i])
                (glyph,) = struct.unpack_from(">H", data, where)
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                points.add(code)
    return points
