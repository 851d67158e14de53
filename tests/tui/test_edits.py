"""The exact chat requests the editing keys send, and the playhead's steps (pure functions)."""

from __future__ import annotations

import pytest

from reelterm.protocol import Draft
from reelterm.tui.edits import EditRefused, edit_request, scene_at, secs, step_playhead

DRAFT = Draft.model_validate({"m": {"title": "t", "fps": 25}, "t": [
    {"tt": 0, "id": "video", "sg": [
        {"id": "v1", "s": 0, "d": 2000, "src": "color:#000000", "m": {"name": "Title card"}},
        {"id": "v2", "s": 2000, "d": 5000, "src": "color:#111111", "m": {"name": "Scene 1"}},
        {"id": "v3", "s": 7000, "d": 4000, "src": "upload:u1", "m": {"name": "Scene 2", "volume": 0.5}}]},
    {"tt": 7, "id": "titles", "sg": [{"id": "t1", "s": 500, "d": 1500, "m": {"text": "Hi"}}]},
    {"tt": 1, "id": "music", "sg": [{"id": "m1", "s": 0, "d": 11000, "src": "music:calm/x"}]},
]})


def sel(seg_id: str):
    """(track, index, segment) of an id."""
    for track in DRAFT.t:
        for i, seg in enumerate(track.sg):
            if seg.id == seg_id:
                return track, i, seg
    raise KeyError(seg_id)


@pytest.mark.parametrize(("kind", "amount", "seg", "playhead", "sent"), [
    ("delete", 0, "t1", 0, "delete segment t1"),
    ("nudge", 100, "t1", 0, "move segment t1 later by 0.1s"),
    ("nudge", -1000, "t1", 0, "move segment t1 earlier by 1s"),
    ("trim_start", 100, "v2", 0, "trim the start of segment v2 by 0.1s"),
    ("trim_end", 100, "v2", 0, "trim the end of segment v2 by 0.1s"),
    ("extend_start", 100, "v2", 0, "extend the start of segment v2 by 0.1s"),
    ("extend_end", 100, "v2", 0, "extend the end of segment v2 by 0.1s"),
    ("split", 0, "v2", 4440, "split segment v2 at 4.44s"),
    ("split", 0, "v2", 4001, "split segment v2 at 4.001s"),
    ("volume", 10, "m1", 0, "set the volume of segment m1 to 110%"),
    ("volume", -10, "v3", 0, "set the volume of segment v3 to 40%"),
    ("scene", -1, "v3", 0, "move scene 2 earlier"),
    ("scene", 1, "t1", 3000, "move scene 1 later"),  # not a scene: the one at the playhead
    ("undo", 0, "t1", 0, "undo"),
    ("redo", 0, "t1", 0, "redo"),
])
def test_requests_are_the_shared_phrasings(kind, amount, seg, playhead, sent):
    assert edit_request(kind, amount, DRAFT, sel(seg), playhead) == sent


def test_text_keeps_the_words_verbatim():
    words = 'He said "go"\nthen: left'
    assert edit_request("text", 0, DRAFT, sel("t1"), 0, text=words) == f"set the text of segment t1 to: {words}"


@pytest.mark.parametrize(("kind", "amount", "seg", "playhead", "why"), [
    ("nudge", -100, "v1", 0, "already starts at 0 s"),
    ("split", 0, "v2", 1000, "inside the segment"),
    ("volume", 10, "t1", 0, "Only audio"),
    ("volume", 10, "v2", 0, "Only audio"),  # a colour has no sound
    ("text", 0, "v2", 0, "Only text segments"),
    ("trim_end", 1450, "t1", 0, "cannot be trimmed further"),
])
def test_keys_that_cannot_apply_say_why(kind, amount, seg, playhead, why):
    with pytest.raises(EditRefused, match=why):
        edit_request(kind, amount, DRAFT, sel(seg), playhead)
    with pytest.raises(EditRefused, match="Select a segment"):
        edit_request("delete", 0, DRAFT, None, 0)


def test_playhead_steps_by_frame_second_and_scene():
    assert step_playhead(DRAFT, 0, "frame", 1) == 40  # 25 fps
    assert step_playhead(DRAFT, 40, "frame", -1) == 0
    assert step_playhead(DRAFT, 0, "frame", -1) == 0
    assert step_playhead(DRAFT, 2500, "second", 1) == 3500
    assert step_playhead(DRAFT, 10_500, "second", 1) == 10_960  # the last frame
    assert step_playhead(DRAFT, 2500, "scene", 1) == 7000
    assert step_playhead(DRAFT, 2500, "scene", -1) == 2000
    assert step_playhead(DRAFT, 2000, "scene", -1) == 0
    assert scene_at(DRAFT, None, 7500) == 2 and scene_at(DRAFT, None, 100) is None
    assert secs(12_400) == "12.4s" and secs(1000) == "1s" and secs(1) == "0.001s"
