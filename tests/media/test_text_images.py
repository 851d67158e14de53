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


def test_undrawable_names_what_the_bundled_fonts_lack():
    from reelterm.media.text_images import undrawable

    assert undrawable("Urban Dreams — café “50%”, Привет, Γειά") == ""
    assert undrawable("城市之梦 Urban Dreams こんにちは") == ""  # the CJK font covers Latin and kana
    assert undrawable("Party 🎉🎉 time 👍🏽") == "🎉👍🏽"
    assert undrawable("שלום") == "שלום" and undrawable("안녕 세계") == "안녕세계"
    assert undrawable("a\u200db\ufe0f\u0301") == ""  # joiners, selectors and marks draw nothing alone


def test_cmap_reader_agrees_with_what_pillow_draws(tmp_path):
    from PIL import ImageFont

    from reelterm.media._cmap import covered
    from reelterm.media.assets import cjk_font, latin_font

    for font_path, present, absent in ((latin_font(), "AzéЖΩ€", "城🎉ש"), (cjk_font(), "A城か", "🎉ש")):
        points = covered(font_path)
        font = ImageFont.truetype(str(font_path), 40, layout_engine=ImageFont.Layout.BASIC)

        def drawn(ch: str, font=font) -> bytes:
            mask = font.getmask(ch)
            return bytes(mask) + bytes(str(mask.size), "ascii")

        notdef = drawn("\U0010fffd")
        for ch in present:
            assert ord(ch) in points and drawn(ch) != notdef, ch
        for ch in absent:
            assert ord(ch) not in points and drawn(ch) == notdef, ch
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"\x00\x01\x00\x00" + b"\xff" * 40)
    assert covered(broken) == frozenset()


def test_a_cache_write_that_fails_leaves_nothing_behind(tmp_path):
    import pytest

    from reelterm.media._cache import write_cached

    def broken(tmp):
        tmp.write_bytes(b"half a png")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_cached(tmp_path / "cache" / "text-x.png", broken)
    assert list((tmp_path / "cache").iterdir()) == []
    assert write_cached(tmp_path / "cache" / "text-x.png", lambda tmp: tmp.write_bytes(b"png")).read_bytes() == b"png"
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["text-x.png"]


def test_big_words_keep_no_break_spaces_together(tmp_path) -> None:
    """A scene's big words never end a line on a word the planner glued to the next one."""
    from reelterm.media.layouts import Box
    from reelterm.media.scene_text import draw_pieces

    text = "Shows where your dog is on\u00a0a live map, with\u00a0the\u00a0route"
    groups = text.split(" ")  # "on a" and "with the route" are one group each
    for w in (360, 480, 620):
        pieces = draw_pieces(text, Box(0, 0, w, 600), 64, split="words", cache_dir=tmp_path)
        assert len(pieces) == len(groups), w  # a glued group is one piece: never split over two lines
        assert len({p.y for p in pieces}) >= 2  # and the text did wrap


def test_a_glued_group_wider_than_the_line_breaks_between_words() -> None:
    """No-break spaces never force a word to be cut in the middle."""
    from reelterm.media.assets import font_for
    from reelterm.media.text_images import _font, _wrap

    font = _font(font_for("Sunlight"), 48, 700, False)
    text = "Sunlight\u00a0keeps\u00a0working everywhere"
    width = font.getlength("Sunlight keeps") + 4
    lines = _wrap(text, font, width).split("\n")
    words = [w for line in lines for w in line.replace("\u00a0", " ").split(" ")]
    assert words == ["Sunlight", "keeps", "working", "everywhere"], lines
