"""What each slot of a video track shows, as a labelled stream of exactly its frames.

Colours, drifting gradients, scene backdrops, photos (still, zoomed or panned) and clips fitted
to the canvas; `picture` is the entry point, the picture pass its caller.
"""

from __future__ import annotations

from pathlib import Path

from reelterm.media._cache import write_cached
from reelterm.media._graph import Graph, even, num
from reelterm.media.errors import NoStreamError
from reelterm.media.motion import backdrop, kenburns
from reelterm.media.probe import MediaInfo
from reelterm.protocol.draft import Segment, source_kind


def fit_to_canvas(g: Graph, src: str, fit: str, info: MediaInfo | None, big: bool = False) -> tuple[str, str]:
    """Scale `[src]` to the canvas; return (chain text, output label)."""
    W, H = (g.W, g.H) if not big else (even(min(4096, g.W * 2)), even(min(4096, g.H * 2)))
    out = g.label("f")
    if info is not None and info.width == W and info.height == H:
        return f"[{src}]null[{out}]", out
    if fit == "cover":
        return f"[{src}]scale={W}:{H}:force_original_aspect_ratio=increase,crop={W}:{H}[{out}]", out
    if fit == "contain":
        return (f"[{src}]scale={W}:{H}:force_original_aspect_ratio=decrease:force_divisible_by=2,"
                f"pad={W}:{H}:(ow-iw)/2:(oh-ih)/2:color=black[{out}]"), out
    bw, bh = even(max(16, W // 8)), even(max(16, H // 8))
    a, b, bb, ff = (g.label("b") for _ in range(4))
    radius = max(1, min(6, min(bw, bh) // 4 - 1))
    return (f"[{src}]split=2[{a}][{b}];"
            f"[{a}]scale={bw}:{bh}:force_original_aspect_ratio=increase,crop={bw}:{bh},"
            f"boxblur={radius}:2,scale={W}:{H}[{bb}];"
            f"[{b}]scale={W}:{H}:force_original_aspect_ratio=decrease:force_divisible_by=2[{ff}];"
            f"[{bb}][{ff}]overlay=(W-w)/2:(H-h)/2[{out}]"), out


def default_fit(g: Graph, info: MediaInfo) -> str:
    """`cover` when the aspect ratios agree within 3 %, else the blurred fill."""
    if not info.width or not info.height:
        return "cover"
    ratio = (info.width / info.height) / (g.W / g.H)
    return "cover" if 0.97 <= ratio <= 1.03 else "blur"


def gradient(g: Graph, c0: str, c1: str, frames: int) -> str:
    """A slowly drifting c0-c1-c0 gradient: one strip decoded once, seen through a moving crop."""
    # the strip is half a canvas wider than the canvas; the window slides back and forth in
    # a small even step twice a second (~W/60 px/s). crop only moves data pointers and the
    # frames between steps are identical, so this costs almost nothing to filter or encode
    W, H, fps = g.W, g.H, g.fps
    margin = even(W // 2)
    step = max(2, 2 * round(W / 240))  # 16 px at 1920
    every = max(1, round(fps / 2))
    idx = g.add_input(gradient_strip(c0, c1, W + margin, g.cache_dir))
    x = f"{margin}-abs({margin}-mod(floor(n/{every})*{step},{2 * margin}))"
    return (f"[{idx}:v]scale={W + margin}:{H}:flags=neighbor,format=pix_fmts=yuv420p:color_ranges=tv,"
            f"{g.still(frames)},crop={W}:{H}:x='{x}':y=0")


def picture(g: Graph, seg: Segment | None, frames: int, where: str, at: int | None = None) -> str:
    """One slot's picture as a labelled stream of exactly `frames` frames; returns the label.

    `at` (the slot's first timeline frame) lets a clip seek past frames before `skip_to`.
    """
    out = g.label("p")
    W, H, fps = g.W, g.H, g.fps
    if seg is None:
        g.add_chain(f"color=c=black:s={W}x{H}:r={fps},{g.tail(frames)}[{out}]")
        return out
    src = seg.src or ""
    kind = source_kind(src)
    if kind == "color":
        g.add_chain(f"color=c=0x{src[7:13]}:s={W}x{H}:r={fps},{g.tail(frames)}[{out}]")
        return out
    if kind == "gradient":
        if (seg.m.model_extra or {}).get("layout"):  # a scene: a soft backdrop with bokeh, drifting
            g.add_chain(f"{backdrop(g, src[10:16], src[18:24], frames, seg.id or '')},{g.tail(frames)}[{out}]")
        else:
            g.add_chain(f"{gradient(g, src[10:16], src[18:24], frames)},{g.tail(frames)}[{out}]")
        return out
    path, info = g.media(src, where)
    if not info.has_video:
        raise NoStreamError(f"{where} ({src}) has no picture to show.")
    fit = seg.m.fit or default_fit(g, info)
    zoom = bool(seg.m.zoom)
    if info.is_image and info.width and info.height and (seg.m.model_extra or {}).get("move") == "kenburns":
        g.add_chain(f"{kenburns(g, path, frames, (info.width, info.height))},{g.tail(frames)}[{out}]")
        return out
    if info.is_image:
        idx = g.add_input(path)
        chain, fitted = fit_to_canvas(g, f"{idx}:v", "cover" if zoom else fit, info, big=zoom)
        g.add_chain(chain)
        if zoom:
            rate = 0.12 / max(frames, 1)
            g.add_chain(f"[{fitted}]format=yuv420p,zoompan=z='1+{rate:.8f}*on':x='iw/2-(iw/zoom/2)':"
                        f"y='ih/2-(ih/zoom/2)':d={frames + 1}:s={W}x{H}:fps={fps},{g.tail(frames)}[{out}]")
        else:
            g.add_chain(f"[{fitted}]format=yuv420p,{g.still(frames)},{g.tail(frames)}[{out}]")
        return out
    opts: list[str] = []
    if seg.m.loop:
        opts += ["-stream_loop", "-1"]
    in_ms = g.in_point(seg, info)
    skip = _skippable(g, seg, info, in_ms, frames, at)
    if in_ms or skip:
        opts += ["-ss", num(in_ms / 1000 + skip / fps)]
    opts += ["-t", num((frames - skip) / fps + 0.5)]
    idx = g.add_input(path, *opts)
    pre = f"[{idx}:v]setpts=PTS-STARTPTS"
    if info.fps and info.fps > fps:
        pre += f",fps={fps}:eof_action=pass"
    mid = g.label("m")
    g.add_chain(f"{pre}[{mid}]")
    chain, fitted = fit_to_canvas(g, mid, fit, info)
    g.add_chain(chain)
    zoomf = (f"zoompan=z='1+{0.12 / max(frames, 1):.8f}*in':x='iw/2-(iw/zoom/2)':"
             f"y='ih/2-(ih/zoom/2)':d=1:s={W}x{H}:fps={fps},") if zoom else ""
    # frames a chunk never shows: clones of the first one instead of decoded ones
    pad = f",tpad=start={skip}:start_mode=clone" if skip else ""
    g.add_chain(f"[{fitted}]{zoomf}{g.tail(frames - skip)}{pad}[{out}]")
    return out


def _skippable(g: Graph, seg: Segment, info: MediaInfo, in_ms: int, frames: int, at: int | None) -> int:
    """Frames at the start of a clip a chunk starting at `skip_to` can seek past (0: none).

    Only where seeking gives the very same frames: the clip runs at the canvas rate, does not
    loop or zoom, and has its own frames well past the seek point.
    """
    if (at is None or g.skip_to <= at or seg.m.loop or seg.m.zoom
            or abs((info.fps or 0) - g.fps) > 0.01):
        return 0
    skip = min(g.skip_to - at, frames - 1)
    if in_ms + (skip + 1) * 1000 / g.fps > info.duration_ms - 200:
        return 0
    return skip


def gradient_strip(c0: str, c1: str, width: int, cache_dir: Path) -> Path:
    """A cached `width`x1 PNG going c0 -> c1 -> c0 (hex colours without '#')."""
    path = cache_dir / f"gradient-{c0.lower()}-{c1.lower()}-{width}.png"
    if not path.is_file():
        from PIL import Image

        a, b = bytes.fromhex(c0), bytes.fromhex(c1)
        row = bytearray()
        for x in range(width):
            k = 1 - abs(1 - 2 * x / max(1, width - 1))  # 0 -> 1 -> 0
            row += bytes(round(a[i] + (b[i] - a[i]) * k) for i in range(3))
        strip = Image.frombytes("RGB", (width, 1), bytes(row))
        write_cached(path, lambda tmp: strip.save(tmp, format="PNG"))
    return path


