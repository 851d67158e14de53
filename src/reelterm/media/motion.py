"""Moving backgrounds for the base track: a drifting bokeh backdrop, and a Ken Burns pan over photos.

Both decode their picture once, scale it once, repeat it with `loop` and move a `crop` window,
which only moves data pointers: the motion costs next to nothing per frame.
"""

from __future__ import annotations

from pathlib import Path

from reelterm.media._graph import Graph, even


def backdrop(g: Graph, c0: str, c1: str, frames: int, seed: str) -> str:
    """A scene's backdrop (soft gradient and bokeh) drifting sideways; a chain without an output label."""
    from reelterm.media.backdrops import backdrop_png

    W, H, fps = g.W, g.H, g.fps
    margin = even(max(16, W // 4))
    idx = g.add_input(backdrop_png(c0, c1, W + margin, H, sum(seed.encode()) if seed else 0, g.cache_dir))
    # a small even step twice a second (~W/120 px/s): the frames between steps are identical, which
    # x264 encodes almost for free, while the pictures float and the words come in on top
    step = max(2, 2 * round(W / 480))
    every = max(1, round(fps / 2))
    x = f"{margin}-abs({margin}-mod(floor(n/{every})*{step},{2 * margin}))"
    return (f"[{idx}:v]scale={W + margin}:{H}:flags=bicubic,format=pix_fmts=yuv420p:color_ranges=tv,"
            f"{g.still(frames)},crop={W}:{H}:x='{x}':y=0")


def kenburns(g: Graph, path: Path, frames: int, size: tuple[int, int]) -> str:
    """A photo (`size` as probed) scaled once to cover the canvas with room to move, panned toward
    its centre of interest."""
    from reelterm.media.errors import MediaError
    from reelterm.media.photos import cover_pan, focus

    iw, ih = size
    try:
        fx, fy = focus(path)
    except MediaError:  # a format ffmpeg reads but Pillow does not: pan toward the middle
        fx, fy = 0.5, 0.5
    sw, sh, (x0, y0), (x1, y1) = cover_pan(iw, ih, g.W, g.H, fx, fy)
    idx = g.add_input(path)
    n = max(1, frames - 1)
    x = f"{x0}+({x1 - x0})*n/{n}" if x1 != x0 else str(x0)
    y = f"{y0}+({y1 - y0})*n/{n}" if y1 != y0 else str(y0)
    return (f"[{idx}:v]scale={sw}:{sh}:flags=bicubic,format=pix_fmts=yuv420p:color_ranges=tv,"
            f"{g.still(frames)},crop={g.W}:{g.H}:x='{x}':y='{y}'")

