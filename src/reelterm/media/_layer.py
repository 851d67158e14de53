"""One decoded picture shown for a stretch of frames, faded in and out only where the fades happen.

`fade` copies every frame it is given (it writes in place), faded or not; so the picture is
split into a fade-in piece, a hold and a fade-out piece, each repeated with `loop`, and only
the short pieces go through `fade`. The frames are the same as one faded stream's.
"""

from __future__ import annotations

import math

from reelterm.media._graph import Graph, num


def layer(g: Graph, src: str, frames: int, offset: int, fade_in: float = 0.0, fade_out: float = 0.0) -> str:
    """`[src]` (one RGBA picture) as `frames` yuva420p frames from timeline frame `offset`; returns its label.

    `fade_in` and `fade_out` are alpha fades in seconds at the start and the end (0: none)."""
    out = g.label("l")
    fps = g.fps
    dur = frames / fps
    head = min(frames, math.ceil(fade_in * fps)) if fade_in > 0 else 0
    tail_from = max(0, math.floor((dur - fade_out) * fps)) if fade_out > 0 else frames
    fin = f"fade=t=in:st=0:d={num(fade_in)}:alpha=1"
    if head >= tail_from or frames < 8:  # the fades meet: one stream through both
        chain = f"[{src}]format=yuva420p,{g.still(frames, offset)}"
        if fade_in > 0:
            chain += f",fade=t=in:st={num(offset / fps)}:d={num(fade_in)}:alpha=1"
        if fade_out > 0:
            chain += f",fade=t=out:st={num((offset + frames) / fps - fade_out)}:d={num(fade_out)}:alpha=1"
        g.add_chain(chain + f"[{out}]")
        return out
    spans = [(0, head, fin), (head, tail_from, ""),
             (tail_from, frames, f"fade=t=out:st={num(dur - fade_out - tail_from / fps)}:d={num(fade_out)}:alpha=1")]
    spans = [s for s in spans if s[1] > s[0]]
    if len(spans) == 1:
        g.add_chain(f"[{src}]format=yuva420p,{g.still(frames, offset)}[{out}]")
        return out
    parts = [g.label("lp") for _ in spans]
    g.add_chain(f"[{src}]format=yuva420p,split={len(spans)}" + "".join(f"[{p}]" for p in parts))
    pieces = []
    for (a, b, fade), part in zip(spans, parts, strict=True):
        piece = g.label("lq")
        repeat = f"loop=loop={b - a - 1}:size=1:start=0,settb=1/{fps},setpts=N"  # exactly b - a frames
        g.add_chain(f"[{part}]{repeat}" + (f",{fade}" if fade else "") + f"[{piece}]")
        pieces.append(piece)
    shift = f"+{offset}" if offset else ""
    g.add_chain("".join(f"[{p}]" for p in pieces)
                + f"concat=n={len(pieces)}:v=1:a=0,settb=1/{fps},setpts=N{shift}[{out}]")
    return out
