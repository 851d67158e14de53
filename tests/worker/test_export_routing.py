"""The worker's own routing of export requests uses the one format list (reelterm.protocol)."""

from __future__ import annotations

import pytest

from reelterm.media.formats import FORMATS
from reelterm.protocol import EXPORT_FORMATS
from reelterm.worker.message_routes import route


def test_one_list_for_the_worker_the_engine_and_media() -> None:
    from reelterm.engine.renders import FORMATS as ENGINE_FORMATS
    from reelterm.protocol import SUBTITLE_EXPORTS

    assert set(EXPORT_FORMATS) == set(FORMATS) and len(EXPORT_FORMATS) == 13
    assert set(ENGINE_FORMATS) == set(EXPORT_FORMATS) | set(SUBTITLE_EXPORTS)  # and the captions as srt/vtt


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
@pytest.mark.parametrize("template", ["export as {}", "export {}", "导出为{}", "download it as a .{} file"])
def test_every_format_is_routed_with_its_name(template: str, fmt: str) -> None:
    intent = route(template.format(fmt))
    assert intent.kind == "export" and intent.fmt == fmt


@pytest.mark.parametrize("message", ["export as flv", "导出为wmv格式", "export it as a .3gp"])
def test_a_format_reelterm_does_not_write_goes_to_the_agent_which_says_so(message: str) -> None:
    assert route(message).kind == "chat"


def test_jpeg_is_jpg_and_quality_words_are_read() -> None:
    assert route("export as jpeg").fmt == "jpg"
    assert route("导出 mp4 高质量").quality == "high" and route("export a draft preview").quality == "draft"


@pytest.mark.parametrize(("message", "fmt"), [("export a thumbnail", "jpg"), ("导出封面", "jpg"),
                                              ("export the audio", "mp3"), ("导出音频", "mp3")])
def test_a_still_or_the_sound_named_without_a_format(message: str, fmt: str) -> None:
    intent = route(message)
    assert intent.kind == "export" and intent.fmt == fmt
