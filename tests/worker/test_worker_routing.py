"""Message routing and GUI translation: pure functions."""

from __future__ import annotations

import pytest

from reelterm.worker.gui_translate import translate
from reelterm.worker.message_routes import export_options, route


@pytest.mark.parametrize("text", [
    "export", "Export 1080p MP4", "导出", "导出1080p视频", "download", "send me the video",
    "please export it", "download it please",
])
def test_export_intents(text):
    assert route(text).kind == "export"


@pytest.mark.parametrize("text", [
    "credits", "积分", "balance", "余额", "how many credits do I have", "what is my balance?",
])
def test_credits_intents(text):
    assert route(text).kind == "credits"


@pytest.mark.parametrize("text", ["status", "状态", "show tracks", "show me the timeline", "查看轨道"])
def test_state_intents(text):
    assert route(text).kind == "state"


@pytest.mark.parametrize("text", [
    "merge this audio and video into a single MP4 file",
    "turn this text into a 30-second promotional video with visuals and music",
    "convert my audio and video", "add end credits", "balance the audio levels",
    "add music and then export it", "把音乐加到时间线", "make the status bar text red and bigger please now",
])
def test_everything_else_goes_to_the_agent(text):
    assert route(text).kind == "chat"


def test_upload_with_files_and_urls(tmp_path):
    clip = tmp_path / "my clip.mp4"
    clip.write_bytes(b"x")
    intent = route(f'upload "{clip}" https://example.com/a.mp3')
    assert intent.kind == "upload" and intent.items == [str(clip), "https://example.com/a.mp3"]
    assert intent.rest == ""
    zh = route(f"上传 '{clip}'")
    assert zh.kind == "upload" and zh.items == [str(clip)]
    glued = tmp_path / "a.wav"
    glued.write_bytes(b"x")
    assert route(f"上传{glued}").items == [str(glued)]
    assert route(str(clip).replace(" ", "\\ ")).items == [str(clip)]  # a terminal's drag and drop


def test_a_dropped_file_with_a_request_uploads_then_chats(tmp_path):
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"x")
    intent = route(f"{clip} merge this audio and video into a single MP4 file")
    assert intent.kind == "upload" and intent.items == [str(clip)]
    assert intent.rest == "merge this audio and video into a single MP4 file"
    assert route(str(clip)).items == [str(clip)]


def test_upload_without_a_file_and_urls_in_chat():
    assert route("upload").kind == "upload" and route("upload").items == []
    assert route("make a video like https://example.com/page please, with music and titles").kind == "chat"


def test_export_options():
    assert export_options("export 720p webm") == ("webm", "standard")
    assert export_options("导出1080p") == (None, "high")
    assert export_options("export draft") == (None, "draft")
    assert export_options("export") == (None, None)
    assert export_options("export subtitles") == ("srt", None)
    assert export_options("download the captions as webvtt") == ("vtt", None)
    assert export_options("导出字幕") == ("srt", None)
    assert export_options("export mp4 with captions") == ("mp4", None)


def test_soft_subtitles_go_to_the_agent():
    assert route("export mp4 with soft subtitles").kind == "chat"
    assert route("export subtitles").kind == "export"


@pytest.mark.parametrize(("text", "kinds"), [
    ("Done! Click Export to download your video.", ["export"]),
    ('Click the "Export" button when ready', ["export"]),
    ("点击导出即可下载", ["export"]),
    ("Open the media panel to see your clips.", ["state"]),
    ("打开时间线查看", ["state"]),
    ("You can preview in timeline now.", ["tracks"]),
    ("Open the editor and preview it in the timeline.", ["tracks"]),
    ("Drag the clip to adjust its start.", ["edit_hint"]),
    ("拖拽片段调整位置", ["edit_hint"]),
    ("Click Upload to add more media.", ["upload_hint"]),
    ("Your clip is on the timeline.", []),
    ('Say "export" to render it.', []),
    ("We used open source music.", []),
])
def test_gui_translation(text, kinds):
    actions = translate(text)
    assert [a.kind for a in actions] == kinds
    assert all(a.notice for a in actions)
