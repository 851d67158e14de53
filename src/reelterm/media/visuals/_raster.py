"""Pictures and uploaded photos as RGBA PNGs of an exact size, drawn by libvips, cached by content.

The cache file name is a hash of what was drawn (the SVG bytes or the photo's bytes), the size and
this module's version, so an updated library or an edited photo never reuses a stale file.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from reelterm.media._cache import write_cached
from reelterm.media.errors import MediaError
from reelterm.media.visuals._library import library

_VERSION = "1"
MIN_SIZE = 16
"""The smallest picture size (longer side, pixels) `picture_png` draws."""
MAX_SIZE = 4096
"""The largest picture size (longer side, pixels) `picture_png` draws."""
PHOTO_MIN_SIDE = 16
"""An uploaded photo's shorter side must be at least this many pixels."""
PHOTO_MAX_PIXELS = 100_000_000
"""Uploaded photos above this many pixels are refused before any pixel is decoded."""
PHOTO_MAX_BYTES = 200_000_000
"""Uploaded photo files above this size are refused before they are read."""
PHOTO_LOADERS = ("jpegload", "pngload", "webpload", "gifload", "tiffload", "heifload")


@cache
def _vips() -> Any:
    """The pyvips module, or `MediaError` saying the rasteriser is unavailable."""
    try:
        import pyvips
    except Exception as exc:  # cffi/libvips load failures raise OSError, ImportError and others
        raise MediaError("Pictures cannot be drawn because the pyvips rasteriser did not load; "
                         "reinstall reelterm with pip (it brings pyvips-binary).") from exc
    return pyvips


def _cache_dir(cache_dir: Path | None) -> Path:
    if cache_dir is not None:
        return Path(cache_dir)
    from reelterm.config import app_paths

    return app_paths().cache_dir / "pictures"


def _store(path: Path, png: bytes) -> Path:
    """Write a finished PNG into the cache, or say why the cache cannot take it."""
    try:
        return write_cached(path, lambda tmp: tmp.write_bytes(png))
    except OSError as exc:
        raise MediaError(f"The picture cache at {path.parent} cannot be written "
                         f"({exc.strerror or 'not writable'}).") from exc


def _check_size(size: object, low: int = MIN_SIZE, high: int = MAX_SIZE) -> int:
    if isinstance(size, bool) or not isinstance(size, int) or not low <= size <= high:
        raise MediaError(f"A picture size must be a whole number of pixels from {low} to {high}, "
                         f"not {str(size)[:40]}.")
    return size


def _rgba(img: Any) -> Any:
    """The image as 8-bit sRGB with an alpha band."""
    if img.interpretation not in ("srgb", "b-w") or img.format != "uchar":
        img = img.colourspace("srgb")
    if img.bands in (1, 2):
        img = img.colourspace("srgb")
    if img.bands == 3:
        img = img.bandjoin_const([255])
    if img.format != "uchar":
        img = img.cast("uchar")
    return img


def picture_png(ref: str, size: int, *, cache_dir: Path | None = None) -> Path:
    """The library picture `ref` as an RGBA PNG whose longer side is exactly `size` px (cached)."""
    size = _check_size(size)
    data = library().svg(ref)
    key = hashlib.sha256(b"%s\0%d\0" % (_VERSION.encode(), size) + data).hexdigest()[:32]
    path = _cache_dir(cache_dir) / f"pic-{key}.png"
    if path.is_file() and path.stat().st_size > 0:
        return path
    vips = _vips()
    try:
        img = vips.Image.thumbnail_buffer(data, size, height=size)
        if max(img.width, img.height) != size:  # rounding: stretch the one pixel back
            scale = size / max(img.width, img.height)
            img = img.resize(scale)
        png = _rgba(img).pngsave_buffer(compression=2)
    except vips.Error as exc:
        raise MediaError(f"The bundled picture {ref} could not be drawn.") from exc
    return _store(path, png)


def pictures_png(wanted: list[tuple[str, int]], *, cache_dir: Path | None = None,
                 workers: int | None = None) -> list[Path]:
    """`picture_png` for many (ref, size) pairs at once, drawn on every core; same order back.

    libvips draws without holding Python's lock, so a video's pictures take about one core's
    share each instead of queueing; the first bad ref or size raises its `MediaError`.
    """
    import os
    from concurrent.futures import ThreadPoolExecutor

    for ref, size in wanted:  # say what is wrong before drawing anything
        _check_size(size)
        library().require(ref)
    todo = list(dict.fromkeys(wanted))
    n = max(1, min(len(todo), workers or os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=n) as pool:
        done = dict(zip(todo, pool.map(lambda rs: picture_png(rs[0], rs[1], cache_dir=cache_dir), todo),
                        strict=True))
    return [done[w] for w in wanted]


def user_image_png(path: Path, max_side: int = 2160, *, cache_dir: Path | None = None) -> Path:
    """An uploaded photo as an RGBA PNG no larger than `max_side` (EXIF-rotated, cached).

    The header is read first: a photo under 16 px on a side, over 100 megapixels, or not a
    photo format is refused with a sentence before any pixel is decoded.
    """
    max_side = _check_size(max_side)
    path = Path(path)
    name = path.name[:60]
    try:
        if path.stat().st_size > PHOTO_MAX_BYTES:
            raise MediaError(f"{name} is larger than {PHOTO_MAX_BYTES // 1_000_000} MB; "
                             "use a smaller picture.")
        data = path.read_bytes()
    except OSError as exc:
        raise MediaError(f"The picture {name} cannot be read ({exc.strerror or 'unreadable'}).") from exc
    vips = _vips()
    try:
        head = vips.Image.new_from_buffer(data, "", access="sequential")
        loader = head.get("vips-loader")
    except vips.Error as exc:
        raise MediaError(f"{name} is not a picture reelterm can read (JPEG, PNG, WebP, GIF, "
                         "TIFF or AVIF).") from exc
    if not any(loader.startswith(ok) for ok in PHOTO_LOADERS):
        raise MediaError(f"{name} is not a photo (JPEG, PNG, WebP, GIF, TIFF or AVIF).")
    w, h = head.width, head.height
    if min(w, h) < PHOTO_MIN_SIDE:
        raise MediaError(f"{name} is only {w}x{h} pixels; use a picture at least "
                         f"{PHOTO_MIN_SIDE} pixels on each side.")
    if w * h > PHOTO_MAX_PIXELS:
        raise MediaError(f"{name} is {w}x{h} pixels ({w * h / 1e6:.0f} megapixels); reelterm takes "
                         f"pictures up to {PHOTO_MAX_PIXELS // 1_000_000} megapixels, so scale it down first.")
    side = min(max_side, max(w, h))
    key = hashlib.sha256(b"photo\0%s\0%d\0" % (_VERSION.encode(), side) + data).hexdigest()[:32]
    out = _cache_dir(cache_dir) / f"photo-{key}.png"
    if out.is_file() and out.stat().st_size > 0:
        return out
    try:
        img = vips.Image.thumbnail_buffer(data, side, height=side)  # applies the EXIF rotation
        png = _rgba(img).pngsave_buffer(compression=2)
    except vips.Error as exc:
        raise MediaError(f"{name} is damaged or truncated and cannot be used as a picture.") from exc
    return _store(out, png)
