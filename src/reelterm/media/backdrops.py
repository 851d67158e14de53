"""Scene backgrounds that move: a soft gradient with bokeh, drawn small once and seen through a drifting window."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from reelterm.media._cache import write_cached

_VERSION = "2"
SCALE = 4
"""The background is drawn at 1/SCALE of the canvas (it is soft) and scaled up once by ffmpeg."""


def backdrop_png(c0: str, c1: str, width: int, height: int, seed: int, cache_dir: Path) -> Path:
    """A `width`x`height` / SCALE PNG: c0 -> c1 -> c0 across, darker at the bottom, with soft bokeh."""
    w, h = max(8, width // SCALE), max(8, height // SCALE)
    key = hashlib.sha256(f"{_VERSION}|{c0}|{c1}|{w}|{h}|{seed}".encode()).hexdigest()[:24]
    path = Path(cache_dir) / f"backdrop-{key}.png"
    if path.is_file():
        return path
    from PIL import Image, ImageDraw, ImageFilter

    a, b = bytes.fromhex(c0), bytes.fromhex(c1)
    row = bytearray()
    for col in range(w):
        k = 1 - abs(1 - 2 * col / max(1, w - 1))
        row += bytes(round(a[i] + (b[i] - a[i]) * k) for i in range(3))
    img = Image.frombytes("RGB", (w, 1), bytes(row)).resize((w, h), Image.Resampling.NEAREST).convert("RGBA")
    shade = Image.linear_gradient("L").resize((w, h)).point(lambda v: int(v * 0.45))
    dark = Image.new("RGBA", (w, h), (0, 0, 0, 255))
    dark.putalpha(shade)
    img = Image.alpha_composite(img, dark)
    glow = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(glow)
    rnd = random.Random(seed)
    light = tuple(min(255, v + 110) for v in b)
    for _ in range(14):
        r = rnd.uniform(0.03, 0.13) * min(w, h) * 2
        x, y = rnd.uniform(0, w), rnd.uniform(0, h * 0.9)
        alpha = rnd.randint(18, 55)
        d.ellipse((x - r, y - r, x + r, y + r), fill=(*light, alpha))
    for _ in range(3):  # a few large, very soft glows
        r = rnd.uniform(0.35, 0.55) * min(w, h)
        x, y = rnd.uniform(0, w), rnd.uniform(0, h * 0.6)
        d.ellipse((x - r, y - r, x + r, y + r), fill=(*light, 28))
    glow = glow.filter(ImageFilter.GaussianBlur(max(1.0, min(w, h) / 60)))
    img = Image.alpha_composite(img, glow).convert("RGB")
    write_cached(path, lambda tmp: img.save(tmp, format="PNG", compress_level=1))
    return path
