"""Every phrase in docs/agent.md's tables does what its row says, on a real draft."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reelterm.engine.agent.studio import voice

from .corpus import _CRASH, _session
from .helpers import AGENT

DOC = Path(__file__).resolve().parents[2] / "docs" / "agent.md"
# each row of the "what | English | 中文" table: where it starts, and the tools one of which must run
ROWS: dict[str, tuple[str, set[str] | None]] = {
    "music": ("promo", {"set_music", "remove_music"}),
    "volume": ("promo", {"set_volume"}),
    "titles": ("promo", {"add_text", "edit_text", "remove_text"}),
    "captions": ("promo", {"add_text", "edit_text", "remove_text"}),
    "cut and trim": ("promo", {"cut_range", "keep_range"}),
    "length": ("promo", {"set_length"}),
    "scenes": ("long", {"reorder_scenes", "remove_scene"}),
    "format": ("promo", {"set_format"}),
    "fades": ("promo", {"set_fades"}),
    "transitions": ("promo", {"set_transitions"}),
    "narration": ("promo", {"set_narration"}),
    "merge": ("av", {"merge_media"}),
    "export": ("promo", {"export", "set_format", "merge_media"}),
    "history": ("promo", None),
    "info": ("promo", set()),
    "questions": ("promo", set()),
    "complaints": ("promo", {"set_volume", "set_length"}),
    "amounts": ("promo", {"set_volume", "set_length"}),
    "caption style": ("promo", {"set_caption_style"}),
    "voice speed": ("promo", {"set_voice_speed"}),
    "a picture in one scene": ("long", {"visuals_picture"}),
    "no pictures": ("promo", {"visuals_no_pictures"}),
    "background colour": ("promo", {"visuals_background"}),
    "the user's own media": ("promo", set()),  # no uploads in this session: a sentence, nothing changes
    "timeline keys": ("long", {"delete_segment", "move_segment", "trim_segment", "split_segment",
                               "set_segment_volume", "move_scene"}),
}


def _edit_rows() -> list[tuple[str, str]]:
    out = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] in ROWS:
            for column in cells[1:]:
                out += [(cells[0], p.strip()) for p in column.split("·") if p.strip() and p.strip() != "—"]
    return out


def _generation_rows() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("| you say | what happens |"):].split("\n\n", 1)[0]
    out = []
    for line in table.splitlines()[2:]:
        first = line.strip().strip("|").split("|")[0].strip()
        out += [p.strip() for p in first.split(" / ")]
    return out


EDITS = _edit_rows()


def test_the_tables_were_read() -> None:
    assert len(EDITS) >= 100 and {row for row, _ in EDITS} == set(ROWS)


@pytest.mark.parametrize(("row", "phrase"), [pytest.param(r, p, marks=[pytest.mark.voice] if r == "narration" else [])
                                             for r, p in EDITS], ids=[f"{r}:{p[:32]}" for r, p in EDITS])
def test_edit_phrase(row: str, phrase: str) -> None:
    start, tools = ROWS[row]
    if start == "promo" and re.search(r"[\u4e00-\u9fff]", phrase):
        start = "zpromo"
    if start == "long" and re.search(r"[\u4e00-\u9fff]", phrase):
        start = "zpromo"
    session = _session(start)
    before = session.draft.wire()
    steps, reply = session.send(AGENT, phrase)
    assert not _CRASH.search(reply) and "not sure what" not in reply and "没看懂" not in reply, reply
    names = {s.name for s in steps}
    if not names and re.search(r"already|There's no|There is no|已经|没有", reply):
        return  # the phrase is understood; this draft already is so, or lacks what it names
    if tools is None:
        assert names <= {"undo", "redo"}
    elif not tools:
        assert not steps and session.draft.wire() == before, steps
    elif row == "narration" and not voice.available() and "remove" not in phrase and "去掉" not in phrase:
        assert "reelterm[voice]" in reply or "英文" in reply or "English" in reply
    else:
        assert names & tools, (phrase, names, reply)


@pytest.mark.parametrize("phrase", _generation_rows())
def test_generation_phrase(phrase: str) -> None:
    zh = bool(re.search(r"[\u4e00-\u9fff]", phrase))
    session = _session("ztext" if zh else "text")
    phrase = phrase.replace("…", "'s water bottle keeps drinks cold for a day.")
    steps, reply = session.send(AGENT, phrase)
    assert [s.name for s in steps][:1] == ["generate_video"], reply
    assert session.draft.ready


def _compound_rows() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("| one message | what happens |"):].split("\n\n", 1)[0]
    return [line.strip().strip("|").split("|")[0].strip() for line in table.splitlines()[2:]]


@pytest.mark.parametrize("phrase", _compound_rows())
def test_compound_phrase_is_several_steps_and_one_undo(phrase: str) -> None:
    session = _session("zpromo" if re.search(r"[\u4e00-\u9fff]", phrase) else "promo")
    before = session.draft.wire()
    steps, reply = session.send(AGENT, phrase)
    assert len([s for s in steps if s.name != "export"]) >= 2 or "logo" in reply, (steps, reply)
    session.send(AGENT, "undo")
    assert session.draft.wire() == before
