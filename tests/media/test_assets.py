"""Bundled music and fonts from pip packages."""

from __future__ import annotations

import pytest
from PIL import ImageFont

from reelterm.media import MediaError
from reelterm.media.assets import (
    MOODS,
    cjk_font,
    font_for,
    latin_font,
    music_library,
    needs_cjk,
    resolve_music,
)
from reelterm.protocol.draft import source_kind


def test_music_library_ids_resolve():
    lib = music_library()
    assert len(lib) >= 20
    assert {t.mood for t in lib} == set(MOODS)
    assert {t.style for t in lib} == {"acoustic", "electronic"}
    for track in lib:
        assert source_kind(track.id) == "music"
        assert resolve_music(track.id) == track.path
        assert track.duration_ms > 5000


@pytest.mark.parametrize("src", ["music:calm/nope", "music:angry/calm_acoustic_1", "upload:x",
                                 "music:calm/../calm/calm_acoustic_1"])
def test_resolve_music_unknown(src):
    with pytest.raises(MediaError):
        resolve_music(src)


def test_fonts():
    assert latin_font().is_file() and cjk_font().is_file()
    assert needs_cjk("東京") and needs_cjk("ひらがな") and needs_cjk("한국어")
    assert not needs_cjk("Hello, мир — Ελλάδα")
    assert font_for("城市") == cjk_font() and font_for("City") == latin_font()
    ImageFont.truetype(str(cjk_font()), 20).getbbox("城市")
