"""Laid-out scenes: pictures with an entrance and a float, words revealed in turn, QR codes.

A background segment with `m.layout` is a scene. Segments of the `pictures` track (`m.scene`
= that segment's id, `m.slot`) go into the layout's picture boxes; text segments with
`m.scene` and `m.role` (`headline`, `sub`, `url`) go into its text boxes, one PNG per word.
Every PNG is decoded once and looped; motion is overlay x/y expressions and alpha fades, so
no Python runs per frame. See docs/media.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelterm.media._graph import Graph, num
from reelterm.media._layer import layer
from reelterm.media.errors import MediaError
from reelterm.media.layouts import Box, arrange
from reelterm.media.pictures import credit_for, icon_png, motif_png, qr_png, safe_url
from reelterm.media.scene_words import scene_text
from reelterm.protocol.draft import Draft, Segment, TrackType, source_kind

ROLES = ("headline", "sub", "url")
"""Text roles a layout places; other text (captions) keeps its style and position."""
PICTURES_TRACK = "pictures"
"""The id of the track holding the scenes' pictures."""
ENTER_S = 0.7
"""How long a picture's entrance lasts."""
_DEFAULT_COLOURS = ("1e3a5f", "3b82f6")
POP_SCALES = (0.45, 0.75, 1.06)
"""A `pop` entrance: the picture shown at these sizes, POP_FRAMES frames each, before it settles."""
POP_FRAMES = 2
PER_SCENE_FROM = 10
"""From this many scenes on, each scene's overlays run on its own stretch of the picture only
(measured: a 6-scene 30 s promo is ~5 % cheaper without the cut, a 25-scene one ~12 % cheaper with it)."""


@dataclass
class SceneSet:
    """The scenes of a draft: background segments by id, their pictures and laid-out texts."""

    scenes: dict[str, Segment] = field(default_factory=dict)
    pictures: dict[str, list[Segment]] = field(default_factory=dict)
    texts: dict[str, list[Segment]] = field(default_factory=dict)
    picture_tracks: set[int] = field(default_factory=set)
    text_ids: set[int] = field(default_factory=set)


def extra(seg: Segment, key: str, default: Any = None) -> Any:
    """A segment's extra metadata value (`m.layout`, `m.scene`, ...)."""
    return (seg.m.model_extra or {}).get(key, default)


def collect(draft: Draft) -> SceneSet:
    """Find the scenes (background segments with a layout) and what belongs to them."""
    out = SceneSet()
    videos = [t for t in draft.tracks_of(TrackType.VIDEO) if t.sg]
    if not videos:
        return out
    base = next((t for t in videos if t.id == "video"), videos[0])
    for seg in base.sg:
        if extra(seg, "layout") and seg.id:
            out.scenes[seg.id] = seg
    for ti, track in enumerate(draft.t):
        if track.tt == TrackType.VIDEO and track.id == PICTURES_TRACK and track is not base:
            out.picture_tracks.add(ti)
            for seg in track.sg:
                out.pictures.setdefault(str(extra(seg, "scene", "")), []).append(seg)
        elif track.tt == TrackType.TEXT:
            for seg in track.sg:
                sid = str(extra(seg, "scene", ""))
                if sid in out.scenes and extra(seg, "role") in ROLES:
                    out.texts.setdefault(sid, []).append(seg)
                    out.text_ids.add(id(seg))
    return out


def video_tracks(draft: Draft, ss: SceneSet) -> list[int]:
    """Indices of the video tracks drawn as tracks (not a scenes' `pictures` track), in order."""
    return [i for i, t in enumerate(draft.t) if t.tt == TrackType.VIDEO and t.sg and i not in ss.picture_tracks]


def colours(seg: Segment) -> tuple[str, str]:
    """The two hex colours (no '#') of a scene's background, for tints of its motifs and numbers."""
    src = seg.src or ""
    kind = source_kind(src)
    if kind == "gradient":
        return src[10:16].lower(), src[18:24].lower()
    if kind == "color":
        return src[7:13].lower(), src[7:13].lower()
    accent = extra(seg, "accent")
    if isinstance(accent, str) and source_kind(f"color:{accent}") == "color":
        return "101418", accent[1:].lower()
    return _DEFAULT_COLOURS


def overlay_scenes(g: Graph, ss: SceneSet, video: str, total: int) -> str:
    """Draw every scene's pictures and laid-out words over `video`; returns the new label.

    With many scenes the picture is cut at the scenes' edges and each scene's overlays see only
    its own frames (then the pieces are joined again), so a long video's many overlays cost per
    scene, not per whole timeline."""
    lost = sum(len(v) for k, v in ss.pictures.items() if k not in ss.scenes)
    if lost:
        g.warn(f"{lost} picture{'s' if lost != 1 else ''} on the pictures track belong{'s' if lost == 1 else ''} "
               "to no scene with a layout, so they are not shown.")
    if len(ss.scenes) < PER_SCENE_FROM:  # few scenes: cutting and joining the picture costs more than it saves
        for sid in sorted(ss.scenes, key=lambda k: (ss.scenes[k].s, k)):
            video = _scene(g, ss, sid, video, Win(0, total))
        return video
    spans: list[tuple[int, int, str | None]] = []
    cursor = 0
    for sid, bg in sorted(ss.scenes.items(), key=lambda kv: (kv[1].s, kv[0])):
        a, b = max(cursor, Win(0, total).frame(g, bg.s)), Win(0, total).frame(g, bg.end)
        if b <= a:
            continue
        if a > cursor:
            spans.append((cursor, a, None))
        spans.append((a, b, sid))
        cursor = b
    if not any(sid for _, _, sid in spans):
        return video
    if cursor < total:
        spans.append((cursor, total, None))
    pieces = g.pieces(video, [(a, b) for a, b, _ in spans])
    out = [lab if sid is None else _scene(g, ss, sid, lab, Win(a, b - a)) for (a, b, sid), lab in zip(spans, pieces,
                                                                                                     strict=True)]
    return g.concat(out)


@dataclass(frozen=True)
class Win:
    """A scene's stretch of the picture: its first frame on the timeline and its length in frames."""

    off: int
    length: int

    def frame(self, g: Graph, ms: int) -> int:
        """A timeline time (ms) as a frame of this stretch, clamped to it."""
        return max(0, min(self.length, round(ms * g.fps / 1000) - self.off))


def _scene(g: Graph, ss: SceneSet, sid: str, video: str, win: Win) -> str:
    """One scene's scrim, pictures, QR code and words over its own stretch of the picture."""
    bg = ss.scenes[sid]
    pics = sorted(ss.pictures.get(sid, []), key=lambda s: (_slot(s), s.s))
    texts = ss.texts.get(sid, [])
    layout = str(extra(bg, "layout"))
    url = next((t.m.text or "" for t in texts if extra(t, "role") == "url"), "")
    qr = safe_url(url) if (layout == "end" and extra(bg, "qr")) else None
    if layout == "end" and extra(bg, "qr") and url and qr is None:
        g.warn("The end card's web address does not look like a plain URL, so it has no QR code.")
    slots = sorted({_slot(p) for p in pics})[:3]  # pictures in turn share a slot
    arr = arrange(layout, g.W, g.H, len(slots), qr=qr is not None)
    c0, c1 = colours(bg)
    if layout == "media":
        video = _scrim(g, bg, video, win)
    for seg in pics:
        if _slot(seg) in slots and slots.index(_slot(seg)) < len(arr.pictures):
            i = slots.index(_slot(seg))
            video = _picture(g, seg, arr.pictures[i], i, c0, c1, video, win)
    if qr is not None and arr.qr is not None:
        video = _still(g, qr_png(qr, arr.qr.w, g.cache_dir), arr.qr, bg.s + 500, bg.end, "pop", "none",
                       0, video, win)
    for seg in texts:
        video = scene_text(g, seg, str(extra(seg, "role")), layout, arr, (c0, c1), video,
                           (win.frame(g, seg.s), win.frame(g, seg.end)))
    return video


def _slot(seg: Segment) -> int:
    """A picture's slot (0-2); anything unreadable is 0."""
    try:
        return max(0, min(2, int(extra(seg, "slot", 0) or 0)))
    except (TypeError, ValueError):
        return 0


def _png_size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as img:
        return img.size


def _picture(g: Graph, seg: Segment, box: Box, slot: int, c0: str, c1: str, video: str, win: Win) -> str:
    src = seg.src or ""
    kind = source_kind(src)
    where = f"the picture {seg.id or src}"
    if kind == "icon":
        path = icon_png(src, box.w)
        if credit := credit_for(src):
            g.warn(credit)
    elif kind == "motif":
        path = motif_png(src[6:], c0, c1, box.w, g.cache_dir)
    elif kind in ("upload", "asset"):
        from reelterm.media.photos import photo_card

        file, info = g.media(src, where)
        if not info.is_image:
            raise MediaError(f"{where} ({src}) is a clip; clips go on the video track, pictures here.")
        path = photo_card(file, box.w, box.h, g.cache_dir)
    else:
        raise MediaError(f"{where} has no picture reference ({src[:40]!r}).")
    pw, ph = _png_size(path)
    if pw > box.w or ph > box.h:  # never outside its box
        s = min(box.w / pw, box.h / ph)
        pw, ph = int(pw * s), int(ph * s)
        path = _shrunk(path, pw, ph, g.cache_dir)
    placed = Box(box.x + (box.w - pw) // 2, box.y + (box.h - ph) // 2, pw, ph)
    enter = str(extra(seg, "enter", "pop") or "pop")
    move = str(extra(seg, "move", "float") or "float")
    return _still(g, path, placed, seg.s + 250 + 150 * slot, seg.end, enter, move, slot, video, win)


def _shrunk(path: Path, w: int, h: int, cache_dir: Path) -> Path:
    from PIL import Image

    from reelterm.media._cache import write_cached

    out = Path(cache_dir) / f"fit-{path.stem}-{w}x{h}.png"
    if not out.is_file():
        with Image.open(path) as img:
            small = img.convert("RGBA").resize((max(1, w), max(1, h)), Image.Resampling.LANCZOS)
        write_cached(out, lambda tmp: small.save(tmp, format="PNG", compress_level=1))
    return out


def _tight(g: Graph, path: Path) -> tuple[str, int, int]:
    """`path` as an input cut (by `crop`, once, before `loop`) to its visible pixels: the stream's
    label and where the cut starts in the picture, on even numbers.

    `overlay` blends every pixel of its picture, transparent ones too; the offsets are even, so
    the picture's chroma lands on the same pixels as before."""
    from PIL import Image

    idx = g.add_input(path)
    with Image.open(path) as img:
        w, h = img.size
        bbox = img.getchannel("A").getbbox() if img.mode in ("RGBA", "LA") else None
    if bbox is None:
        return f"{idx}:v", 0, 0
    x0, y0 = bbox[0] - bbox[0] % 2, bbox[1] - bbox[1] % 2
    x1, y1 = min(w, bbox[2] + bbox[2] % 2), min(h, bbox[3] + bbox[3] % 2)
    if (x1 - x0) * (y1 - y0) > 0.9 * w * h:  # nearly all of it shows
        return f"{idx}:v", 0, 0
    out = g.label("cut")
    g.add_chain(f"[{idx}:v]crop={x1 - x0}:{y1 - y0}:{x0}:{y0}[{out}]")
    return out, x0, y0


def _still(g: Graph, path: Path, box: Box, start_ms: int, end_ms: int, enter: str, move: str, slot: int,
           video: str, win: Win) -> str:
    """Overlay one picture from `start_ms` (entrance) to `end_ms` (faded out), moving by expressions."""
    a, b = win.frame(g, start_ms), win.frame(g, end_ms)
    if b - a < 2:
        return video
    if enter == "pop" and b - a > 4 * POP_FRAMES:  # grows in: a few pre-scaled copies, then the picture
        for k, share in enumerate(POP_SCALES):
            small = _shrunk(path, max(2, round(box.w * share)), max(2, round(box.h * share)), g.cache_dir)
            sw, sh = _png_size(small)
            video = _flash(g, small, box.x + (box.w - sw) // 2, box.y + (box.h - sh) // 2,
                           a + k * POP_FRAMES, a + (k + 1) * POP_FRAMES, video)
        a += len(POP_SCALES) * POP_FRAMES
        enter = "none"
    t0, dur = a / g.fps, (b - a) / g.fps
    out_d = min(0.3, dur / 4)
    src, dx, dy = _tight(g, path)
    nxt = g.label("v")
    popped = enter == "none" and move != "none"  # it has just grown in: no fade
    lab = layer(g, src, b - a, a, 0.0 if popped else min(0.35, dur / 4), out_d)
    p = f"clip((t-{num(t0)})/{num(ENTER_S)},0,1)"
    X, Y = box.x + dx, box.y + dy
    D = round(g.H * 0.12)
    if enter == "none":
        x, y = f"{X}", f"{Y}"
    elif enter == "slide":
        side = -1 if slot % 2 == 0 else 1
        x = f"{X}+{side * round(g.W * 0.12)}*pow(1-{p},3)"
        y = f"{Y}"
    elif enter == "bounce":
        x = f"{X}"
        y = f"{Y}-{D}*abs(cos({p}*2.5*PI))*pow(1-{p},2)"
    else:  # pop: rises quickly with a small overshoot
        x = f"{X}"
        y = f"{Y}+{round(D * 0.6)}*pow(1-{p},3)-{round(g.H * 0.012)}*sin({p}*PI)"
    amp = max(2, round(min(box.h, g.H) * 0.025))
    if move == "float":
        y += f"+{amp}*sin(2*PI*(t-{num(t0)})/{num(3.2 + 0.4 * slot)})*{p}"
    elif move == "kenburns":
        x += f"+{amp}*(t-{num(t0)})/{num(max(dur, 0.1))}"
    g.add_chain(f"[{video}][{lab}]overlay=x='{x}':y='{y}':eof_action=pass:"
                f"enable='between(n,{a},{b - 1})'[{nxt}]")
    return nxt


def _flash(g: Graph, path: Path, x: int, y: int, a: int, b: int, video: str) -> str:
    """Show a still at (x, y) for frames [a, b) of the stretch, as it is (a step of an entrance)."""
    src, dx, dy = _tight(g, path)
    x, y = x + dx, y + dy
    lab, nxt = g.label("q"), g.label("v")
    g.add_chain(f"[{src}]format=yuva420p,{g.still(b - a, a)}[{lab}]")
    g.add_chain(f"[{video}][{lab}]overlay=x={x}:y={y}:eof_action=pass:enable='between(n,{a},{b - 1})'[{nxt}]")
    return nxt


def _scrim(g: Graph, bg: Segment, video: str, win: Win) -> str:
    """A dark fade over the lower part of a photo scene, so white words stay readable."""
    from PIL import Image

    from reelterm.media._cache import write_cached

    h = g.H - int(g.H * 0.3)
    path = g.cache_dir / f"scrim-{g.W}x{h}.png"
    if not path.is_file():
        alpha = Image.linear_gradient("L").resize((1, h)).point(lambda v: int(v * 0.8))
        img = Image.new("RGBA", (1, h), (0, 0, 0, 255))
        img.putalpha(alpha)
        img = img.resize((g.W, h), Image.Resampling.NEAREST)
        write_cached(path, lambda tmp: img.save(tmp, format="PNG", compress_level=1))
    return _still(g, path, Box(0, g.H - h, g.W, h), bg.s, bg.end, "none", "none", 0, video, win)
