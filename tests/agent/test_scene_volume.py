"""A scene's own music level: "a bit louder in scene 2" changes that scene's range only, as heard."""

from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path

import pytest

from reelterm import media
from reelterm.engine.agent.studio import StudioAgent
from reelterm.media._ffmpeg import ffmpeg_exe

from .context import Session, text_upload
from .helpers import TEXT_EN, TEXT_ZH

AGENT = StudioAgent()


def _promo(zh: bool = False) -> Session:
    if zh:
        s = Session(uploads=[text_upload("t1", TEXT_ZH)], language="zh-CN")
        s.send(AGENT, "把这段文字做成30秒的宣传视频，要有画面和音乐")
    else:
        s = Session(uploads=[text_upload("t1", TEXT_EN)])
        s.send(AGENT, "turn this text into a 30-second promotional video with visuals and music")
    assert s.draft.ready
    return s


def _scenes(draft) -> list[tuple[int, int]]:
    video = sorted(next(t for t in draft.t if t.id == "video").sg, key=lambda x: x.s)[1:-1]
    return [(seg.s, seg.end) for seg in video]


def _level_at(draft, ms: int) -> float:
    return next(seg.m.volume for t in draft.t if t.id == "music" for seg in t.sg if seg.s <= ms < seg.end)


def test_scene_two_louder_leaves_the_rest_and_plays_on() -> None:
    s = _promo()
    before = s.draft
    _, reply = s.send(AGENT, "a bit louder in scene 2")
    (a1, e1), (a2, e2) = _scenes(s.draft)
    assert _level_at(s.draft, (a2 + e2) // 2) > 0.35
    assert _level_at(s.draft, (a1 + e1) // 2) == pytest.approx(0.35)
    assert _level_at(s.draft, 500) == pytest.approx(0.35)
    assert "scene 2" in reply and "rest" in reply
    pieces = sorted((seg for t in s.draft.t if t.id == "music" for seg in t.sg), key=lambda x: x.s)
    for left, right in zip(pieces, pieces[1:], strict=False):  # the song plays on across the seams
        assert left.end == right.s and right.in_ == left.in_ + left.d
    s.send(AGENT, "undo")
    assert s.draft.wire() == before.wire()


def test_chinese_scene_quieter_reply_in_chinese_and_follows_a_scene_move() -> None:
    s = _promo(zh=True)
    _, reply = s.send(AGENT, "第二个场景音乐小一点")
    assert "第2个场景" in reply and not re.search(r"[A-Za-z]{4,}", reply)
    quiet = _level_at(s.draft, sum(_scenes(s.draft)[1]) // 2)
    assert quiet < 0.35
    s.send(AGENT, "交换两个场景")
    (a1, e1), (a2, e2) = _scenes(s.draft)
    assert _level_at(s.draft, (a1 + e1) // 2) == pytest.approx(quiet)  # the quiet scene is first now
    assert _level_at(s.draft, (a2 + e2) // 2) == pytest.approx(0.35)


def test_no_such_scene_changes_nothing() -> None:
    s = _promo()
    before = s.draft
    _, reply = s.send(AGENT, "music louder in scene 9")
    assert s.draft.wire() == before.wire() and "2" in reply


def _rms_db(path: Path, start_ms: int, end_ms: int) -> float:
    """The RMS level (dB) of [start, end) of a sound file, measured by ffmpeg's astats."""
    run = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", "-ss", f"{start_ms / 1000:.3f}",
                          "-t", f"{(end_ms - start_ms) / 1000:.3f}", "-i", str(path), "-af", "astats=measure_perchannel=none",
                          "-f", "null", "-"], capture_output=True, text=True, check=True)
    return float(re.findall(r"RMS level dB:\s*(-?[\d.]+)", run.stderr)[-1])


@pytest.mark.slow
def test_rendered_scene_two_is_quieter_by_the_asked_ratio(tmp_path: Path) -> None:
    s = _promo()
    flat = s.draft
    s.send(AGENT, "music in scene 2 at 10%")
    shaped = s.draft
    (a1, e1), (a2, e2) = _scenes(shaped)
    outs = []
    for name, draft in (("flat", flat), ("shaped", shaped)):
        out = tmp_path / f"{name}.wav"
        media.render_draft(draft, out, quality="draft")
        outs.append(out)
    margin = 600  # clear of the seams and of the cross-fades between scenes
    scene1 = [_rms_db(o, a1 + margin, e1 - margin) for o in outs]
    scene2 = [_rms_db(o, a2 + margin, e2 - margin) for o in outs]
    # The whole mix is normalised to -14 LUFS, so compare scene 2's change with scene 1's.
    drop = (scene2[1] - scene2[0]) - (scene1[1] - scene1[0])
    assert drop == pytest.approx(20 * math.log10(0.10 / 0.35), abs=1.5), (scene1, scene2)


def test_a_models_call_can_name_the_scene() -> None:
    s = _promo()
    steps = list(AGENT.respond_calls(s.context(), [("set_volume", {"track": "music", "percent": 10, "scene": 2})]))
    done = [st for st in steps if getattr(st, "name", None) == "set_volume"]
    assert done and done[0].args == {"track": "music", "volume": 0.1, "scenes": [2]}


def test_the_end_card_has_its_own_level_too() -> None:
    s = _promo(zh=True)
    _, reply = s.send(AGENT, "片尾的音乐小一点")
    end = sorted(next(t for t in s.draft.t if t.id == "video").sg, key=lambda x: x.s)[-1]
    assert _level_at(s.draft, end.s + end.d // 2) < 0.35 and _level_at(s.draft, 500) == pytest.approx(0.35)
    assert reply.startswith("片尾")
