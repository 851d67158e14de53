"""The reviewer's findings on the real agent: described videos, one answer per sentence, merges that say
what they replaced, long texts at a readable pace, cross-dissolves, suggestions answered with yes."""

from __future__ import annotations

import re

from reelterm.engine.planner.scene_kinds import CALM_TRANSITIONS, TRANSITIONS_BY_MOOD
from reelterm.protocol import Draft, validate_local_draft
from reelterm.worker.state_diff import diff_drafts
from reelterm.worker.turn_flow import _mostly_chinese

from .context import audio_upload, video_upload
from .helpers import AGENT, av_uploads, empty, promo, promo_zh, texts, video, with_text

PLACEHOLDER = "a 10 second city timelapse with lo-fi music and the title Urban Dreams"


def test_the_placeholder_example_makes_a_video_on_a_fresh_install() -> None:
    s = empty()
    steps, reply = s.send(AGENT, PLACEHOLDER)
    assert [t.name for t in steps] == ["generate_video"], reply
    d = s.draft
    assert abs(d.duration_ms - 10_000) <= 600
    titles = [seg.m.text for seg in texts(d, "title")]
    assert titles and titles[0] == "Urban Dreams"
    shown = " ".join(seg.m.text or "" for t in d.t if t.tt == 7 for seg in t.sg).lower()
    assert "city timelapse" in shown and "lo-fi" not in shown and "10 second" not in shown
    music = next(t for t in d.t if t.id == "music").sg[0]
    assert "calm" in (music.src or "")
    assert len(video(d)) >= 3  # a title card, the scene, an end card
    assert "get urban dreams today" not in shown  # a timelapse sells nothing: no sales line at the end


def test_a_sentence_is_never_said_twice_in_one_reply() -> None:
    s = empty()  # two clauses that both need a video: the same answer once
    _, reply = s.send(AGENT, "add calm music and the title Hello")
    sentences = [x.strip() for x in reply.replace("。", ".").split(".") if x.strip()]
    assert len(sentences) == len(set(sentences)), reply


def test_a_merge_over_a_video_says_what_it_replaced_and_how_to_get_it_back() -> None:
    s = promo()
    s.uploads += [video_upload("vid1", 5_000), audio_upload("aud1", 5_000)]
    _, reply = s.send(AGENT, "merge this audio and video into a single MP4")
    assert abs(s.draft.duration_ms - 5_000) <= 100
    assert "replaced" in reply and "30-second" in reply and "undo" in reply, reply
    s.send(AGENT, "undo")
    assert abs(s.draft.duration_ms - 30_000) <= 600


def test_a_merge_names_the_audio_it_used_and_the_one_it_left_out() -> None:
    s = av_uploads()
    s.uploads.append(audio_upload("aud2", 50_000))
    _, reply = s.send(AGENT, "merge this audio and video into a single MP4")
    assert "aud2.mp3" in reply and "left out aud1.mp3" in reply, reply
    _, reply = s.send(AGENT, "merge aud1.mp3 with the video instead")
    assert next(t for t in s.draft.t if t.id == "audio").sg[0].src == s.uploads[1].src, reply


def test_a_chinese_merge_over_a_video_says_so_in_chinese() -> None:
    s = promo_zh()
    s.uploads += [video_upload("vid1", 5_000), audio_upload("aud1", 5_000), audio_upload("aud2", 5_000)]
    _, reply = s.send(AGENT, "把这个音频和视频合并")
    assert "撤销" in reply and "aud1.mp3" in reply and "replaced" not in reply and "left out" not in reply, reply


def _unpunctuated(chars: int) -> str:
    places = ["river", "forest", "canyon", "summit", "meadow", "glacier", "desert", "valley"]
    parts, i = [], 0
    while len(", ".join(parts)) < chars:
        parts.append(f"on the {places[i % len(places)]} trail campers used the lantern every night")
        i += 1
    return "Lumo 露营 lantern is a featherweight light " + ", ".join(parts)


def test_a_long_text_without_full_stops_stays_readable_and_says_what_was_left_out() -> None:
    s = empty()
    text = _unpunctuated(9_000)
    _, reply = s.send(AGENT, "make a 30 second video from this: " + text)
    d = s.draft
    caps = [seg for t in d.t if t.id == "captions" for seg in t.sg]
    on_screen = [seg for t in d.t if t.tt == 7 for seg in t.sg]
    assert len(on_screen) < 30, len(on_screen)
    assert all(seg.d >= 1_200 for seg in caps), sorted(seg.d for seg in caps)[:5]
    words = sum(len((seg.m.text or "").split()) for seg in caps)
    assert words <= 2.5 * 30 * 1.3, words
    assert all(not (seg.m.text or "").lower().startswith(("ry ", "ery ")) for seg in on_screen)
    title = texts(d, "title")[0].m.text or ""
    assert all(w in text.split() for w in title.split()), title  # whole words, never a cut piece
    assert "fit in 30 seconds" in reply and reply.count("fit in") == 1, reply
    need = re.search(r"make it (\d+) seconds", reply)
    assert need, reply  # a longer length that holds the whole text, as words that work
    _, reply = s.send(AGENT, need.group(0))
    assert abs(s.draft.duration_ms - int(need.group(1)) * 1000) <= 600 and "left out" not in reply, reply


LONG_EN = " ".join(f"Feature {n} of the Acme AirBottle keeps your drinks cold on day {n}." for n in range(1, 15))


def test_many_similar_changes_are_summed_up_in_one_line() -> None:
    s = promo()
    before = s.draft
    s.send(AGENT, "make a 60 second video: " + LONG_EN)
    lines = diff_drafts(before, s.draft, "en")
    per_track: dict[str, int] = {}
    for line in lines:
        per_track[line.split(":")[0]] = per_track.get(line.split(":")[0], 0) + 1
    assert max(per_track.values()) <= 4, lines  # 14 new captions were 14 lines
    assert any(re.search(r"(?:added|removed) \d+ texts|\d+ texts changed", line) for line in lines), lines


def test_a_chinese_session_gets_its_change_summary_in_chinese() -> None:
    s = promo_zh()
    for before, after in ((Draft(), s.draft), (promo().draft, s.draft)):
        summary = "\n".join(diff_drafts(before, after, "zh-CN"))
        english = re.findall(r"\b(?:track|Captions|Titles|Music|Pictures|Video|added|removed|texts)\b", summary)
        assert not english, summary
    reply = "已把音乐换成轻松舒缓（calm_acoustic_1），音量35%。"
    assert _mostly_chinese(reply) and not _mostly_chinese("Changed the music to calm_acoustic_1 at 35%.")


def test_no_planned_video_uses_the_pixel_noise_dissolve() -> None:
    for mood in TRANSITIONS_BY_MOOD:
        assert "dissolve" not in TRANSITIONS_BY_MOOD[mood]
    assert "dissolve" not in CALM_TRANSITIONS
    for text in ("calm", "tender", "nostalgic", "happy"):
        s = with_text()
        s.send(AGENT, f"turn this text into a 30-second video with {text} music")
        assert all(v.m.transition != "dissolve" for v in video(s.draft))


def test_a_dissolve_request_gets_a_cross_fade_and_says_so() -> None:
    for ask, zh in (("add dissolve transitions", False), ("use cross dissolve transitions", False),
                    ("转场换成溶解", True)):
        s = promo_zh() if zh else promo()
        _, reply = s.send(AGENT, ask)
        moves = [v.m.transition for v in video(s.draft)[1:]]
        assert moves and all(m == "fade" for m in moves), (ask, moves)
        assert ("交叉淡化" in reply) if zh else ("cross-fade" in reply and "dissolve" not in reply), reply


def test_an_old_draft_with_a_dissolve_still_validates() -> None:
    s = promo()
    d = s.draft.model_copy(deep=True)
    video(d)[1].m.transition = "dissolve"
    validate_local_draft(Draft.model_validate(d.wire()))


def _music_volume(d: Draft) -> float | None:
    seg = next((t.sg[0] for t in d.t if t.id == "music" and t.sg), None)
    return None if seg is None else seg.m.volume


def test_yes_to_a_suggestion_does_it_and_no_drops_it() -> None:
    for yes in ("yes", "ok", "sure", "好的", "是的"):
        s = promo_zh() if yes in ("好的", "是的") else promo()
        s.send(AGENT, "add fade transitions between the scenes" if yes not in ("好的", "是的") else "在场景之间加上淡入淡出转场")
        _, reply = s.send(AGENT, "asdfghjkl")
        assert "?" in reply or "吗" in reply, reply  # asks about the next step (calmer music at 25%)
        before = s.current
        steps, reply = s.send(AGENT, yes)
        assert s.current == before + 1 and steps, (yes, reply)
        assert abs((_music_volume(s.draft) or 0) - 0.25) < 0.01, (yes, reply)
    s = promo()
    s.send(AGENT, "asdfghjkl")
    before = s.current
    steps, reply = s.send(AGENT, "no")
    assert s.current == before and not steps and "left the video as it is" in reply
    _, reply = s.send(AGENT, "yes")  # the offer is gone
    assert s.current == before, reply


def test_yes_after_an_edit_in_between_does_not_apply_a_stale_offer() -> None:
    s = promo()
    s.send(AGENT, "asdfghjkl")  # offers calmer music at 25%
    s.send(AGENT, "make it 20 seconds")
    before, volume = s.current, _music_volume(s.draft)
    s.send(AGENT, "yes")
    assert s.current == before and _music_volume(s.draft) == volume


def test_a_chinese_session_status_names_tracks_and_scenes_in_chinese() -> None:
    s = promo_zh()
    _, reply = s.send(AGENT, "状态")
    assert "片头" in reply and "场景1" in reply and "字幕" in reply, reply
    assert not re.search(r"\b(?:Video|Pictures|Titles|Captions|Music|Scene|Title card|End card|Picture)\b", reply), reply
