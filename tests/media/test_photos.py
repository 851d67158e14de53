"""Photos: the centre of interest stays inside the canvas while the Ken Burns pan moves toward it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from reelterm.media.photos import cover_pan, focus, photo_card


def _photo(path: Path, size: tuple[int, int], spot: tuple[float, float]) -> Path:
    img = Image.new("RGB", size, (90, 110, 130))  # a plain wall ...
    d = ImageDraw.Draw(img)
    x, y = spot[0] * size[0], spot[1] * size[1]
    r = min(size) * 0.08
    for k in range(6):  # ... with one busy object on it
        d.rectangle((x - r + k * 6, y - r + k * 4, x + r - k * 5, y + r - k * 3), outline=(255 - 30 * k, 40, 20 * k),
                    width=3)
    img.save(path)
    return path


@pytest.mark.parametrize("spot", [(0.2, 0.25), (0.8, 0.7), (0.5, 0.5), (0.15, 0.8)])
@pytest.mark.parametrize("canvas", [(1920, 1080), (1080, 1920), (1080, 1080)])
def test_the_subject_stays_in_frame(tmp_path: Path, spot: tuple[float, float], canvas: tuple[int, int]) -> None:
    iw, ih = 1600, 1200
    fx, fy = focus(_photo(tmp_path / "p.png", (iw, ih), spot))
    assert abs(fx - spot[0]) < 0.2 and abs(fy - spot[1]) < 0.2, (fx, fy)
    W, H = canvas
    sw, sh, start, end = cover_pan(iw, ih, W, H, fx, fy)
    assert sw >= W and sh >= H
    for x, y in (start, end):
        assert 0 <= x <= sw - W and 0 <= y <= sh - H
    sx, sy = spot[0] * sw, spot[1] * sh
    ex, ey = end
    # at the end of the pan the subject is inside the canvas, nearer its middle than at the start
    assert ex <= sx <= ex + W and ey <= sy <= ey + H
    mid = lambda c: ((sx - c[0] - W / 2) ** 2 + (sy - c[1] - H / 2) ** 2) ** 0.5  # noqa: E731
    assert mid(end) <= max(mid(start), 0.1 * min(W, H))


def test_photo_card_is_cropped_to_its_box(tmp_path: Path) -> None:
    photo = _photo(tmp_path / "wide.png", (1600, 600), (0.85, 0.5))
    card = photo_card(photo, 300, 400, tmp_path)
    with Image.open(card) as img:
        assert img.size == (300, 400) and img.mode == "RGBA"
        assert img.getpixel((0, 0))[3] == 0, "rounded corners"
        # the busy object (right side of the photo) is in the card, not cropped away
        reds = sum(1 for x in range(0, 300, 5) for y in range(0, 400, 5) if img.getpixel((x, y))[0] > 200)
        assert reds > 5
