"""Pictures a scene shows: bundled library pictures (`icon:`), abstract motifs (`motif:`), QR codes.

Every picture is an RGBA PNG made once at the exact pixel size its layout box needs and cached
by a hash of what it shows; ffmpeg decodes it once and moves it with overlay expressions.
"""

from __future__ import annotations

import colorsys
import hashlib
import math
import random
import re
from pathlib import Path
from typing import TYPE_CHECKING

from reelterm.media._cache import write_cached
from reelterm.media.errors import MediaError

if TYPE_CHECKING:
    from PIL.Image import Image

MOTIFS = ("rings", "blobs", "dots", "waves", "arcs", "orbit", "quote")
"""Motif names the renderer draws (`motif:NAME`)."""
_VERSION = "2"


def icon_exists(ref: str) -> bool:
    """True when `icon:SET/ID` is in the bundled visual library (False when there is none)."""
    try:
        from reelterm.media.visuals import library
    except ImportError:
        return False
    try:
        return library().get(ref) is not None
    except (LookupError, ValueError, OSError):
        return False


def motif_exists(ref: str) -> bool:
    """True when `motif:NAME` names a motif the renderer draws."""
    return ref.startswith("motif:") and ref[6:] in MOTIFS


def icon_png(ref: str, size: int) -> Path:
    """The library picture `ref` as an RGBA PNG whose longer side is `size`; MediaError if unknown."""
    try:
        from reelterm.media.visuals import picture_png
    except ImportError as exc:
        raise MediaError(f"{ref} cannot be drawn: the bundled picture library is not installed.") from exc
    try:
        return Path(picture_png(ref, max(16, min(4096, int(size)))))
    except MediaError:
        raise
    except (LookupError, ValueError, OSError) as exc:
        raise MediaError(f"The picture {ref} does not exist in the bundled library.") from exc


CREDITED_SETS = frozenset({"streamline", "freehand", "plump", "streamline-color"})
"""Bundled sets under CC BY 4.0 (LICENSES/CREDITS.md): a video that shows one must credit it."""
CREDIT = ("This video shows pictures from Streamline (CC BY 4.0): credit "
          "“Icons: Streamline (streamlinehq.com), CC BY 4.0” where you publish it.")


def credit_for(ref: str) -> str | None:
    """The credit line a video showing library picture `ref` must carry, or None when it needs none."""
    if not ref.startswith("icon:"):
        return None
    return CREDIT if ref[5:].split("/", 1)[0] in CREDITED_SETS else None


def tints(c0: str, c1: str) -> list[tuple[int, int, int]]:
    """Light, saturated tints of two hex colours (no '#') that read well on them."""
    out = []
    for c in (c1, c0):
        r, g, b = (int(c[i:i + 2], 16) / 255 for i in (0, 2, 4))
        h, _, s = colorsys.rgb_to_hls(r, g, b)
        for light, sat in ((0.72, 0.85), (0.62, 0.9), (0.85, 0.6)):
            rr, gg, bb = colorsys.hls_to_rgb(h, light, max(0.45, min(1.0, s * 0.4 + sat * 0.6)))
            out.append((round(rr * 255), round(gg * 255), round(bb * 255)))
    # one complementary accent keeps the motif from being a single hue
    r, g, b = (int(c1[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, _, _ = colorsys.rgb_to_hls(r, g, b)
    rr, gg, bb = colorsys.hls_to_rgb((h + 0.45) % 1, 0.7, 0.8)
    out.append((round(rr * 255), round(gg * 255), round(bb * 255)))
    return out


def motif_png(name: str, c0: str, c1: str, size: int, cache_dir: Path) -> Path:
    """The motif `name` drawn by Pillow in tints of c0/c1 (hex without '#'), `size` px square, cached."""
    if name not in MOTIFS:
        raise MediaError(f"motif:{name} is not a motif the renderer knows ({', '.join(MOTIFS)}).")
    size = max(16, min(2048, int(size)))
    key = hashlib.sha256(f"{_VERSION}|{name}|{c0}|{c1}|{size}".encode()).hexdigest()[:24]
    path = Path(cache_dir) / f"motif-{name}-{key}.png"
    if path.is_file():
        return path
    img = _draw_motif(name, tints(c0.lower(), c1.lower()), size, int(key[:8], 16))
    write_cached(path, lambda tmp: img.save(tmp, format="PNG", compress_level=1))
    return path


def _draw_motif(name: str, cols: list[tuple[int, int, int]], size: int, seed: int) -> Image:
    from PIL import Image, ImageDraw, ImageFilter

    S = 2 * size  # drawn at twice the size, then reduced: smooth edges
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    rnd = random.Random(seed)
    c = S / 2
    if name == "rings":
        for i, r in enumerate((0.46, 0.36, 0.26, 0.16)):
            col = cols[i % 3]
            w = int(S * (0.035 if i % 2 else 0.06))
            d.ellipse((c - r * S, c - r * S, c + r * S, c + r * S), outline=(*col, 235 - 30 * i), width=w)
        d.ellipse((c - 0.07 * S, c - 0.07 * S, c + 0.07 * S, c + 0.07 * S), fill=(*cols[-1], 255))
    elif name == "blobs":
        for i in range(3):
            col = cols[(i * 2) % len(cols)]
            pts = []
            r0 = S * (0.30 - 0.06 * i)
            cx, cy = c + (i - 1) * S * 0.12, c + (1 - i) * S * 0.08
            for k in range(64):
                a = 2 * math.pi * k / 64
                r = r0 * (1 + 0.12 * math.sin(3 * a + i) + 0.07 * math.cos(5 * a + 2 * i))
                pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
            layer = Image.new("RGBA", (S, S), (0, 0, 0, 0))
            ImageDraw.Draw(layer).polygon(pts, fill=(*col, 200))
            img = Image.alpha_composite(img, layer)
        d = ImageDraw.Draw(img)
    elif name == "dots":
        n = 7
        for yy in range(n):
            for xx in range(n):
                dx, dy = (xx - (n - 1) / 2) / ((n - 1) / 2), (yy - (n - 1) / 2) / ((n - 1) / 2)
                dist = math.hypot(dx, dy)
                if dist > 1.05:
                    continue
                r = S * 0.045 * (1.25 - dist * 0.7)
                x, y = c + dx * S * 0.42, c + dy * S * 0.42
                d.ellipse((x - r, y - r, x + r, y + r), fill=(*cols[(xx + yy) % 3], 240))
    elif name == "waves":
        for i in range(5):
            col = cols[i % 3] if i != 2 else cols[-1]
            y0 = S * (0.22 + 0.14 * i)
            pts = [(x, y0 + S * 0.06 * math.sin(2 * math.pi * x / S * 1.5 + i * 0.7)) for x in range(0, S + 1, 8)]
            d.line(pts, fill=(*col, 235), width=int(S * 0.045), joint="curve")
    elif name == "arcs":
        for i in range(4):
            r = S * (0.18 + 0.09 * i)
            start = rnd.randint(0, 90) + 40 * i
            d.arc((c - r, c - r, c + r, c + r), start, start + 200, fill=(*cols[i % 3], 240), width=int(S * 0.05))
        d.ellipse((c - S * 0.06, c - S * 0.06, c + S * 0.06, c + S * 0.06), fill=(*cols[-1], 255))
    elif name == "orbit":
        d.ellipse((c - S * 0.2, c - S * 0.2, c + S * 0.2, c + S * 0.2), fill=(*cols[0], 240))
        d.ellipse((c - S * 0.42, c - S * 0.42, c + S * 0.42, c + S * 0.42), outline=(*cols[2], 200),
                  width=int(S * 0.02))
        for k in range(3):
            a = 2 * math.pi * (k / 3 + rnd.random() * 0.1)
            x, y, r = c + S * 0.42 * math.cos(a), c + S * 0.42 * math.sin(a), S * (0.05 + 0.015 * k)
            d.ellipse((x - r, y - r, x + r, y + r), fill=(*cols[(k + 3) % len(cols)], 255))
    else:  # quote: two big soft quotation marks
        for k in (-1, 1):
            x = c + k * S * 0.22
            d.ellipse((x - S * 0.19, c - S * 0.3, x + S * 0.19, c + S * 0.08), fill=(*cols[2], 250))
            d.polygon([(x - S * 0.02, c), (x + S * 0.18, c - S * 0.06), (x - S * 0.16, c + S * 0.42)],
                      fill=(*cols[2], 250))
    shadow = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    shadow.putalpha(img.getchannel("A").point(lambda a: a * 0.35).filter(ImageFilter.GaussianBlur(S * 0.02)))
    out = Image.alpha_composite(shadow, img)
    return out.resize((size, size), Image.Resampling.LANCZOS)


_URL = re.compile(r"(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?::\d{2,5})?"
                  r"(?:/[A-Za-z0-9._~%/+-]*)?", re.IGNORECASE)


def safe_url(text: str) -> str | None:
    """The URL to encode in a QR code when `text` is one plain web address; None for anything else."""
    url = text.strip().rstrip(".。!！")
    if not url or len(url) > 200 or not url.isascii() or not _URL.fullmatch(url):
        return None
    if url.lower().startswith(("javascript", "data", "file")) or "@" in url:
        return None
    return url if url.lower().startswith(("http://", "https://")) else f"https://{url}"


def qr_png(url: str, size: int, cache_dir: Path) -> Path:
    """A QR code of `url` (already checked by `safe_url`), white modules on a rounded card, cached."""
    import segno
    from PIL import Image, ImageDraw

    size = max(64, min(2048, int(size)))
    key = hashlib.sha256(f"qr|{_VERSION}|{url}|{size}".encode()).hexdigest()[:24]
    path = Path(cache_dir) / f"qr-{key}.png"
    if path.is_file():
        return path
    qr = segno.make(url, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    n = len(matrix)
    quiet = 2
    cell = max(1, size // (n + 2 * quiet))
    side = cell * (n + 2 * quiet)
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    off = (size - side) // 2
    d.rounded_rectangle((off, off, off + side - 1, off + side - 1), radius=cell * 2, fill=(255, 255, 255, 255))
    for y, row in enumerate(matrix):
        for x, v in enumerate(row):
            if v:
                x0, y0 = off + (x + quiet) * cell, off + (y + quiet) * cell
                d.rectangle((x0, y0, x0 + cell - 1, y0 + cell - 1), fill=(17, 17, 17, 255))
    write_cached(path, lambda tmp: img.save(tmp, format="PNG", compress_level=1))
    return path


def bundled_exists(src: str) -> bool | None:
    """For `icon:`/`motif:` references: whether the renderer can draw them; None for any other kind."""
    if src.startswith("icon:"):
        return icon_exists(src)
    if src.startswith("motif:"):
        return motif_exists(src)
    return None
