"""Transitions between two scenes: slides and wipes made by moving a window, the rest by `xfade`.

`xfade` computes every pixel of every blended frame in plain C: at 1080p a slide costs ~17 ms
a frame and a wipe ~7 ms. A slide is the same picture as a window moving over the two frames
side by side (`hstack` + `crop`: two copies and a pointer move), and a wipe is a `maskedmerge`
through a window moving over a mask that is half black, half white (SIMD, ~2 ms a frame).
The frames match `xfade`'s to within the rounding of the window to even offsets.
"""

from __future__ import annotations

from collections.abc import Callable

WINDOWED = ("slideleft", "slideright", "slideup", "wipeleft", "wiperight", "wipeup")
"""Transitions drawn here by a moving window."""
_SMOOTH = "(st(9,clip({v},0,1));ld(9)*ld(9)*(3-2*ld(9)))"
"""`xfade`'s smoothstep(0, 1, v) as a `geq` expression (P is its progress, 1 -> 0)."""
SOFT = {
    "fade": "P",
    "smoothleft": "1-" + _SMOOTH.format(v="1+X/W-P*2"),
    "smoothright": "1-" + _SMOOTH.format(v="1+(W-1-X)/W-P*2"),
    "circleopen": _SMOOTH.format(v="hypot(X-W/2,Y-H/2)/hypot(W/2,H/2)+(P-0.5)*3"),
    "circleclose": "1-" + _SMOOTH.format(v="hypot(X-W/2,Y-H/2)/hypot(W/2,H/2)+(0.5-P)*3"),
}
"""Soft transitions drawn here through a mask: how much of the old frame each pixel keeps.

The mask is computed by `geq` at an eighth of the canvas (these edges are soft) and scaled up;
`maskedmerge` then blends in SIMD, where `xfade` converts both frames to 4:4:4 and back."""


def transition(name: str, old: str, new: str, out: str, frames: int, canvas: tuple[int, int, int],
               label: Callable[[str], str]) -> str:
    """Chains blending `[old]` into `[new]` (both `frames` long on a W, H, fps `canvas`) as `[out]`."""
    w, h, fps = canvas
    n = max(1, frames)
    if name == "slideleft":  # the new frame pushes in from the right
        return f"[{old}][{new}]hstack=inputs=2,crop={w}:{h}:x='ceil(n*{w}/{n})':y=0[{out}]"
    if name == "slideright":  # from the left
        return f"[{new}][{old}]hstack=inputs=2,crop={w}:{h}:x='{w}-ceil(n*{w}/{n})':y=0[{out}]"
    if name == "slideup":  # from below
        return f"[{old}][{new}]vstack=inputs=2,crop={w}:{h}:x=0:y='ceil(n*{h}/{n})'[{out}]"
    if name in ("wipeleft", "wiperight", "wipeup"):
        # a 4x2 (or 2x4) picture, one half black and one white in every plane, scaled up without
        # blending to twice the canvas, and seen through a window that moves with the wipe
        if name == "wipeup":  # the new frame shows from the bottom edge up
            tiny, big, lum, chroma = "2x4", f"{w}x{2 * h}", "gte(Y,2)", "gte(Y,1)"
            window = f"x=0:y='ceil(n*{h}/{n})'"
        elif name == "wipeleft":  # from the right edge leftwards
            tiny, big, lum, chroma = "4x2", f"{2 * w}x{h}", "gte(X,2)", "gte(X,1)"
            window = f"x='ceil(n*{w}/{n})':y=0"
        else:  # wiperight: from the left edge rightwards
            tiny, big, lum, chroma = "4x2", f"{2 * w}x{h}", "lt(X,2)", "lt(X,1)"
            window = f"x='{w}-ceil(n*{w}/{n})':y=0"
        mask = label("mask")
        return (f"color=c=black:s={tiny}:r={fps},format=yuv420p,trim=end_frame=1,"
                f"geq=lum='255*{lum}':cb='255*{chroma}':cr='255*{chroma}',"
                f"scale={big}:flags=neighbor,loop=loop={n - 1}:size=1:start=0,settb=1/{fps},setpts=N,"
                f"crop={w}:{h}:{window}[{mask}];"
                f"[{old}][{new}][{mask}]maskedmerge[{out}]")
    if name in SOFT:
        mask = label("mask")
        mw, mh = max(8, w // 16 * 2), max(8, h // 16 * 2)  # the canvas's shape
        keep = SOFT[name].replace("P", f"(1-N/{n})")
        return (f"color=c=black:s={mw}x{mh}:r={fps},format=yuv420p,trim=end_frame={n},settb=1/{fps},setpts=N,"
                f"geq=lum='255-255*({keep})':cb='255-255*({keep})':cr='255-255*({keep})',"
                f"scale={w}:{h}:flags=bilinear[{mask}];"
                f"[{old}][{new}][{mask}]maskedmerge[{out}]")
    return f"[{old}][{new}]xfade=transition={name}:duration={n / fps:.6f}:offset=0[{out}]"
