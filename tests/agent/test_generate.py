"""Golden drafts for the seed prompts, determinism, and the planner's parsing functions."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from reelterm.engine.planner import (
    choose_music,
    mood_from_text,
    parse_duration_ms,
    parse_export,
    parse_format,
    parse_percent,
    parse_time_span,
    plan_video,
)
from reelterm.engine.planner.sentences import split_sentences
from reelterm.protocol import Draft, validate_local_draft

from .helpers import (
    AGENT,
    SEED_EN,
    SEED_ZH,
    TEXT_EN,
    texts,
    video,
    with_history,
    with_text,
    with_zh_text,
)

GOLDEN = Path(__file__).parent / "golden"
# The three English prompts ask for the same thing (a 30-second 1080p video of the uploaded text), so
# they share one golden; each prompt's own wish (an MP4 export, "30 seconds" in the reply) is checked too.
SEEDS = {
    "seed_en_30s_promo": (with_text, SEED_EN, "seed_en", None),
    "seed_en_1080p_mp4": (with_history, "convert a two-sentence product description into a 1080p MP4", "seed_en",
                          {"format": "mp4", "quality": "high"}),
    "seed_en_marketers": (with_text, "generating videos from written text or scripts for marketers", "seed_en", None),
    "seed_zh_30s_promo": (with_zh_text, SEED_ZH, "seed_zh", None),
}


def _seconds(ms: int) -> float:
    """A length as a viewer reads it: to the nearest half second."""
    return round(ms / 500) / 2


def what_a_user_sees(draft: Draft) -> dict[str, Any]:
    """The draft as a viewer would describe it: canvas, length, tracks, each scene's kind, length and
    words, the captions and the music's mood and level. No colours, picker choices or fade timings:
    those are no requirement (the palette and the picker have their own tests in tests/visuals)."""
    words = sorted((s for t in draft.t if t.tt == 7 and t.id != "captions" for s in t.sg), key=lambda s: s.s)
    captions = next((t.sg for t in draft.t if t.id == "captions"), [])
    music = next((t for t in draft.t if t.id == "music"), None)
    pictures = next((t for t in draft.t if t.id == "pictures"), None)
    scenes = []
    for frame in video(draft):
        extra = frame.m.model_extra or {}
        scenes.append({
            "name": frame.m.name,
            "layout": extra.get("layout"),
            "seconds": _seconds(frame.d),
            "words": [t.m.text for t in words if (t.m.model_extra or {}).get("scene") == frame.id],
            "pictures": sum(1 for p in (pictures.sg if pictures else [])
                            if (p.m.model_extra or {}).get("scene") == frame.id),
        })
    seg = music.sg[0] if music else None
    return {
        "canvas": f"{draft.m.width}x{draft.m.height}",
        "seconds": _seconds(draft.duration_ms),
        "title": draft.m.title,
        "tracks": [t.m.get("name") for t in draft.t],
        "scenes": scenes,
        "captions": [c.m.text for c in sorted(captions, key=lambda c: c.s)],
        "music": None if seg is None else {
            "mood": (seg.src or "").removeprefix("music:").split("/")[0],
            "volume_percent": round((seg.m.volume or 0) * 100),
            "whole_video": seg.s == 0 and seg.end == draft.duration_ms,
            "fades": bool(seg.m.fade_in and seg.m.fade_out),
        },
    }


def check_golden(name: str, data: dict[str, Any]) -> None:
    """Compare with tests/agent/golden/NAME.json. A missing golden fails; REELTERM_UPDATE_GOLDEN=1 writes
    it and still fails, so a written golden is read (git diff) before any run can pass with it."""
    path = GOLDEN / f"{name}.json"
    if os.environ.get("REELTERM_UPDATE_GOLDEN"):
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pytest.fail(f"wrote {path.name}: review it with git diff, then run again without REELTERM_UPDATE_GOLDEN")
    assert path.exists(), f"no golden {path.name}: write it with REELTERM_UPDATE_GOLDEN=1 and review it"
    assert data == json.loads(path.read_text(encoding="utf-8")), "the video a user sees changed; see the diff"


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_golden(name: str) -> None:
    start, message, golden, export = SEEDS[name]
    session = start()
    steps, reply = session.send(AGENT, message)
    draft = validate_local_draft(session.draft)
    assert [s.name for s in steps] == ["generate_video"]
    if export is not None:
        assert steps[0].state_delta.get("export_requested") == export
    assert abs(draft.duration_ms - 30_000) <= 500
    assert (draft.m.width, draft.m.height) == (1920, 1080)
    kinds = sorted(t.tt for t in draft.t)
    assert kinds == [0, 0, 1, 7, 7]
    music = next(t for t in draft.t if t.id == "music").sg[0]
    assert music.m.volume == 0.35 and music.m.fade_in and music.m.fade_out and music.s == 0
    assert music.d == draft.duration_ms
    frames = video(draft)
    assert frames[0].m.name == "Title card" and frames[-1].m.name == "End card"
    titles = texts(draft, "title")
    assert titles[0].id == "title" and titles[0].s == 0 and "…" not in titles[0].m.text
    assert titles[-1].id == "cta" and titles[-1].end == draft.duration_ms
    assert draft.m.title == titles[0].m.text
    for scene in frames[1:-1]:  # every scene has big words of its own, inside it
        keys = [t for t in titles if t.id.startswith("k") and scene.s <= t.s and t.end <= scene.end]
        assert keys and all(len(k.m.text.split()) <= 6 or len(k.m.text) <= 16 for k in keys)
    assert texts(draft, "caption")
    assert [t.m.get("name") for t in draft.t] == ["Video", "Pictures", "Titles", "Captions", "Music"]
    layouts = [f.m.model_extra["layout"] for f in frames]
    assert layouts[0] == "title" and layouts[-1] == "end" and all(
        x in ("feature", "list", "number", "quote") for x in layouts[1:-1])
    pictures = next(t for t in draft.t if t.id == "pictures").sg
    ids = {f.id for f in frames}
    assert all(p.m.model_extra["scene"] in ids and (p.src or "").startswith(("icon:", "motif:")) for p in pictures)
    assert len({p.src for p in pictures}) == len(pictures), "never the same picture twice"
    moves = {f.m.transition for f in frames[1:]}
    assert len(moves) >= 2, "transitions vary within a video"
    check_golden(golden, what_a_user_sees(draft))


def test_the_golden_check_fails_without_a_golden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REELTERM_UPDATE_GOLDEN", raising=False)
    with pytest.raises(AssertionError, match="no golden"):
        check_golden("no_such_golden", {"seconds": 30})
    assert not (GOLDEN / "no_such_golden.json").exists()


def test_the_golden_summary_tells_the_videos_apart() -> None:
    """The summary sees what a user sees: another text or another length gives another summary."""
    base = what_a_user_sees(plan_video(TEXT_EN).draft)
    other = what_a_user_sees(plan_video("Bright Beans roasts coffee every morning in small batches. "
                                        "Taste the difference.").draft)
    shorter = what_a_user_sees(plan_video(TEXT_EN, duration_ms=15_000).draft)
    assert base["captions"] != other["captions"] and base["title"] != other["title"]
    assert base["seconds"] == 30 and shorter["seconds"] == 15


def test_same_text_same_draft() -> None:
    a, b = with_text(), with_text()
    a.send(AGENT, SEED_EN)
    b.send(AGENT, SEED_EN)
    assert a.draft.wire() == b.draft.wire()
    assert plan_video(TEXT_EN).draft.wire() == plan_video(TEXT_EN).draft.wire()


def test_different_text_different_palette_and_track() -> None:
    one = plan_video(TEXT_EN).draft
    two = plan_video("Bright Beans roasts coffee every morning in small batches. Taste the difference.").draft
    assert video(one)[1].src != video(two)[1].src


@pytest.mark.parametrize("length", [6_000, 10_000, 15_000, 30_000, 45_000, 60_000, 90_000])
def test_lengths_hit_within_half_a_second(length: int) -> None:
    draft = validate_local_draft(plan_video(TEXT_EN * 3, duration_ms=length).draft)
    assert abs(draft.duration_ms - length) <= 500
    ends = [s.end for t in draft.t for s in t.sg]
    assert max(ends) <= draft.duration_ms


def test_long_text_uses_what_fits_and_captions_are_readable() -> None:
    text = " ".join(f"Feature number {i} makes your mornings a little brighter and easier." for i in range(20))
    plan = plan_video(text, duration_ms=30_000)
    assert plan.storyboard.sentences_used < plan.storyboard.sentences_total
    for cap in texts(plan.draft, "caption"):
        assert cap.d >= len(cap.m.text) / 15 * 1000 * 0.8


def test_default_length_grows_for_long_text() -> None:
    text = " ".join(f"Point {i}: our service saves you time on every single order you place." for i in range(8))
    plan = plan_video(text)
    assert plan.storyboard.default_length and 30_000 < plan.draft.duration_ms <= 60_000


@pytest.mark.parametrize(("text", "ms"), [
    ("30-second", 30_000), ("30s", 30_000), ("half a minute", 30_000), ("三十秒", 30_000),
    ("30秒", 30_000), ("1 min 30 s", 90_000), ("一分半", 90_000), ("a 45 second video", 45_000),
    ("thirty-five seconds", 35_000), ("一分钟", 60_000), ("two minutes", 120_000)])
def test_durations(text: str, ms: int) -> None:
    assert parse_duration_ms(text) == ms


@pytest.mark.parametrize(("text", "span"), [
    ("0-3s", (0, 3000)), ("from 2 to 5 seconds", (2000, 5000)), ("the first 3 seconds", (0, 3000)),
    ("0到3秒", (0, 3000)), ("从2秒到5秒", (2000, 5000)), ("between 2 and 5 s", (2000, 5000)),
    ("二到五秒", (2000, 5000)), ("前三秒", (0, 3000)), ("0:10-0:20", (10_000, 20_000)),
    ("the last 2 seconds", (28_000, 30_000)), ("最后3秒", (27_000, 30_000))])
def test_time_spans(text: str, span: tuple[int, int]) -> None:
    got = parse_time_span(text)
    assert got is not None and got.resolve(30_000) == span


@pytest.mark.parametrize(("text", "value"), [
    ("35%", 0.35), ("百分之三十五", 0.35), ("20 percent", 0.2), ("音量调到50%", 0.5), ("half", 0.5)])
def test_percents(text: str, value: float) -> None:
    assert parse_percent(text) == pytest.approx(value)


@pytest.mark.parametrize(("text", "size"), [
    ("vertical", (1080, 1920)), ("TikTok", (1080, 1920)), ("Reels", (1080, 1920)), ("Shorts", (1080, 1920)),
    ("9:16", (1080, 1920)), ("竖屏", (1080, 1920)), ("square", (1080, 1080)), ("1:1", (1080, 1080)),
    ("720p", (1280, 720)), ("4k", (3840, 2160)), ("1080p", (1920, 1080)), ("4:5", (1080, 1350))])
def test_formats(text: str, size: tuple[int, int]) -> None:
    assert parse_format(text) == size


def test_exports_and_moods() -> None:
    assert parse_export("convert to webm") == {"format": "webm", "quality": "high"}
    assert parse_export("extract the audio")["format"] == "mp3"
    assert [mood_from_text(w) for w in ("lo-fi", "upbeat", "轻松", "欢快", "tender", "怀旧")] == [
        "calm", "happy", "calm", "happy", "tender", "nostalgic"]
    ref = choose_music("calm", "some text")
    assert ref and ref.startswith("music:calm/") and ref == choose_music("calm", "some text")


def test_sentences_en_zh() -> None:
    assert split_sentences("It costs $4.50 today. Dr. Who approves! Do you want one?") == [
        "It costs $4.50 today.", "Dr. Who approves!", "Do you want one?"]
    assert split_sentences("第一句。第二句！第三句？") == ["第一句。", "第二句！", "第三句？"]
