"""Narration drives timing; chat requests for caption style, voice speed and choice, subtitles."""

from __future__ import annotations

import pytest

from reelterm.engine.agent.base import UploadInfo
from reelterm.engine.agent.studio import voice
from reelterm.media.words import split_words

from .context import Session, text_upload
from .helpers import AGENT, TEXT_EN, TEXT_ZH, promo, track, with_text, with_zh_text

needs_voice = pytest.mark.skipif(not voice.available(), reason="the [voice] extra is not installed")
LONG_EN = " ".join([
    "Meet Lumen, the desk lamp that learns how you work.",
    "It warms the light as the evening comes, so your eyes can rest.",
    "A gentle pulse reminds you to stand up and stretch every hour.",
    "The base charges your phone while you write, read or sketch.",
    "Its arm folds flat, so it travels in any bag without a scratch.",
    "Setup takes a minute and there is no app to install at all.",
    "Thousands of students and designers already swear by it every day.",
    "Order yours today and get free shipping worldwide."])


def _voice_segs(session: Session):
    return sorted(track(session.draft, "voice").sg, key=lambda s: s.s)


def _captions(session: Session):
    return {s.id: s for t in session.draft.t if t.tt == 7 for s in t.sg}


@needs_voice
@pytest.mark.voice
@pytest.mark.slow
def test_vertical_narrated_video_has_captions_following_the_voice() -> None:
    s = with_text()
    steps, reply = s.send(AGENT, "turn this text into a vertical 30-second video with a voiceover")
    draft = s.draft
    assert (draft.m.width, draft.m.height) == (1080, 1920) and "captions follow the voice" in reply
    caps = _captions(s)
    followed = 0
    for nar in _voice_segs(s):
        m = nar.m.model_extra
        words = m["words"]
        assert len(words) == len(split_words(nar.m.text)) and nar.d >= words[-1][1]
        assert all(b >= a for a, b in words) and all(words[i][0] <= words[i + 1][0] for i in range(len(words) - 1))
        k = 0
        for cid in m["captions"]:  # each caption's words sit at the voice's times
            cap = caps[cid]
            n = len(split_words(cap.m.text))
            cw = cap.m.model_extra["words"]
            assert len(cw) == n
            for j in range(n):
                assert abs(cap.s + cw[j][0] - (nar.s + words[k + j][0])) <= 1
            k += n
            followed += 1
    assert followed >= 1
    music = next(t for t in draft.t if t.id == "music").sg[0]
    assert music.m.volume == 0.35 and music.m.model_extra["duck"] >= 10
    assert (draft.m.model_extra or {}).get("voice_speed") == 1.0
    # scenes hold their narration: no voice runs past its scene's cut
    scenes = sorted(next(t for t in draft.t if t.id == "video").sg, key=lambda x: x.s)
    for nar in _voice_segs(s):
        scene = next(sc for sc in scenes if sc.s <= nar.s < sc.end)
        assert nar.end <= scene.end


@needs_voice
@pytest.mark.voice
@pytest.mark.slow
def test_slower_and_faster_voice_say_it_again() -> None:
    s = with_text()
    s.send(AGENT, "turn this text into a vertical 30-second video with a voiceover")
    before = [(n.src, n.d) for n in _voice_segs(s)]
    steps, reply = s.send(AGENT, "slower voice please")
    assert [x.name for x in steps] == ["set_voice_speed"] and "0.85x" in reply
    after = _voice_segs(s)
    assert s.draft.m.model_extra["voice_speed"] == 0.85
    assert all(a.src != b[0] and a.d > b[1] for a, b in zip(after, before, strict=True))
    caps = _captions(s)
    first = after[0]
    cid = first.m.model_extra["captions"][0]
    assert abs(caps[cid].s + caps[cid].m.model_extra["words"][0][0] - (first.s + first.m.model_extra["words"][0][0])) <= 1
    steps, reply = s.send(AGENT, "语速快一点")
    assert s.draft.m.model_extra["voice_speed"] == 1.0 and "配音" in reply
    steps, reply = s.send(AGENT, "make the video as long as the narration")
    assert [x.name for x in steps] == ["fit_to_narration"]
    scenes = sorted(next(t for t in s.draft.t if t.id == "video").sg, key=lambda x: x.s)
    for nar in _voice_segs(s):
        scene = next(sc for sc in scenes if sc.s <= nar.s < sc.end)
        assert scene.end - nar.end == 500 or scene.d == 1200  # the scene ends just after its voice


@needs_voice
@pytest.mark.voice
@pytest.mark.slow
def test_asked_length_shorter_than_the_speech_speeds_up_or_names_dropped_sentences() -> None:
    s = Session(uploads=[text_upload("t1", LONG_EN)])
    steps, reply = s.send(AGENT, "turn this text into a 20-second video with a voiceover")
    assert abs(s.draft.duration_ms - 20_000) <= 100
    assert "dropped" in reply or "faster, at" in reply
    if "dropped" in reply:
        said = " ".join(n.m.text for n in _voice_segs(s))
        quoted = reply.split("dropped", 1)[1]
        assert "“" in quoted
        first_dropped = quoted.split("“", 1)[1].split("”", 1)[0].rstrip("…")
        assert first_dropped[:20] not in said
    for nar in _voice_segs(s):
        assert nar.end <= 20_000
    s2 = Session(uploads=[text_upload("t1", LONG_EN)])
    s2.send(AGENT, "turn this text into a video with a voiceover, as long as the narration")
    said = [n.m.text for n in _voice_segs(s2)]
    assert len(said) >= 6 and s2.draft.duration_ms > 30_000


@pytest.mark.voice
def test_a_voiceover_asked_on_an_empty_timeline_makes_the_video() -> None:
    s = with_text()
    steps, reply = s.send(AGENT, "make a vertical 15-second video with a voiceover")
    assert [x.name for x in steps] == ["generate_video"]
    assert (s.draft.m.width, s.draft.m.height) == (1080, 1920) and s.draft.duration_ms == 15_000
    assert (track(s.draft, "voice") is not None) == voice.available()


@pytest.mark.voice
def test_chinese_narration_says_exactly_why_not() -> None:
    s = with_zh_text()
    steps, reply = s.send(AGENT, "把这段文字做成30秒视频，要配音")
    assert track(s.draft, "voice") is None
    expected = ("离线配音只支持英文" if voice.available() else "pip install 'reelterm[voice]'")
    assert expected in reply


def test_caption_style_requests() -> None:
    s = promo()
    steps, reply = s.send(AGENT, "karaoke captions please")
    assert s.draft.m.model_extra["captions"] == "words" and "word by word" in reply
    s.send(AGENT, "plain captions")
    assert s.draft.m.model_extra["captions"] == "plain"
    s.send(AGENT, "逐字字幕")
    assert s.draft.m.model_extra["captions"] == "words"
    s2 = with_text()
    s2.send(AGENT, "turn this text into a 15-second video with word by word captions")
    assert s2.draft.m.model_extra["captions"] == "words" and s2.draft.duration_ms == 15_000


@pytest.mark.voice
def test_voice_choice_says_what_is_installed() -> None:
    s = promo()
    before = s.draft.wire()
    for msg in ("use a female voice", "换个声音"):
        steps, reply = s.send(AGENT, msg)
        assert s.draft.wire() == before and not steps
        assert ("joe" in reply) if voice.available() else ("reelterm[voice]" in reply)


def test_export_subtitles_asks_for_an_srt_or_vtt() -> None:
    s = promo()
    steps, _ = s.send(AGENT, "export subtitles")
    assert steps[-1].state_delta["export_requested"]["format"] == "srt"
    steps, _ = s.send(AGENT, "export the captions as vtt")
    assert steps[-1].state_delta["export_requested"]["format"] == "vtt"
    steps, reply = s.send(AGENT, "add soft subtitles and export an mkv")
    assert s.draft.m.model_extra["soft_subtitles"] is True
    assert steps[-1].state_delta["export_requested"]["format"] == "mkv"


def _subs(uid: str, text: str) -> UploadInfo:
    return UploadInfo(id=uid, filename=f"{uid}.srt", kind="subtitles", text=text)


def test_uploaded_subtitles_become_a_caption_track_and_bad_ones_change_nothing() -> None:
    s = promo()
    s.uploads.append(_subs("s1", "1\n00:00:01,000 --> 00:00:02,000\n第一句 “quoted” --> x\n\n"
                                  "2\n00:00:02,500 --> 00:00:04,000\nSecond\n"))
    steps, reply = s.send(AGENT, "add these subtitles")
    assert [x.name for x in steps] == ["add_subtitles"] and "2 subtitles" in reply
    subs = track(s.draft, "subtitles").sg
    assert [(x.s, x.d, x.m.text) for x in subs] == [(1000, 1000, "第一句 “quoted” --> x"), (2500, 1500, "Second")]
    before = s.draft.wire()
    s.uploads.append(_subs("s2", "1\n00:00:01,000 --> 00:00:03,000\nA\n\n2\n00:00:02,000 --> 00:00:04,000\nB\n"))
    steps, reply = s.send(AGENT, "add these subtitles")
    assert not steps and "line 6" in reply and "unchanged" in reply and s.draft.wire() == before


def test_speed_without_narration_is_remembered() -> None:
    s = promo()
    steps, reply = s.send(AGENT, "make the voice faster")
    assert s.draft.m.model_extra["voice_speed"] == 1.15 and "1.15x" in reply
    assert TEXT_EN and TEXT_ZH  # the shared texts stay importable


@needs_voice
@pytest.mark.voice
@pytest.mark.slow
def test_narrated_vertical_render_lights_the_spoken_word(tmp_path) -> None:
    """A whole turn at 360x640: the caption lights each word at the voice's time for it."""
    import av
    import numpy as np

    from reelterm.media import render_draft

    s = Session(uploads=[text_upload("t1", TEXT_EN)], asset_dir=tmp_path)
    s.send(AGENT, "turn this text into a 12-second 360x640 video with a voiceover")
    draft = s.draft
    assert caption_mode_of(draft) == "words"
    nar = _voice_segs(s)[0]
    cap = _captions(s)[nar.m.model_extra["captions"][0]]
    words = cap.m.model_extra["words"]
    assert len(words) >= 3
    out = render_draft(draft, tmp_path / "n.mp4", quality="draft",
                       resolve=lambda src: tmp_path / f"{src.split(':', 1)[1]}.wav")
    fps = draft.m.fps
    # three word boundaries, sampled a frame after each word starts
    picks = [1, len(words) // 2, len(words) - 1]
    want = {round((cap.s + words[k][0]) * fps / 1000) + 1: k for k in picks}
    lit: dict[int, tuple[float, float]] = {}
    with av.open(str(out)) as c:
        for i, frame in enumerate(c.decode(video=0)):
            if i in want:
                rgb = frame.to_ndarray(format="rgb24").astype(int)
                ys, xs = np.nonzero((rgb[..., 0] > 190) & (rgb[..., 1] > 150) & (rgb[..., 2] < 130)
                                    & (rgb[..., 0] - rgb[..., 2] > 110))
                assert len(xs) > 40, f"no word lit at frame {i}"
                lit[want[i]] = (float(ys.mean()), float(xs.mean()))
    spots = [lit[k] for k in picks]  # a different word is lit at each of the three times
    for i in range(3):
        for j in range(i + 1, 3):
            assert abs(spots[i][0] - spots[j][0]) + abs(spots[i][1] - spots[j][1]) > 8, spots


def caption_mode_of(draft) -> str:
    from reelterm.media.karaoke import caption_mode

    return caption_mode(draft)


def test_scenes_stretch_to_hold_their_voice_and_everything_moves_with_them() -> None:
    from reelterm.engine.agent.studio import speech

    data = {"m": {"width": 64, "height": 64, "fps": 10}, "t": [
        {"tt": 0, "id": "video", "sg": [
            {"id": "v1", "s": 0, "d": 2000, "src": "color:#000000", "m": {"name": "Title card"}},
            {"id": "v2", "s": 2000, "d": 3000, "src": "color:#111111", "m": {"name": "Scene 1"}},
            {"id": "v3", "s": 6000, "d": 2000, "src": "color:#222222", "m": {"name": "End card"}}]},
        {"tt": 7, "id": "captions", "sg": [
            {"id": "c1", "s": 2600, "d": 2000, "m": {"text": "one two three", "style": "caption"}},
            {"id": "c2", "s": 6500, "d": 1000, "m": {"text": "bye", "style": "caption"}}]},
        {"tt": 1, "id": "music", "sg": [{"id": "m1", "s": 0, "d": 8000, "src": "music:calm/x", "m": {"volume": 0.35}}]},
        {"tt": 1, "id": "voice", "sg": [{"id": "n1", "s": 2300, "d": 4000, "src": "asset:a1", "m": {
            "text": "one two three", "words": [[0, 1000], [1200, 2500], [2600, 3900]], "captions": ["c1"]}}]}]}
    before, after = speech.fit_scenes(data, shrink=False)
    v = {s["id"]: s for s in data["t"][0]["sg"]}
    assert (before, after) == (8000, 9800)
    assert (v["v2"]["s"], v["v2"]["d"]) == (2000, 4800) and v["v3"]["s"] == 7800  # the gap keeps its 1 s
    nar = data["t"][3]["sg"][0]
    assert nar["s"] == 2300 and nar["d"] == 4000  # the voice keeps its place after the cut, and its length
    assert data["t"][2]["sg"][0]["d"] == 9800  # music spans the new length
    assert data["t"][1]["sg"][1]["s"] == 8300  # the end card's caption moved with it
    assert speech.sync_captions(data) == 1
    c1 = data["t"][1]["sg"][0]
    assert [c1["s"] + a for a, _ in c1["m"]["words"]] == [2300, 3500, 4900]
    assert c1["s"] + c1["d"] <= 6800  # inside its scene
    before, after = speech.fit_scenes(data, shrink=True)  # "as long as the narration"
    assert v["v2"]["d"] == 300 + 4000 + 500 and after == before
