"""Uploaded photos as safe, bounded PNGs: tiny, gigantic, broken and non-photo files get a sentence."""

from __future__ import annotations

import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from reelterm.media import MediaError
from reelterm.media.visuals import user_image_png


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def huge_png(path: Path, side: int = 20000) -> Path:
    """A valid 1-bit PNG of side x side pixels that is only a few hundred KB on disk."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    comp = zlib.compressobj(9)
    body = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", body)
                     + _png_chunk(b"IEND", b""))
    return path


def test_a_1x1_image_is_refused_with_a_sentence(tmp_path: Path) -> None:
    src = tmp_path / "dot.png"
    Image.new("RGB", (1, 1), "red").save(src)
    with pytest.raises(MediaError, match=r"dot\.png is only 1x1 pixels; use a picture at least 16"):
        user_image_png(src, cache_dir=tmp_path)


def test_a_20000x20000_image_is_refused_before_decoding(tmp_path: Path) -> None:
    src = huge_png(tmp_path / "huge.png")
    assert src.stat().st_size < 2_000_000
    start = time.perf_counter()
    with pytest.raises(MediaError, match=r"huge\.png is 20000x20000 pixels \(400 megapixels\)"):
        user_image_png(src, cache_dir=tmp_path)
    assert time.perf_counter() - start < 1.0  # the header alone was read
    assert not list(tmp_path.glob("photo-*.png"))


@pytest.mark.parametrize(("size", "want"), [((640, 480), (640, 480)), ((3000, 1000), (2160, 720)),
                                            ((900, 2700), (720, 2160))])
def test_photos_become_rgba_pngs_no_larger_than_asked(size, want, tmp_path: Path) -> None:
    src = tmp_path / "photo.jpg"
    Image.new("RGB", size, (30, 120, 200)).save(src, quality=80)
    out = user_image_png(src, cache_dir=tmp_path)
    img = Image.open(out)
    assert img.mode == "RGBA" and img.size == want
    assert user_image_png(src, cache_dir=tmp_path) == out  # cached by content


def test_exif_rotation_is_applied(tmp_path: Path) -> None:
    src = tmp_path / "portrait.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    Image.new("RGB", (400, 200), "white").save(src, exif=exif)
    assert Image.open(user_image_png(src, cache_dir=tmp_path)).size == (200, 400)


@pytest.mark.parametrize(("name", "data", "words"), [
    ("notes.jpg", b"this is not a picture at all", "is not a picture reelterm can read"),
    ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"/>', "is not a photo"),
])
def test_non_photos_get_a_sentence(name: str, data: bytes, words: str, tmp_path: Path) -> None:
    src = tmp_path / name
    src.write_bytes(data)
    with pytest.raises(MediaError, match=words):
        user_image_png(src, cache_dir=tmp_path)


def test_a_truncated_photo_gets_a_sentence(tmp_path: Path) -> None:
    src = tmp_path / "cut.jpg"
    Image.new("RGB", (800, 600), "green").save(src)
    src.write_bytes(src.read_bytes()[:400])
    with pytest.raises(MediaError, match=r"cut\.jpg"):
        user_image_png(src, cache_dir=tmp_path)


def test_a_missing_file_gets_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match=r"The picture gone\.png cannot be read"):
        user_image_png(tmp_path / "gone.png", cache_dir=tmp_path)


@pytest.mark.parametrize("mode", ["L", "LA", "I;16", "P", "CMYK"])
def test_any_pixel_format_becomes_8_bit_rgba(mode: str, tmp_path: Path) -> None:
    src = tmp_path / ("photo.jpg" if mode == "CMYK" else "photo.png")
    Image.new(mode, (120, 80)).save(src)
    img = Image.open(user_image_png(src, cache_dir=tmp_path))
    assert img.mode == "RGBA" and img.size == (120, 80)


def test_an_unwritable_cache_gets_a_sentence(tmp_path: Path) -> None:
    src = tmp_path / "photo.png"
    Image.new("RGB", (64, 64), "blue").save(src)
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    with pytest.raises(MediaError, match="picture cache at .* cannot be written"):
        user_image_png(src, cache_dir=blocker / "pictures")
