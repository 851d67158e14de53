"""Uploaded photos: where their centre of interest is, a Ken Burns pan toward it, and framed cards."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from reelterm.media._cache import write_cached
from reelterm.media.errors import MediaError

if TYPE_CHECKING:
    from PIL.ImageFile import ImageFile

MAX_PIXELS = 80_000_000
"""Photos larger than this (e.g. 20000x20000) are refused with a sentence instead of exhausting memory."""


def _open(path: Path) -> ImageFile:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None  # we check the size ourselves, with a sentence
    try:
        img = Image.open(path)
        w, h = img.size
    except (OSError, ValueError, SyntaxError) as exc:
        raise MediaError(f"{path.name} is not a picture that can be read.") from exc
    _check_size(path, w, h)
    return img


def _check_size(path: Path, w: int, h: int) -> None:
    """MediaError with a sentence when a picture is too large or too small to show."""
    if w * h > MAX_PIXELS:
        raise MediaError(f"{path.name} is {w}x{h} pixels, too large to show (at most {MAX_PIXELS // 1_000_000} "
                         "megapixels); scale it down first.")
    if w < 16 or h < 16:
        raise MediaError(f"{path.name} is only {w}x{h} pixels, too small to show; use a picture at least 16 "
                         "pixels on each side.")


def check_if_picture(path: Path) -> None:
    """MediaError with a sentence when `path` is a picture too small or too large to show (headers only)."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = None
    try:
        with Image.open(path) as img:
            w, h = img.size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return  # not a picture Pillow knows (a clip, a sound): the probe decides
    _check_size(path, w, h)


def check_photo(path: Path) -> tuple[int, int]:
    """The photo's size; MediaError with a sentence for unreadable, tiny (1x1) or huge pictures."""
    with _open(path) as img:
        return img.size


def focus(path: Path) -> tuple[float, float]:
    """The centre of interest (0-1, 0-1): the centre of mass of edges on a small thumbnail."""
    from PIL import Image, ImageFilter, ImageOps

    with _open(path) as img:
        img.draft("L", (128, 128))
        small = ImageOps.exif_transpose(img).convert("L")
        small.thumbnail((96, 96), Image.Resampling.BILINEAR)
    edges = small.filter(ImageFilter.FIND_EDGES)
    w, h = edges.size
    data = edges.tobytes()
    tot = sx = sy = 0.0
    for y in range(1, h - 1):  # the border of FIND_EDGES is noise
        row = data[y * w:(y + 1) * w]
        for x in range(1, w - 1):
            v = row[x]
            if v > 24:
                tot += v
                sx += v * x
                sy += v * y
    if tot <= 0:
        return 0.5, 0.5
    fx, fy = sx / tot / max(1, w - 1), sy / tot / max(1, h - 1)
    # pull toward the centre: edges are a hint, not a verdict
    return 0.5 + (fx - 0.5) * 0.8, 0.5 + (fy - 0.5) * 0.8


def cover_pan(iw: int, ih: int, W: int, H: int, fx: float, fy: float, zoom: float = 1.14
              ) -> tuple[int, int, tuple[int, int], tuple[int, int]]:
    """Scaled size (sw, sh) covering the canvas `zoom` times, and crop corners at the start and end.

    The pan starts at the centre and ends with the centre of interest as near the middle as the
    picture allows, so the interesting part is always inside the canvas.
    """
    s = max(W / iw, H / ih) * zoom
    sw, sh = max(W, round(iw * s)), max(H, round(ih * s))
    sw, sh = sw + sw % 2, sh + sh % 2

    def clamp(v: float, hi: int) -> int:
        return max(0, min(hi, round(v)))

    start = (clamp((sw - W) / 2, sw - W), clamp((sh - H) / 2, sh - H))
    end = (clamp(fx * sw - W / 2, sw - W), clamp(fy * sh - H / 2, sh - H))
    if start == end:  # nothing to move toward: drift gently to one side
        end = (clamp(start[0] + (sw - W) * 0.4, sw - W), start[1])
    return sw, sh, start, end


def photo_card(path: Path, box_w: int, box_h: int, cache_dir: Path) -> Path:
    """The photo cropped around its centre of interest to a `box_w`x`box_h` card with rounded corners."""
    from PIL import Image, ImageDraw, ImageOps

    st = path.stat()
    key = hashlib.sha256(f"card|{path}|{st.st_size}|{st.st_mtime_ns}|{box_w}|{box_h}".encode()).hexdigest()[:24]
    out = Path(cache_dir) / f"card-{key}.png"
    if out.is_file():
        return out
    fx, fy = focus(path)
    with _open(path) as original:
        img = ImageOps.exif_transpose(original).convert("RGB")
        iw, ih = img.size
        s = max(box_w / iw, box_h / ih)
        cw, ch = box_w / s, box_h / s
        x0 = max(0.0, min(iw - cw, fx * iw - cw / 2))
        y0 = max(0.0, min(ih - ch, fy * ih - ch / 2))
        card = img.resize((box_w, box_h), Image.Resampling.LANCZOS, box=(x0, y0, x0 + cw, y0 + ch))
    mask = Image.new("L", (box_w, box_h), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, box_w - 1, box_h - 1), radius=max(4, min(box_w, box_h) // 14),
                                           fill=255)
    card.putalpha(mask)
    write_cached(out, lambda tmp: card.save(tmp, format="PNG", compress_level=1))
    return out
