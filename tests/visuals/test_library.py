"""The bundled visual library: contents, curation, drawing at exact sizes, cache, bad input."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from reelterm.media import MediaError
from reelterm.media.visuals import REF, SUBJECT_SETS, library, picture_png, pictures_png
from reelterm.media.visuals._library import DATA

SRC = Path(__file__).resolve().parents[2] / "src"


def _rgba(path: Path):
    from PIL import Image

    img = Image.open(path)
    img.load()
    return img


def test_library_holds_2000_pictures_with_english_and_chinese_words() -> None:
    lib = library()
    pics = lib.all()
    assert len(pics) >= 2000
    assert len(lib.all(SUBJECT_SETS)) >= 2300  # one picture per subject and set, not only restyled twins
    for p in pics:
        assert REF.fullmatch(p.ref) and p.ref == f"icon:{p.set}/{p.id}"
        assert p.name_en.strip() and p.name_zh.strip(), p.ref
        assert lib.get(p.ref) is p
    # Chinese names are Chinese (a few, like "DNA", are the same in both languages)
    assert sum(1 for p in pics if re.search(r"[\u4e00-\u9fff]", p.name_zh)) / len(pics) > 0.99
    assert sum(1 for p in pics if p.tags_zh) / len(pics) > 0.9


def test_every_picture_has_its_drawing_in_the_archive() -> None:
    names = set(zipfile.ZipFile(DATA / "pictures.zip").namelist())
    missing = [p.ref for p in library().all() if f"{p.set}/{p.id}.svg" not in names]
    assert missing == []


def test_word_data_points_at_real_pictures() -> None:
    from reelterm.media.visuals import not_nouns, word_kinds

    kinds = word_kinds()
    assert len(kinds) > 500 and kinds["hostel"] == "icon:fluent/hotel"
    assert all(library().get(ref) is not None for ref in kinds.values())
    assert {"learn", "fly", "grind"} <= not_nouns() and "coffee" not in not_nouns()
    rocket = library().get("icon:fluent/rocket")
    assert rocket is not None and set(rocket.soft_en) <= set(rocket.tags_en)


def test_risky_pictures_are_left_out() -> None:
    ids = {p.id for p in library().all()}
    tones = [i for i in ids if i.startswith(("man-", "woman-", "person-")) and re.search(r"-(light|medium-light|medium|medium-dark|dark)$", i)]
    assert tones == []  # one picture per person, not five skin tones
    for risky in ("middle-finger", "pile-of-poo", "pistol", "bomb", "skull", "cigarette",
                  "flag-china", "flag-united-states", "keycap-1", "input-latin-letters", "church",
                  "mosque", "aries", "ok-hand", "folded-hands"):
        assert risky not in ids, risky
    for wanted in ("hot-beverage", "rocket", "package", "locked", "chart-increasing", "dog", "house"):
        assert wanted in ids, wanted


def test_unknown_or_malformed_refs_get_a_sentence() -> None:
    assert library().get("icon:fluent/no-such-thing") is None
    assert library().get("rocket") is None
    for bad, words in (("icon:fluent/no-such-thing", "no bundled picture"), ("rocket", "not a picture"),
                       ("icon:../../etc/passwd", "not a picture"), ("", "not a picture")):
        with pytest.raises(MediaError) as err:
            picture_png(bad, 128)
        text = str(err.value)
        assert words in text and text.endswith(".") and "\n" not in text


@pytest.mark.parametrize("size", [0, 1, -5, 8, 5000, 20000, 1.5, True, "512", None])
def test_bad_sizes_get_a_sentence(size: object) -> None:
    with pytest.raises(MediaError, match="whole number of pixels from 16 to 4096"):
        picture_png("icon:fluent/rocket", size)  # type: ignore[arg-type]


@pytest.mark.parametrize("ref", ["icon:fluent/hot-beverage", "icon:fluent-flat/rocket",
                                 "icon:fluent-ui/calendar", "icon:fluent/man-technologist"])
@pytest.mark.parametrize("size", [16, 100, 513])
def test_pictures_are_rgba_of_the_exact_size_and_not_empty(ref: str, size: int, tmp_path: Path) -> None:
    img = _rgba(picture_png(ref, size, cache_dir=tmp_path))
    assert img.mode == "RGBA"
    assert max(img.size) == size
    box = img.getchannel("A").getbbox()
    assert box is not None  # something is drawn
    w, h = box[2] - box[0], box[3] - box[1]
    assert w >= size * 0.5 and h >= size * 0.3  # and it fills a good part of the square
    assert img.getchannel("A").getextrema() == (0, 255)  # transparent around, opaque inside


def test_a_sample_of_every_set_draws(tmp_path: Path) -> None:
    pics = library().all()
    for p in pics[:: max(1, len(pics) // 60)]:
        img = _rgba(picture_png(p.ref, 48, cache_dir=tmp_path))
        assert img.size[0] == 48 or img.size[1] == 48
        assert img.getchannel("A").getbbox() is not None, p.ref


def test_cache_is_content_addressed_and_a_hit_is_fast(tmp_path: Path) -> None:
    first = picture_png("icon:fluent/rocket", 512, cache_dir=tmp_path)
    stamp = first.stat().st_mtime_ns
    start = time.perf_counter()
    again = picture_png("icon:fluent/rocket", 512, cache_dir=tmp_path)
    hit_s = time.perf_counter() - start
    assert again == first and first.stat().st_mtime_ns == stamp
    assert hit_s < 0.01
    other = picture_png("icon:fluent/rocket", 256, cache_dir=tmp_path)
    flat = picture_png("icon:fluent-flat/rocket", 512, cache_dir=tmp_path)
    assert len({first, other, flat}) == 3
    data = first.read_bytes()
    first.unlink()
    assert picture_png("icon:fluent/rocket", 512, cache_dir=tmp_path).read_bytes() == data
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_default_cache_lives_under_reelterm_home(reelterm_home: Path) -> None:
    path = picture_png("icon:fluent/rocket", 64)
    assert path.is_relative_to(reelterm_home / "cache" / "pictures")


def test_a_missing_rasteriser_is_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['pyvips'] = None\n"
            "from reelterm.media.visuals import picture_png\n"
            "from reelterm.media import MediaError\n"
            "try:\n    picture_png('icon:fluent/rocket', 64, cache_dir=sys.argv[1])\n"
            "except MediaError as e:\n    print('SENTENCE', e)\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC), "REELTERM_HOME": str(tmp_path)}, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("SENTENCE Pictures cannot be drawn because the pyvips rasteriser did not load")


def test_many_pictures_at_once_match_one_by_one(tmp_path: Path) -> None:
    wanted = [("icon:fluent/rocket", 96), ("icon:fluent-ui/calendar", 64), ("icon:fluent/rocket", 96),
              ("icon:fluent-flat/dog", 80)]
    together = pictures_png(wanted, cache_dir=tmp_path / "a")
    alone = [picture_png(ref, size, cache_dir=tmp_path / "b") for ref, size in wanted]
    assert [p.name for p in together] == [p.name for p in alone]
    assert together[0] == together[2]
    with pytest.raises(MediaError, match="no bundled picture called icon:fluent/nope"):
        pictures_png([("icon:fluent/rocket", 64), ("icon:fluent/nope", 64)], cache_dir=tmp_path / "c")
    assert not (tmp_path / "c").exists()  # nothing drawn before the bad ref was found
