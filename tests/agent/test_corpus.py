"""A table of English and Chinese messages, each with its starting session and expected draft change."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from reelterm.engine.agent.studio import StudioAgent, voice
from reelterm.protocol import Draft, validate_local_draft

from .corpus import _CRASH as CRASH
from .helpers import (
    AGENT,
    SEED_EN,
    SEED_ZH,
    TEXT_EN,
    av_uploads,
    empty,
    music,
    promo,
    promo_zh,
    scene_texts,
    texts,
    track,
    video,
    with_history,
    with_image,
    with_text,
    with_zh_text,
)

Check = Callable[[Draft, Draft, list[Any], str], bool]
_CJK = re.compile(r"[\u4e00-\u9fff]")
HAS_VOICE = voice.available()


def dur(ms: int) -> Check:
    return lambda b, a, steps, r: abs(a.duration_ms - ms) <= 500


def size(w: int, h: int) -> Check:
    return lambda b, a, steps, r: (a.m.width, a.m.height) == (w, h)


def mood(name: str) -> Check:
    return lambda b, a, steps, r: music(a) is not None and music(a).src.startswith(f"music:{name}/")


def vol(v: float) -> Check:
    return lambda b, a, steps, r: music(a) is not None and abs(music(a).m.volume - v) < 1e-6


def export(fmt: str, quality: str = "high") -> Check:
    return lambda b, a, steps, r: any(
        s.state_delta.get("export_requested") == {"format": fmt, "quality": quality} for s in steps)


def both(*checks: Check) -> Check:
    return lambda b, a, steps, r: all(c(b, a, steps, r) for c in checks)


def reply_has(pattern: str) -> Check:
    return lambda b, a, steps, r: re.search(pattern, r, re.IGNORECASE) is not None


UNCHANGED: Check = lambda b, a, steps, r: a.wire() == b.wire()  # noqa: E731


def swallowed(records: list[logging.LogRecord]) -> list[str]:
    """The exceptions the agent caught and logged instead of raising (its catch-alls)."""
    return [f"{r.getMessage()}: {r.exc_info[1]!r}" for r in records
            if r.name.startswith("reelterm.engine.agent") and r.exc_info and r.exc_info[1] is not None]


@pytest.fixture(autouse=True)
def _no_swallowed_crash(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """A crash the agent turned into a polite reply fails every test here, whatever the reply says."""
    caplog.set_level(logging.ERROR, logger="reelterm.engine.agent")
    yield
    assert not swallowed(caplog.get_records("call"))

CASES: list[tuple[str, Callable, str, str | None, Check]] = [
    # --- generation (seed prompts first) ---
    ("seed-en", with_text, SEED_EN, "generate_video", both(dur(30_000), size(1920, 1080), vol(0.35))),
    ("seed-1080p-mp4", with_history, "convert a two-sentence product description into a 1080p MP4",
     "generate_video", both(size(1920, 1080), export("mp4"), dur(30_000))),
    ("seed-marketers", with_text, "generating videos from written text or scripts for marketers",
     "generate_video", both(dur(30_000), reply_has("30 seconds"))),
    ("seed-zh", with_zh_text, SEED_ZH, "generate_video", both(dur(30_000), vol(0.35), reply_has("30秒"))),
    ("gen-vertical-colon", empty, f"make a 15-second vertical video: {TEXT_EN}", "generate_video",
     both(dur(15_000), size(1080, 1920))),
    ("gen-square-calm", empty, f'Create a square promo with calm music from this text: "{TEXT_EN}"',
     "generate_video", both(size(1080, 1080), mood("calm"))),
    ("gen-half-minute", with_text, "make a half a minute video from this text", "generate_video", dur(30_000)),
    ("gen-45s-720p", empty, f"Text to video, 45s, 720p: {TEXT_EN}", "generate_video",
     both(dur(45_000), size(1280, 720))),
    ("gen-zh-vertical", with_zh_text, "用这段文字生成一个竖屏短视频，三十秒", "generate_video",
     both(dur(30_000), size(1080, 1920))),
    ("gen-zh-minute-calm", with_zh_text, "把这段文字做成一分钟的视频，配乐要轻松", "generate_video",
     both(dur(60_000), mood("calm"))),
    ("gen-no-text", empty, "turn this text into a 30-second promotional video", None,
     reply_has("which text")),
    ("gen-no-text-zh", empty, "把这段文字做成视频", None, reply_has("哪段文字")),
    ("gen-image", with_image, SEED_EN, "generate_video",
     lambda b, a, s, r: video(a)[1].src == "upload:img1" and (video(a)[1].m.model_extra or {}).get("move") == "kenburns"),
    ("gen-no-music", with_text, "turn this text into a 20 second video without music", "generate_video",
     lambda b, a, s, r: music(a) is None and abs(a.duration_ms - 20_000) <= 500),
    ("gen-upbeat-40pct", with_text, "turn this text into an upbeat 30s promo, music at 40%", "generate_video",
     both(mood("happy"), vol(0.4))),
    ("gen-energetic-tiktok", with_text, "make an energetic TikTok video from this text", "generate_video",
     both(mood("energetic"), size(1080, 1920))),
    ("gen-voice", with_text, "turn this text into a 30-second video with a voiceover", "generate_video",
     (lambda b, a, s, r: track(a, "voice") is not None and (music(a).m.model_extra or {}).get("duck", 0) >= 10)
     if HAS_VOICE
     else reply_has(r"reelterm\[voice\]")),
    ("gen-zh-voice", with_zh_text, "把这段文字做成30秒视频，要配音", "generate_video",
     both(dur(30_000), reply_has("配音"))),
    # --- music ---
    ("music-calm", promo, "add calm music", "set_music", mood("calm")),
    ("music-energetic-50", promo, "replace the music with something energetic at 50%", "set_music",
     both(mood("energetic"), vol(0.5))),
    ("music-remove", promo, "remove the music", "remove_music", lambda b, a, s, r: music(a) is None),
    ("music-vol-20", promo, "set the music volume to 20%", "set_volume", vol(0.2)),
    ("music-quieter", promo, "make the music quieter", "set_volume", lambda b, a, s, r: music(a).m.volume < 0.35),
    ("music-louder", promo, "music louder please", "set_volume", lambda b, a, s, r: music(a).m.volume > 0.35),
    ("music-mute", promo, "mute the music", "set_volume", vol(0.0)),
    ("music-lofi", promo, "use lo-fi music", "set_music", both(mood("calm"), reply_has("no lo-fi tracks"))),
    ("music-jazz", promo, "switch to jazz music", "set_music", reply_has("no jazz tracks.*closest")),
    ("music-calm-no-note", promo, "use calm music", "set_music", lambda b, a, s, r: "closest" not in r),
    ("zh-music-jazz", promo_zh, "换成爵士音乐", "set_music", reply_has("没有爵士")),
    ("music-nostalgic", promo, "change the soundtrack to something nostalgic", "set_music", mood("nostalgic")),
    ("music-none-remove", with_text, "remove the music", None, UNCHANGED),
    # --- titles and captions ---
    # Over the title card (or a scene's key phrase): it replaces what shows there instead of
    # stacking two titles on one spot.
    ("title-add-over-card", promo, "add a title 'Summer Sale' from 0 to 3 seconds", "edit_text",
     lambda b, a, s, r: [t.m.text for t in texts(a, "title") if t.s < 3000] == ["Summer Sale"]
     and any(t.s == 0 and t.d == 3000 for t in texts(a, "title"))),
    ("title-change", promo, 'change the title to "Hello World"', "edit_text",
     lambda b, a, s, r: texts(a, "title")[0].m.text == "Hello World"),
    ("title-remove", promo, "remove the title", "remove_text",
     lambda b, a, s, r: len(texts(a, "title")) == len(texts(b, "title")) - 1),
    ("caption-add", promo, "add a caption 'Free shipping' from 2 to 5 seconds", "add_text",
     lambda b, a, s, r: any(c.m.text == "Free shipping" and (c.s, c.d) == (2000, 3000) for c in texts(a, "caption"))),
    ("caption-at", promo, "add subtitle 'Hi there' at 10s", "add_text",
     lambda b, a, s, r: any(c.m.text == "Hi there" and c.s == 10_000 for c in texts(a, "caption"))),
    ("caption-remove-all", promo, "remove all captions", "remove_text", lambda b, a, s, r: not texts(a, "caption")),
    ("caption-remove-range", promo, "remove the caption from 3 to 10 seconds", "remove_text",
     lambda b, a, s, r: len(texts(a, "caption")) == len(texts(b, "caption")) - 1),
    ("caption-edit-1", promo, "change caption 1 to 'Stay cold'", "edit_text",
     lambda b, a, s, r: texts(a, "caption")[0].m.text == "Stay cold"),
    ("lower-third", promo, "add a lower third 'Acme Inc.' from 4 to 8 s", "add_text",
     lambda b, a, s, r: any(c.m.text == "Acme Inc." for c in texts(a, "lower_third"))),
    ("caption-no-words", promo, "add a caption", None, reply_has("quotes")),
    # --- time ---
    ("cut-first-3", promo, "cut the first 3 seconds", "cut_range", dur(27_000)),
    ("cut-5-8", promo, "cut from 5 to 8 seconds", "cut_range", dur(27_000)),
    ("cut-last-2", promo, "remove the last 2 seconds", "cut_range", dur(28_000)),
    ("trim-to-20", promo, "trim it to 20 seconds", "set_length", dur(20_000)),
    ("length-15", promo, "make it 15 seconds", "set_length", dur(15_000)),
    ("length-45", promo, "make it 45 seconds long", "set_length", dur(45_000)),
    ("keep-0-10", promo, "keep only 0-10s", "keep_range", dur(10_000)),
    ("length-longer", promo, "make it longer", "set_length", lambda b, a, s, r: a.duration_ms > b.duration_ms),
    # --- scenes ---
    ("swap-1-2", promo, "swap scenes 1 and 2", "reorder_scenes",
     lambda b, a, s, r: scene_texts(a) == list(reversed(scene_texts(b)))),
    ("move-last-first", promo, "move the last scene to the start", "reorder_scenes",
     lambda b, a, s, r: scene_texts(a)[0] == scene_texts(b)[-1]),
    ("remove-scene-1", promo, "remove scene 1", "remove_scene",
     lambda b, a, s, r: len(scene_texts(a)) == 1 and a.duration_ms < b.duration_ms),
    ("reverse", promo, "reverse the scenes", "reorder_scenes",
     lambda b, a, s, r: scene_texts(a) == list(reversed(scene_texts(b)))),
    ("scene-bad-number", promo, "remove scene 9", None, UNCHANGED),
    # --- format ---
    ("vertical", promo, "make it vertical", "set_format", size(1080, 1920)),
    ("tiktok", promo, "TikTok format please", "set_format", size(1080, 1920)),
    ("square", promo, "make it square", "set_format", size(1080, 1080)),
    ("720p", promo, "change the resolution to 720p", "set_format", size(1280, 720)),
    ("4k", promo, "make it 4k", "set_format", size(3840, 2160)),
    ("9-16", promo, "switch to 9:16", "set_format", size(1080, 1920)),
    ("same-format", promo, "make it 16:9", None, UNCHANGED),
    # --- fades and transitions ---
    ("fade-in-out", promo, "add a fade in and fade out", "set_fades",
     lambda b, a, s, r: video(a)[0].m.fade_in == 1000 and video(a)[-1].m.fade_out == 1000),
    ("music-fade-3s", promo, "fade out the music over 3 seconds", "set_fades",
     lambda b, a, s, r: music(a).m.fade_out == 3000),
    ("fades-remove", promo, "remove the fades", "set_fades",
     lambda b, a, s, r: video(a)[0].m.fade_in == 0 and music(a).m.fade_out == 0),
    ("dissolve", promo, "add dissolve transitions", "set_transitions",
     lambda b, a, s, r: all(v.m.transition == "fade" for v in video(a)[1:])),  # a cross-fade (uxagent)
    ("no-transitions", promo, "no transitions", "set_transitions",
     lambda b, a, s, r: all(v.m.transition is None for v in video(a))),
    ("wipe-1s", promo, "use wipe transitions of 1 second", "set_transitions",
     lambda b, a, s, r: all(v.m.transition == "wipeleft" and v.m.transition_ms == 1000 for v in video(a)[1:])),
    # --- export ---
    ("export-1080p", promo, "export 1080p MP4", "export", export("mp4")),
    ("convert-webm", promo, "convert to webm", "export", export("webm")),
    ("extract-mp3", promo, "extract the audio as mp3", "export", export("mp3")),
    ("export-draft", promo, "export a draft quality preview", "export", export("mp4", "draft")),
    ("export-720p", promo, "export it as 720p mp4", "set_format", both(size(1280, 720), export("mp4"))),
    ("export-empty", empty, "export", None, reply_has("nothing to export")),
    # --- status, help, unclear ---
    ("show-tracks", promo, "show tracks", None, both(UNCHANGED, reply_has("Music"))),
    ("help", promo, "what can you do?", None, both(UNCHANGED, reply_has("turn text into a video"))),
    ("vague", promo, "make it look better", None, both(UNCHANGED, reply_has(r"\?"))),
    ("gibberish", promo, "asdf qwerty", None, both(UNCHANGED, reply_has("help"))),
    ("credits", promo, "how many credits do I have", None, UNCHANGED),
    ("narration-remove-none", promo, "remove the narration", None, UNCHANGED),
    # --- Chinese edits ---
    ("zh-music-happy", promo_zh, "把音乐换成欢快的", "set_music", mood("happy")),
    ("zh-music-remove", promo_zh, "去掉背景音乐", "remove_music", lambda b, a, s, r: music(a) is None),
    ("zh-music-vol", promo_zh, "音乐音量调到百分之二十", "set_volume", vol(0.2)),
    ("zh-vertical", promo_zh, "改成竖屏", "set_format", size(1080, 1920)),
    ("zh-cut-first", promo_zh, "剪掉前三秒", "cut_range", dur(27_000)),
    ("zh-length", promo_zh, "改成15秒", "set_length", dur(15_000)),
    ("zh-title", promo_zh, "加个标题“夏日特惠”", "add_text",
     lambda b, a, s, r: any(t.m.text == "夏日特惠" for t in texts(a, "title"))),
    ("zh-caption-range", promo_zh, "在2到5秒加字幕“包邮”", "add_text",
     lambda b, a, s, r: any(c.m.text == "包邮" and (c.s, c.d) == (2000, 3000) for c in texts(a, "caption"))),
    ("zh-caption-0-3", promo_zh, "0到3秒加字幕“新品”", "add_text",
     lambda b, a, s, r: any(c.m.text == "新品" and (c.s, c.d) == (0, 3000) for c in texts(a, "caption"))),
    ("zh-captions-remove", promo_zh, "删除所有字幕", "remove_text", lambda b, a, s, r: not texts(a, "caption")),
    ("zh-swap", promo_zh, "交换第一个和第二个场景", "reorder_scenes",
     lambda b, a, s, r: scene_texts(a) == list(reversed(scene_texts(b)))),
    ("zh-remove-scene", promo_zh, "删除第二个场景", "remove_scene", lambda b, a, s, r: len(scene_texts(a)) == 1),
    ("zh-fades", promo_zh, "加上淡入淡出", "set_fades", lambda b, a, s, r: video(a)[0].m.fade_in == 1000),
    ("zh-transitions", promo_zh, "场景之间加转场", "set_transitions",
     lambda b, a, s, r: all(v.m.transition == "fade" for v in video(a)[1:])),
    ("zh-export", promo_zh, "导出", "export", export("mp4")),
    ("zh-square", promo_zh, "改成方形", "set_format", size(1080, 1080)),
    ("zh-status", promo_zh, "状态", None, UNCHANGED),
    ("zh-help", promo_zh, "帮助", None, both(UNCHANGED, reply_has("配乐"))),
    ("zh-vague", promo_zh, "让它更好看一点", None, UNCHANGED),
    ("zh-volume-down", promo_zh, "背景音乐小声一点", "set_volume", lambda b, a, s, r: music(a).m.volume < 0.35),
    # --- merge and convert ---
    ("merge-seed", av_uploads, "merge this audio and video into a single MP4 file", "merge_media",
     both(dur(60_000), export("mp4"), reply_has("longer than the video"))),
    ("merge-shortest", lambda: av_uploads(60_000, 50_000), "merge them, use the shortest", "merge_media",
     dur(50_000)),
    ("merge-loop", lambda: av_uploads(60_000, 20_000), "merge the audio and video and loop the audio",
     "merge_media", lambda b, a, s, r: track(a, "audio").sg[0].m.loop and track(a, "audio").sg[0].d == 60_000),
    ("merge-pad", lambda: av_uploads(60_000, 45_000), "combine the audio with the video", "merge_media",
     both(dur(60_000), reply_has("silent"))),
    ("merge-zh", av_uploads, "把这个音频和视频合并", "merge_media", both(dur(60_000), reply_has("合成"))),
    ("convert-av", av_uploads, "convert my audio and video", "merge_media", export("mp4")),
    ("merge-missing", empty, "merge this audio and video", None, reply_has("upload")),
    # --- more phrasings ---
    ("gen-about-topic", empty, "make a video about our new coffee shop opening downtown next week",
     "generate_video", both(dur(30_000), reply_has("coffee shop"))),
    ("gen-zh-about", empty, "做一个关于我们新开的咖啡店的宣传视频", "generate_video", reply_has("咖啡店")),
    ("gen-promo-for-topic", empty,
     "make a 20 second promo video for a smart water bottle that keeps drinks cold",
     "generate_video", both(dur(20_000), lambda b, a, steps, r: a.m.title == "Smart water bottle"
                            and "Keeps drinks cold" in r)),
    ("gen-for-topic-minus-instructions", empty, "make a promo for a smart water bottle with lo-fi music at 35%",
     "generate_video", both(vol(0.35), reply_has("no lo-fi tracks"),
                            lambda b, a, steps, r: "music" not in a.m.title.lower())),
    ("gen-for-platform-is-not-a-topic", empty, "make a 30 second video for tiktok", None, reply_has("which text")),
    ("gen-zh-for-topic", empty, "为智能保温杯做一个宣传视频", "generate_video", reply_has("智能保温杯")),
    ("gen-zh-make-me-a-video-is-no-topic", empty, "给我做一个视频", None, reply_has("哪段文字|文字")),
    ("gen-zh-make-me-a-video-uses-the-upload", with_zh_text, "给我做一个视频", "generate_video",
     reply_has("小暖")),
    ("gen-for-the-uploaded-script", with_text, "make a video for the script I uploaded", "generate_video",
     lambda b, a, steps, r: a.m.title == "Acme AirBottle"),
    ("gen-for-an-app", empty, "make a promo for a mobile app that helps people sleep", "generate_video",
     reply_has("app")),
    ("gen-topic-words-are-no-genre", empty, "make a promo video for our house cleaning service in Berlin",
     "generate_video", lambda b, a, steps, r: "no house" not in r),
    ("music-bare-lofi", promo, "make it lo-fi", "set_music", reply_has("no lo-fi tracks")),
    ("vertical-and-export", promo, "Make it 9:16 and export", "set_format", both(size(1080, 1920), export("mp4"))),
    ("zh-export-webm", promo_zh, "导出为webm", "export", export("webm")),
    ("zh-lofi", promo_zh, "加一段lofi音乐", "set_music", mood("calm")),
    ("cut-out-of-range", promo, "cut from 40 to 50 seconds", None, both(UNCHANGED, reply_has("outside"))),
    ("narration-add", promo, "add a voiceover", "set_narration" if HAS_VOICE else None,
     (lambda b, a, s, r: len(track(a, "voice").sg) == 2 and (music(a).m.model_extra or {}).get("duck", 0) >= 10)
     if HAS_VOICE
     else reply_has(r"reelterm\[voice\]")),
    ("zh-narration-english-only", promo_zh, "加配音", None, UNCHANGED),
]


VOICE_CASES = {"gen-voice", "narration-add"}  # their expectation depends on the [voice] extra


@pytest.mark.parametrize(("start", "message", "tool", "check"),
                         [pytest.param(*c[1:], marks=[pytest.mark.voice] if c[0] in VOICE_CASES else [])
                          for c in CASES], ids=[c[0] for c in CASES])
def test_message(start: Callable, message: str, tool: str | None, check: Check) -> None:
    session = start()
    before = session.draft
    version = session.current
    steps, reply = session.send(AGENT, message)
    after = session.draft
    validate_local_draft(after)
    if tool is None:
        assert not [s for s in steps if "draft_version" in s.state_delta], steps
        assert session.current == version
    else:
        assert tool in [s.name for s in steps], (steps, reply)
        for step in steps:
            if "draft_version" in step.state_delta:
                assert step.state_delta["draft_version"] <= session.current
    if _CJK.search(message) and not _CJK.search(TEXT_EN):
        assert _CJK.search(reply), reply
    assert not CRASH.search(reply), reply  # "nothing changed" after a crash is no pass
    assert check(before, after, steps, reply), (reply, after.wire())


@pytest.mark.parametrize(("start", "message"), [(promo, "make it 16:9"), (promo_zh, "改成16:9"),
                                                (promo, "remove scene 9")])
def test_a_crashing_handler_fails_the_checks(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
                                             start: Callable, message: str) -> None:
    """Inject a crash where a table case expects no change: the reply and the log both give it away."""
    def crash(*args: object, **kwargs: object) -> None:
        raise KeyError("injected")

    monkeypatch.setattr(StudioAgent, "_apply", crash)
    session = start()
    before = session.draft
    steps, reply = session.send(AGENT, message)
    assert UNCHANGED(before, session.draft, steps, reply)  # what used to let a crash pass
    assert CRASH.search(reply), reply
    assert swallowed(caplog.records) and "injected" in swallowed(caplog.records)[0]
    caplog.clear()  # the autouse guard would fail this test for the crash it proves is seen


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 60
    assert sum(1 for c in CASES if _CJK.search(c[2])) >= 20


def test_undo_redo() -> None:
    session = promo()
    first = session.draft
    session.send(AGENT, "make it vertical")
    assert session.draft.m.height == 1920
    steps, reply = session.send(AGENT, "undo")
    assert [s.name for s in steps] == ["undo"] and session.draft.wire() == first.wire()
    steps, reply = session.send(AGENT, "redo")
    assert session.draft.m.height == 1920
    steps, reply = session.send(AGENT, "重做")
    assert not steps and "没有" in reply
    session.send(AGENT, "撤销")
    assert session.draft.m.height == 1080


def test_undo_at_start() -> None:
    steps, reply = empty().send(AGENT, "undo")
    assert not steps and "nothing to undo" in reply


def test_generation_charges_before_commit() -> None:
    from reelterm.engine.agent.base import OutOfCredits

    session = with_text()
    session.credits = 1
    with pytest.raises(OutOfCredits):
        session.send(AGENT, SEED_EN)
    assert session.current == 0 and not session.draft.ready


def test_chinese_session_answers_english_message_in_chinese() -> None:
    session = promo_zh()
    steps, reply = session.send(AGENT, "make it vertical")
    assert _CJK.search(reply)


ROBUST_MESSAGES = [
    "", "?", "hi", "ok thanks", "speed it up", "crop the video", "make it pop", "🙂🙂", "scene", "volume",
    "add a caption", "remove scene 0", "swap scenes 1 and 7", "cut from 5 to 2 seconds", "make it 0 seconds",
    "make it 5 hours long", "music at 500%", "add a title '" + "x" * 3000 + "'", "把第十个场景删掉",
    "改成0秒", "撤销", "redo", "merge", "export as png", "convert to avi", "add transitions", "add music",
    "make it vertical then square", "trim", "fade", "remove the title", "remove all captions",
    "add a caption 'a' from 0 to 100 seconds", "在100秒加字幕“晚”", "导出", "配音", "remove the voiceover",
]


@pytest.mark.parametrize("start", [empty, promo, promo_zh, av_uploads], ids=["empty", "promo", "promo_zh", "av"])
def test_never_crashes_never_half_applies(start: Callable) -> None:
    for message in ROBUST_MESSAGES:
        session = start()
        version = session.current
        steps, reply = session.send(AGENT, message)
        validate_local_draft(session.draft)
        assert not CRASH.search(reply), (message, reply)  # a crash's reply fails, never passes
        committed = [s for s in steps if "draft_version" in s.state_delta]
        moved = {"undo": -1, "redo": 1}
        expected = version + len(committed) + sum(moved.get(s.name, 0) for s in steps)
        assert session.current == expected, (message, steps)


@pytest.mark.parametrize(("message", "zh", "shown"), [
    ("add a caption 'Party time 🎉' from 2 to 5 seconds", False, "🎉"),
    ("add a title 'שלום עולם' from 0 to 3 seconds", False, "שלום"),
    ("加字幕“韩语 안녕”从2秒到5秒", True, "안녕"),
])
def test_text_the_fonts_cannot_draw_is_added_with_a_note(message: str, zh: bool, shown: str) -> None:
    session = promo_zh() if zh else promo()
    steps, reply = session.send(AGENT, message)
    assert any(s.name in ("add_text", "edit_text") for s in steps), reply
    assert shown in reply and ("空框" if zh else "empty boxes") in reply


def test_drawable_text_gets_no_font_note() -> None:
    steps, reply = promo().send(AGENT, "add a caption 'Café — “50% off”' from 2 to 5 seconds")
    assert [s.name for s in steps] == ["add_text"] and "boxes" not in reply


@pytest.mark.timeout(10)
def test_a_hostile_long_message_is_handled_at_once() -> None:
    for message in ("make a video about my new bakery" + " " * 20_000 + "x",
                    "make a promo for " + "a " * 10_000 + "music", "for x" + ", with" * 5_000):
        steps, reply = empty().send(AGENT, message)
        assert reply.strip()
