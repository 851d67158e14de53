"""Text segments on the picture: one PNG input each, or, for many, a few lanes of PNGs.

A lane is a run of text segments that never overlap in time and share a style and position.
Its PNGs (padded to the lane's rectangle) are read one after another by ffmpeg's concat
demuxer from one generated `.ffconcat` file, so a lane is one input, one decoded picture at a
time and one `overlay`, however many captions it holds. Only our cache paths reach that file;
user text stays inside the PNGs' pixels.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from reelterm.media._cache import write_cached
from reelterm.media._graph import Graph, num
from reelterm.media._layer import layer
from reelterm.media.text_images import TextImage, render_text, undrawable
from reelterm.protocol.draft import Segment

LANES_OVER = 12
"""Drafts with more text segments than this go through lanes."""


@dataclass
class Caption:
    """One text segment ready to draw: frames [start, end), its PNG, fades in seconds."""

    start: int
    end: int
    img: TextImage
    fade_in: float
    fade_out: float
    group: tuple[str, str]


def caption(g: Graph, seg: Segment, total: int) -> Caption | None:
    """Render `seg`'s text (cached) and time it; None when it shows nothing."""
    text = seg.m.text or ""
    fps = g.fps
    start, end = round(seg.s * fps / 1000), min(total, round(seg.end * fps / 1000))
    if not text.strip() or end <= start:
        return None
    img = render_text(text, seg.m.style, seg.m.position, g.W, g.H, g.cache_dir)
    missing = undrawable(text)
    if missing:
        g.warn(f"The bundled fonts have no letters for {missing[:12]} (in text segment "
               f"{seg.id or '?'}); they show as empty boxes.")
    g.note_text(img.path)
    dur = (end - start) / fps
    default = 0.3 if seg.m.style == "title" else 0.15
    fi = seg.m.fade_in / 1000 if seg.m.fade_in is not None else min(default, dur / 4)
    fo = seg.m.fade_out / 1000 if seg.m.fade_out is not None else min(default, dur / 4)
    return Caption(start, end, img, min(fi, dur), min(fo, dur), (seg.m.style or "", seg.m.position or ""))


def overlay_texts(g: Graph, segs: list[Segment], video: str, total: int) -> str:
    """Draw every text segment over `video`; returns the new label."""
    caps = [c for c in (caption(g, seg, total) for seg in segs) if c is not None]
    if len(caps) > LANES_OVER and not any(ch in str(g.cache_dir) for ch in "\n\r"):
        for lane in lanes(caps):
            video = overlay_lane(g, lane, video)
        return video
    for c in caps:
        video = _single(g, c, video)
    return video


def _single(g: Graph, c: Caption, video: str) -> str:
    idx = g.add_input(c.img.path)
    # converted to yuva420p once, before `loop`: an rgba stream would be converted on every frame
    lab, out = layer(g, f"{idx}:v", c.end - c.start, c.start, c.fade_in, c.fade_out), g.label("v")
    g.add_chain(f"[{video}][{lab}]overlay=x={c.img.x}:y={c.img.y}:eof_action=pass:"
                f"enable='between(n,{c.start},{c.end - 1})'[{out}]")
    return out


def lanes(caps: list[Caption]) -> list[list[Caption]]:
    """Split captions into lanes: same style and position, never overlapping in time."""
    out: list[list[Caption]] = []
    for group in sorted({c.group for c in caps}):
        mine: list[list[Caption]] = []
        for c in sorted((c for c in caps if c.group == group), key=lambda c: (c.start, c.end)):
            lane = next((lane for lane in mine if lane[-1].end <= c.start), None)
            if lane is None:
                mine.append([c])
            else:
                lane.append(c)
        out += mine
    return out


def overlay_lane(g: Graph, lane: list[Caption], video: str) -> str:
    """One lane of captions (never overlapping in time) as one concat-demuxer input and one overlay."""
    x0, y0 = min(c.img.x for c in lane), min(c.img.y for c in lane)
    w = min(g.W - x0, max(c.img.x + c.img.width for c in lane) - x0)
    h = min(g.H - y0, max(c.img.y + c.img.height for c in lane) - y0)
    w, h = w + w % 2, h + h % 2
    fps = g.fps
    lines = ["ffconcat version 1.0"]
    cursor = 0

    def entry(path: Path, start: int, end: int) -> None:
        lines.append(f"file '{_quote(path)}'")
        lines.append(f"duration {round(end / fps, 6) - round(start / fps, 6):.6f}")

    blank = _padded(None, w, h, 0, 0, g.cache_dir)
    for c in lane:
        if c.start > cursor:
            entry(blank, cursor, c.start)
        same = (c.img.width, c.img.height, c.img.x, c.img.y) == (w, h, x0, y0)  # already the lane's size
        entry(c.img.path if same else _padded(c.img, w, h, c.img.x - x0, c.img.y - y0, g.cache_dir), c.start, c.end)
        cursor = c.end
    entry(blank, cursor, cursor + 1)
    script = "\n".join(lines) + "\n"
    path = g.cache_dir / f"lane-{hashlib.sha256(script.encode()).hexdigest()[:32]}.ffconcat"
    if not path.is_file():
        write_cached(path, lambda tmp: tmp.write_bytes(script.encode()))
    idx = g.add_input(path, "-f", "concat", "-safe", "0")
    chain = f"[{idx}:v]format=yuva420p,fps={fps}"
    for c in lane:
        a, b = c.start / fps, c.end / fps
        fi, fo = round(c.fade_in * fps), round(c.fade_out * fps)
        if fi > 0:
            chain += (f",fade=t=in:st={num(a)}:d={num(c.fade_in)}:alpha=1:"
                      f"enable='between(n,{c.start},{c.start + fi - 1})'")
        if fo > 0:
            chain += (f",fade=t=out:st={num(max(a, b - c.fade_out))}:d={num(c.fade_out)}:alpha=1:"
                      f"enable='between(n,{max(c.start, c.end - fo)},{c.end - 1})'")
    lab, out = g.label("t"), g.label("v")
    g.add_chain(chain + f"[{lab}]")
    shown = _any([f"between(n,{c.start},{c.end - 1})" for c in lane])
    g.add_chain(f"[{video}][{lab}]overlay=x={x0}:y={y0}:eof_action=pass:enable='{shown}'[{out}]")
    return out


def _any(terms: list[str]) -> str:
    """A sum of terms as a balanced tree (ffmpeg's expression parser refuses deep left chains)."""
    if len(terms) == 1:
        return terms[0]
    mid = len(terms) // 2
    return f"({_any(terms[:mid])}+{_any(terms[mid:])})"


def _padded(img: TextImage | None, w: int, h: int, dx: int, dy: int, cache_dir: Path) -> Path:
    """`img` placed at (dx, dy) on a transparent w x h PNG (cached); no image: a blank one."""
    name = img.path.stem if img is not None else "blank"
    path = cache_dir / f"pad-{name}-{w}x{h}-{dx}-{dy}.png"
    if not path.is_file():
        from PIL import Image

        canvas = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        if img is not None:
            with Image.open(img.path) as src:
                canvas.paste(src.convert("RGBA"), (dx, dy))
        write_cached(path, lambda tmp: canvas.save(tmp, format="PNG", compress_level=1))
    return path


def _quote(path: Path) -> str:
    """A path for a single-quoted ffconcat string."""
    return str(path).replace("'", "'\\''")
