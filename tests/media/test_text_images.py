"""Text PNGs: tight, cached, inside the title-safe area, any text."""

from __future__ import annotations

from PIL import Image

from reelterm.media.text_images import SAFE_X, SAFE_Y, render_text

NASTY = ["it's \"quoted\": 100% \\ back\\slash ; [x] {y} $z", "line one\nline two\r\nthree",
         "emoji 🎬🔥", "中文字幕 日本語", "مرحبا بالعالم", "שלום", "", "   ", "a" * 500,
         "'; drawtext=text=pwned:x=0 [out]", "%{localtime} %{pts}"]


def test_tight_rgba_and_cached(tmp_path):
    img = render_text("Urban Dreams", "title", None, 1920, 1080, tmp_path)
    again = render_text("Urban Dreams", "title", None, 1920, 1080, tmp_path)
    assert img == again
    with Image.open(img.path) as im:
        assert im.mode == "RGBA" and im.size == (img.width, img.height)
        assert im.getbbox() is not None
    assert img.width < 1920 * 0.8 and img.height < 300
    assert len(list(tmp_path.glob("*.png"))) == 1


def test_styles_positions_differ(tmp_path):
    title = render_text("Hello", "title", None, 1280, 720, tmp_path)
    cap = render_text("Hello", "caption", None, 1280, 720, tmp_path)
    low = render_text("Hello", "lower_third", None, 1280, 720, tmp_path)
    top = render_text("Hello", "caption", "top", 1280, 720, tmp_path)
    assert title.height > cap.height
    assert abs(title.y + title.height / 2 - 360) < 5  # title centred
    assert cap.y > 360 and top.y < 360
    assert low.x == int(1280 * SAFE_X)  # lower third sits at the left safe edge


def test_everything_stays_inside_safe_area(tmp_path):
    for w, h in ((1920, 1080), (1080, 1920), (1080, 1080), (64, 36)):
        for text in NASTY:
            for style in ("title", "caption", "lower_third"):
                img = render_text(text, style, None, w, h, tmp_path)
                assert img.path.is_file()
                assert img.x >= int(w * SAFE_X) - 1 and img.x + img.width <= w - int(w * SAFE_X) + 1
                assert img.y >= int(h * SAFE_Y) - 1 and img.y + img.height <= h - int(h * SAFE_Y) + 1


def test_long_text_wraps(tmp_path):
    one = render_text("word " * 4, "caption", None, 1280, 720, tmp_path)
    many = render_text("word " * 40, "caption", None, 1280, 720, tmp_path)
    assert many.height > one.height * 1.8
