"""A scene's words revealed in turn: each word fades and rises in, then the words hold as one image.

Every word (or line) is its own small PNG while it comes in. Once the last one has settled, the
segment's pieces are shown as one composite PNG (drawn once by Pillow, cached), so the long
hold costs one overlay per text segment instead of one per word; the pixels are the same.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

from reelterm.media._cache import write_cached
from reelterm.media._graph import Graph, num
from reelterm.media._layer import layer
from reelterm.media.layouts import Arrangement, type_px
from reelterm.media.pictures import tints
from reelterm.media.scene_text import Piece, draw_pieces
from reelterm.protocol.draft import Segment

WORD_STEP_S = 0.14
"""The delay between two words of a headline appearing."""
RISE_S = 0.35
"""How long a headline word rises into place."""
FADE_IN_S = 0.3
"""How long a word fades in (shorter on very short segments)."""


def scene_text(g: Graph, seg: Segment, role: str, layout: str, arr: Arrangement, colours: tuple[str, str],
               video: str, frames: tuple[int, int]) -> str:
    """One laid-out text segment over `video`, shown in the stretch's frames [a, b); returns the new label."""
    box = arr.texts.get(role) or arr.texts.get("headline")
    text = (seg.m.text or "").strip()
    if box is None or not text:
        return video
    size = type_px(role, layout, g.W, g.H)
    if role == "headline" and layout in ("feature", "list", "media", "end") and (
            len(text.split()) <= 4 if text.isascii() else len(text) <= 8):
        size = round(size * 1.3)  # a few big words fill their box better (the fit still shrinks if needed)
    colour = (255, 255, 255)
    if layout == "number" and role == "headline":  # the number in a pale tint of the scene's colour
        r, gr, b = tints(*colours)[-1]
        colour = (round(255 * 0.55 + r * 0.45), round(255 * 0.55 + gr * 0.45), round(255 * 0.55 + b * 0.45))
    words = len(text.split())
    split = "words" if role == "headline" and words <= 8 else "lines" if role == "headline" else "block"
    weight = 800 if role == "headline" else 560
    pieces = draw_pieces(seg.m.text or "", box, size, align=arr.align, weight=weight, colour=colour, split=split,
                         cache_dir=g.cache_dir)
    from reelterm.media.text_images import undrawable

    missing = undrawable(seg.m.text or "")
    if missing:
        g.warn(f"The bundled fonts have no letters for {missing[:12]} (in text segment "
               f"{seg.id or '?'}); they show as empty boxes.")
    a, b = frames
    if b - a < 2 or not pieces:
        return video
    steps = max(p.order for p in pieces) + 1
    step = min(WORD_STEP_S, (b - a) / g.fps * 0.4 / max(1, steps))
    fade_out = (seg.m.fade_out / 1000) if seg.m.fade_out is not None else 0.25
    rise = role == "headline"
    starts = [a + round(p.order * step * g.fps) for p in pieces]
    hold = _hold_from(g, starts, b, fade_out, rise)
    for piece, start in zip(pieces, starts, strict=True):
        video = _word(g, piece, start, b, fade_out, rise, video, until=hold)
    if hold < b:
        x, y, path = composite(pieces, g.cache_dir)
        video = _held(g, path, x, y, hold, b, min(fade_out, (b - a) / g.fps / 3), video)
    return video


def _hold_from(g: Graph, starts: list[int], b: int, fade_out: float, rise: bool) -> int:
    """The frame from which every piece is at rest and the composite can take over; `b` for never.

    Only when there are several pieces, all fading out alike, and the hold is longer than the fades."""
    if len(starts) < 2:
        return b
    outs = {min(fade_out, (b - s) / g.fps / 3) for s in starts}
    if len(outs) != 1:
        return b
    settle = max(math.ceil(max(min(FADE_IN_S, (b - s) / g.fps / 3), RISE_S if rise else 0) * g.fps) + s
                 for s in starts)
    if settle + math.ceil(outs.pop() * g.fps) + 2 >= b:
        return b
    return settle


def _word(g: Graph, piece: Piece, a: int, b: int, fade_out: float, rise: bool, video: str, until: int) -> str:
    """One piece fading (and rising) in at frame `a`; shown until `until` (then the composite holds it)
    or, when `until` is `b`, faded out by `b`."""
    end = min(until, b)
    if end - a < 1 or b - a < 2:
        return video
    g.note_text(piece.path)
    t0, dur = a / g.fps, (b - a) / g.fps
    fi, fo = min(FADE_IN_S, dur / 3), min(fade_out, dur / 3)
    idx = g.add_input(piece.path)
    lab, nxt = layer(g, f"{idx}:v", end - a, a, fi, fo if end == b else 0.0), g.label("v")
    y = f"{piece.y}+{max(2, piece.h // 5)}*pow(max(0,1-(t-{num(t0)})/{num(RISE_S)}),2)" if rise else str(piece.y)
    g.add_chain(f"[{video}][{lab}]overlay=x={piece.x}:y='{y}':eof_action=pass:"
                f"enable='between(n,{a},{end - 1})'[{nxt}]")
    return nxt


def _held(g: Graph, path: Path, x: int, y: int, a: int, b: int, fade_out: float, video: str) -> str:
    """The composite of a segment's pieces at rest, from frame `a`, faded out by `b`."""
    g.note_text(path)
    idx = g.add_input(path)
    lab, nxt = layer(g, f"{idx}:v", b - a, a, 0.0, fade_out), g.label("v")
    g.add_chain(f"[{video}][{lab}]overlay=x={x}:y={y}:eof_action=pass:enable='between(n,{a},{b - 1})'[{nxt}]")
    return nxt


def composite(pieces: list[Piece], cache_dir: Path) -> tuple[int, int, Path]:
    """The pieces drawn in order on one transparent PNG (cached): its top-left corner and path.

    `overlay` places a yuv420p picture on even coordinates, so each piece goes where its own
    overlay put it: at its corner rounded down to even numbers."""
    x0 = min(p.x - p.x % 2 for p in pieces)
    y0 = min(p.y - p.y % 2 for p in pieces)
    w = max(p.x - p.x % 2 + p.w for p in pieces) - x0
    h = max(p.y - p.y % 2 + p.h for p in pieces) - y0
    w, h = w + w % 2, h + h % 2
    key = hashlib.sha256("|".join(f"{p.path.name}:{p.x - p.x % 2}:{p.y - p.y % 2}" for p in pieces).encode()).hexdigest()[:32]
    path = Path(cache_dir) / f"held-{key}.png"
    if not path.is_file():
        from PIL import Image

        canvas = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        for p in pieces:
            with Image.open(p.path) as img:
                canvas.alpha_composite(img.convert("RGBA"), (p.x - p.x % 2 - x0, p.y - p.y % 2 - y0))
        write_cached(path, lambda tmp: canvas.save(tmp, format="PNG", compress_level=1))
    return x0, y0, path
