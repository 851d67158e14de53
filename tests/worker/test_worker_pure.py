"""State diffs, the journal, file naming and the event serialiser: pure parts of the worker."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reelterm.protocol import SessionState
from reelterm.worker import events as ev
from reelterm.worker.journal import Journal, RenderRecord
from reelterm.worker.renders import place_file, safe_name, target_path
from reelterm.worker.serialize import event_to_dict
from reelterm.worker.state_diff import (
    describe_draft,
    describe_state,
    diff_states,
    fingerprint,
    summarize_change,
)

SEED = {
    "m": {"title": "Urban Dreams", "width": 1920, "height": 1080},
    "t": [
        {"tt": 0, "sg": [{"id": "v", "s": 0, "d": 10000, "src": "upload:a", "m": {"name": "city timelapse"}}]},
        {"tt": 1, "sg": [{"id": "a", "s": 0, "d": 10000, "src": "music:calm/lofi", "m": {"name": "Lo-fi", "volume": 0.35}}]},
        {"tt": 7, "sg": [{"id": "t", "s": 0, "d": 3000, "m": {"text": "Urban Dreams"}}]},
    ],
}


def state(draft=None, **extra) -> SessionState:
    return SessionState.model_validate({"draft": draft, **extra})


def edited(changes: dict) -> dict:
    """SEED with `{(track, segment, key): value}` applied; `m.x` keys go into the segment's `m`."""
    draft = json.loads(json.dumps(SEED))
    for (ti, si, key), value in changes.items():
        seg = draft["t"][ti]["sg"][si]
        if key.startswith("m."):
            seg["m"][key[2:]] = value
        else:
            seg[key] = value
    return draft


def test_overview_like_the_seeds():
    text = describe_draft(state(SEED).draft)
    assert text.splitlines() == [
        '"Urban Dreams", 10s, 1920x1080',
        "1. Video: city timelapse (0s–10s)",
        "2. Audio: Lo-fi (0s–10s, volume 35%)",
        '3. Text: "Urban Dreams" (0s–3s)',
    ]
    assert describe_draft(None) == "The timeline is empty."
    assert "2 upload(s)" in describe_state(state(SEED, video_infos=[{}, {}]))


def test_overview_uses_track_names_when_the_draft_has_them():
    named = json.loads(json.dumps(SEED))
    named["t"][2]["m"] = {"name": "Titles"}
    named["t"][2]["sg"] = [dict(named["t"][2]["sg"][0], id=f"x{i}", s=i * 1000, d=900) for i in range(5)]
    lines = describe_draft(state(named).draft).splitlines()
    assert lines[3] == "3. Titles: 5 texts (0s–4.9s)"
    assert lines[1] == "1. Video: city timelapse (0s–10s)"  # unnamed tracks keep their kind


def test_diff_names_volumes_texts_durations():
    after = edited({(1, 0, "m.volume"): 0.5, (2, 0, "m.text"): "City Nights", (0, 0, "d"): 12000})
    lines = diff_states(state(SEED), state(after))
    assert "Audio track 2: Lo-fi — volume 35% → 50%." in lines
    assert 'Text track 3: Urban Dreams — text "Urban Dreams" → "City Nights".' in lines
    assert "Video track 1: city timelapse — duration 10s → 12s." in lines
    assert "The video is now 12s long (was 10s)." in lines


def test_diff_names_the_new_music_when_only_the_file_changed():
    before = json.loads(json.dumps(SEED))
    before["t"][1]["sg"][0]["src"] = "music:happy/happy_acoustic_1"
    after = json.loads(json.dumps(before))
    after["t"][1]["sg"][0]["src"] = "music:calm/calm_acoustic_1"
    lines = diff_states(state(before), state(after))
    assert "Audio track 2: Lo-fi — source happy_acoustic_1 → calm_acoustic_1." in lines


def test_diff_tracks_added_removed_and_title():
    after = json.loads(json.dumps(SEED))
    after["m"]["title"] = "Night City"
    after["t"].pop(2)
    after["t"][0]["sg"].append({"id": "v2", "s": 10000, "d": 5000, "src": "upload:b", "m": {"name": "harbour"}})
    lines = diff_states(state(SEED), state(after))
    assert lines[0] == 'Title changed from "Urban Dreams" to "Night City".'
    assert "Removed Text track 3." in lines
    assert "Video track 1: added harbour (10s–15s)." in lines
    assert summarize_change(state(SEED), state(SEED)) is None
    assert summarize_change(None, state(SEED)).startswith("The timeline now has 3 track(s)")
    assert diff_states(state(SEED), state(SEED, video_infos=[{}])) == ["1 new upload(s) in the session."]


def test_fingerprint_tells_states_apart():
    assert fingerprint(state(SEED)) == fingerprint(state(json.loads(json.dumps(SEED))))
    assert fingerprint(state(SEED)) != fingerprint(state(edited({(1, 0, "m.volume"): 0.4})))
    assert fingerprint(None) == ""


def test_journal_keeps_sessions_per_backend_and_renders(paths):
    local, remote = Journal(paths, "local"), Journal(paths, "https://api.example")
    assert local.session_id() is None
    local.set_session("s1")
    remote.set_session("r1")
    assert (local.session_id(), remote.session_id()) == ("s1", "r1")
    local.add_render(RenderRecord(id="render_1", session_id="s1", title="A"))
    local.add_render(RenderRecord(id="render_2", session_id="s1", title="B"))
    assert [r.id for r in local.pending()] == ["render_1", "render_2"]
    assert remote.pending() == []
    local.finish_render("render_1", "completed", path=Path("/x/a.mp4"))
    assert [r.id for r in local.pending()] == ["render_2"]
    assert local.history()[0].path == "/x/a.mp4" and local.history()[0].title == "A"
    leftovers = [p.name for p in paths.state_dir.iterdir() if p.name.startswith(".worker-")]
    assert leftovers == []  # written through a temp file renamed into place
    assert (paths.state_dir / "worker.json").stat().st_mode & 0o077 == 0  # private to the user


def test_journal_survives_a_broken_file(paths):
    (paths.state_dir / "worker.json").write_text("{not json")
    journal = Journal(paths, "local")
    assert journal.session_id() is None and journal.pending() == []
    journal.set_session("s2")
    assert json.loads((paths.state_dir / "worker.json").read_text())["backends"]["local"]["session_id"] == "s2"


def test_safe_names_and_targets(tmp_path):
    assert safe_name("Urban Dreams") == "Urban-Dreams"
    assert safe_name("../../etc/passwd") == "etc-passwd"
    assert safe_name("") == "reelterm" and safe_name("CON") == "reelterm-CON"
    assert safe_name("城市之梦: 夜") == "城市之梦-夜"
    assert len(safe_name("x" * 500)) == 60
    assert target_path(tmp_path, "My/Video", "render_1", "mp4") == tmp_path / "My-Video_render_1.mp4"
    assert target_path(tmp_path, "t", "render_1", "webm", dest=str(tmp_path / "out")) == tmp_path / "out.webm"
    assert target_path(tmp_path, "t", "r", "mp4", dest=str(tmp_path) + os.sep) == tmp_path / "t_r.mp4"


@pytest.mark.parametrize(("title", "stem"), [
    ('say "hi" it\'s', "say-hi-it-s"),
    ("line one\nline two\r\n", "line-one-line-two"),
    ("nul\x00byte", "nul-byte"),
    ("🎬🎬🎬", "reelterm"),
    ("NUL", "reelterm-NUL"),
    ("com1", "reelterm-com1"),
    ("..", "reelterm"),
    ("a/../../b\\c", "a-b-c"),
])
def test_hostile_titles_make_plain_file_names(tmp_path, title, stem):
    path = target_path(tmp_path, title, "render_1", "mp4")
    assert path == tmp_path / f"{stem}_render_1.mp4"


def test_very_long_titles_and_ids_stay_under_the_name_limit(tmp_path):
    path = target_path(tmp_path, "长" * 300, "../" * 50 + "render_9", "webm")
    assert path.parent == tmp_path and len(path.name.encode()) < 255 and path.suffix == ".webm"


def test_place_file_never_overwrites(tmp_path):
    final = tmp_path / "v.mp4"
    final.write_bytes(b"old")
    for n in (2, 3):
        tmp = tmp_path / ".part"
        tmp.write_bytes(b"new%d" % n)
        assert place_file(tmp, final) == tmp_path / f"v_{n}.mp4"
        assert not tmp.exists()
    assert final.read_bytes() == b"old" and (tmp_path / "v_3.mp4").read_bytes() == b"new3"


def test_events_serialise_to_json():
    st = state(SEED)
    lines = [event_to_dict(e) for e in (
        ev.ReplyDelta("hi"), ev.RenderDone("render_1", Path("/tmp/a.mp4")),
        ev.StateUpdated(st, "x", overview="o", reason="refresh"),
        ev.ErrorRaised("Bad.", "Fix it.", code=4001, bad_input=True),
    )]
    assert lines[0] == {"event": "reply_delta", "text": "hi"}
    assert lines[1] == {"event": "render_done", "render_id": "render_1", "path": "/tmp/a.mp4"}
    assert lines[2]["state"]["draft"]["m"]["title"] == "Urban Dreams"
    assert lines[3]["bad_input"] is True and lines[3]["code"] == 4001
    json.dumps(lines)


def test_poll_intervals_by_backend(paths):
    from reelterm.worker import Backend, BackendWorker, WorkerTimings

    def worker(url: str, local: bool = False) -> BackendWorker:
        return BackendWorker(Backend(url, is_local=local), paths=paths, emit=print)

    hosted = worker("https://mega-api-prod.nemovideo.ai")
    assert (hosted.render_poll_s, hosted.state_poll_s) == (30.0, 30.0)
    assert worker("http://127.0.0.1:8765").render_poll_s == 1.0
    assert worker("http://127.0.0.1:5", local=True).state_poll_s == 1.0
    assert worker("http://127.0.0.1:5", local=True).journal.backend_key == "local"
    custom = BackendWorker(Backend("https://x"), paths=paths, emit=print,
                           timings=WorkerTimings(render_poll_s=2.0))
    assert custom.render_poll_s == 2.0 and custom.journal.backend_key == "https://x"


def test_backend_repr_hides_the_token():
    from reelterm.worker import Backend

    text = repr(Backend("http://127.0.0.1:9", "nmv_local_SECRET", True, "local engine"))
    assert "SECRET" not in text and "127.0.0.1:9" in text


def test_headless_output_drops_terminal_escapes():
    import io

    from reelterm.cli.session_cmd import Printer

    out, err = io.StringIO(), io.StringIO()
    printer = Printer(False, out=out, err=err)
    printer(ev.ReplyFinal("Done \x1b[2J\x1b]0;title\x07now\x00.\nNext line"))
    printer(ev.UploadProgress("a\nb\x1b[31m.mp4", 5, 10))
    printer(ev.ErrorRaised("Bad \x9b thing.", "Fix\x1b[0m it."))
    assert out.getvalue() == "Done now.\nNext line\n"
    assert err.getvalue() == "Uploading a b.mp4: 50%\nError: Bad  thing. Fix it.\n"


async def test_a_bug_while_following_a_render_is_reported_and_the_render_kept(paths, tmp_path):
    from reelterm.worker.renders import RenderManager

    class BrokenClient:
        async def render_status(self, render_id: str):
            raise RuntimeError("bug")

    events: list = []
    journal = Journal(paths, "local")
    record = RenderRecord(id="render_1", session_id="s1", title="T")
    journal.add_render(record)
    manager = RenderManager(BrokenClient(), journal, events.append, tmp_path, poll_s=0.01)  # type: ignore[arg-type]
    await manager.track(record)
    (failed,) = [e for e in events if isinstance(e, ev.RenderFailed)]
    assert failed.render_id == "render_1" and "inside reelterm (RuntimeError)" in failed.sentence
    assert [r.id for r in journal.pending()] == ["render_1"]  # kept, to be resumed after a fix
