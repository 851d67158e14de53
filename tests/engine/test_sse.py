"""`/run_sse`: exact ADK framing, heartbeats, agent errors, disconnects, credits."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from reelterm.engine.agent.base import Reply, ToolStep
from reelterm.engine.embedded import start_embedded
from reelterm.protocol import AdkEvent, parse_frame
from support.basic_agent import BasicAgent

from .helpers import new_session, sse_frames, upload


def _events(frames: list[str]) -> list[dict]:
    return [json.loads(f[len("data: "):]) for f in frames if f.startswith("data: ")]


def test_merge_turn_frames_are_adk_shaped(api, media_dir):
    sid = new_session(api)
    upload(api, sid, media_dir / "clip.mp4", media_dir / "tone.wav")
    frames = sse_frames(api, sid, "merge this audio and video")
    assert all(f.startswith("data: ") or f.startswith(":") for f in frames)
    assert not any(line.startswith(("event:", "id:")) for f in frames for line in f.split("\n"))
    events = _events(frames)
    call, resp, *texts = events
    inv = call["invocationId"]
    assert all(e["invocationId"] == inv and e["author"] == "nemo_agent" for e in events)
    assert all(isinstance(e["timestamp"], float) and e["id"] for e in events)
    fc = call["content"]["parts"][0]["functionCall"]
    assert call["content"]["role"] == "model" and fc["name"] == "merge_media" and fc["id"]
    assert fc["args"]["video"].startswith("upload:") and call["actions"] == {"stateDelta": {}}
    fr = resp["content"]["parts"][0]["functionResponse"]
    assert resp["content"]["role"] == "user" and fr["id"] == fc["id"] and fr["name"] == "merge_media"
    assert resp["actions"]["stateDelta"]["draft_version"] == 1
    *partials, final = texts
    assert len(partials) >= 2 and all(p["partial"] is True for p in partials)
    assert final["turnComplete"] is True and "partial" not in final
    whole = final["content"]["parts"][0]["text"]
    assert "".join(p["content"]["parts"][0]["text"] for p in partials) == whole
    assert {p["id"] for p in partials} == {final["id"]}
    for e in events:  # camelCase, and the protocol's parser reads every frame as an event
        assert not any("_" in k for k in e) and isinstance(parse_frame(json.dumps(e)), AdkEvent)
    state = api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
    assert state["draft_version"] == 1 and [t["tt"] for t in state["draft"]["t"]] == [0, 1]
    assert state["draft"]["t"][0]["sg"][0]["d"] == pytest.approx(2000, abs=150)
    assert state["messages_received"] == 1


def test_show_tracks_help_export_undo_redo(api, media_dir):
    sid = new_session(api, language="zh")
    help_text = _events(sse_frames(api, sid, "make it pop"))[-1]["content"]["parts"][0]["text"]
    assert "merge" in help_text
    merge_text = _events(sse_frames(api, sid, "merge"))[-1]["content"]["parts"][0]["text"]
    assert "upload a video and an audio file" in merge_text
    upload(api, sid, media_dir / "clip.mp4", media_dir / "tone.wav")
    sse_frames(api, sid, "合并")
    tracks = _events(sse_frames(api, sid, "状态"))[-1]["content"]["parts"][0]["text"]
    assert "Video: clip.mp4" in tracks and "Audio: tone.wav" in tracks and "volume 100%" in tracks
    export = _events(sse_frames(api, sid, "export 1080p MP4"))
    assert export[1]["actions"]["stateDelta"]["export_requested"] is True
    undo = _events(sse_frames(api, sid, "undo"))
    assert undo[-1]["content"]["parts"][0]["text"].startswith("Undone. The timeline is empty")
    assert api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]["draft"]["t"] == []
    redo = _events(sse_frames(api, sid, "redo"))
    assert "Video: clip.mp4" in redo[-1]["content"]["parts"][0]["text"]
    assert _events(sse_frames(api, sid, "redo"))[-1]["content"]["parts"][0]["text"] == "There is nothing to redo."


class SlowAgent:
    """Sleeps, commits a draft, then replies."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.done = threading.Event()

    def respond(self, ctx, message):
        time.sleep(self.delay)
        draft = ctx.draft.model_copy(deep=True)
        draft.m.title = f"after {message}"
        version = ctx.commit(draft, "slow edit")
        self.done.set()
        yield ToolStep("slow_edit", {"message": message}, {"status": "ok"}, {"draft_version": version})
        yield Reply("")


class BrokenAgent:
    """Raises in the middle of a turn."""

    def respond(self, ctx, message):
        yield ToolStep("first", {}, {"status": "ok"})
        if message == "charge":
            ctx.charge(5)
        raise RuntimeError("boom: secret internals")


def test_heartbeats_while_the_agent_works(tmp_path):
    agent = SlowAgent(0.7)
    with start_embedded(data_dir=tmp_path / "e", agent=agent, heartbeat_s=0.1) as eng, \
            httpx.Client(base_url=eng.base_url, headers=eng.headers, timeout=30) as api:
        sid = new_session(api)
        frames = sse_frames(api, sid, "slow")
        pings = [f for f in frames if f == ": ping"]
        assert len(pings) >= 3
        events = _events(frames)
        assert events[-1]["turnComplete"] is True and events[-1]["content"]["parts"][0]["text"] == ""
        assert events[1]["actions"]["stateDelta"]["draft_version"] == 1


def test_disconnect_does_not_corrupt_the_session(tmp_path):
    agent = SlowAgent(1.0)
    with start_embedded(data_dir=tmp_path / "e", agent=agent, heartbeat_s=0.1) as eng, \
            httpx.Client(base_url=eng.base_url, headers=eng.headers, timeout=30) as api:
        sid = new_session(api)
        body = {"session_id": sid, "new_message": {"role": "user", "parts": [{"text": "bye"}]}}
        with api.stream("POST", "/run_sse", json=body) as r:
            for line in r.iter_lines():
                if line.startswith(": ping"):
                    break  # leave mid-turn
        assert agent.done.wait(5)
        time.sleep(0.2)
        state = api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
        assert state["draft"]["m"]["title"] == "after bye" and state["draft_version"] == 1
        assert state["messages_received"] == 1
        assert eng.state.store.messages(sid) == ["bye"]


def test_agent_exception_gives_error_frame_and_engine_keeps_serving(tmp_path):
    with start_embedded(data_dir=tmp_path / "e", agent=BrokenAgent(), credits=2) as eng, \
            httpx.Client(base_url=eng.base_url, headers=eng.headers, timeout=30) as api:
        sid = new_session(api)
        frames = sse_frames(api, sid, "anything")
        last = json.loads(frames[-1][len("data: "):])
        assert set(last) == {"error", "error_details"} and "secret" not in frames[-1]
        assert last["error_details"]["type"] == "RuntimeError"
        frames = sse_frames(api, sid, "charge")
        last = json.loads(frames[-1][len("data: "):])
        assert last["error_details"]["code"] == 2001 and "credits" in last["error"]
        assert api.get("/api/health").status_code == 200
        assert api.get("/api/credits/balance/simple").json()["data"]["available"] == 2


def test_out_of_credits_before_the_turn(tmp_path, media_dir):
    with start_embedded(data_dir=tmp_path / "e", agent=BasicAgent(), credits=1) as eng, \
            httpx.Client(base_url=eng.base_url, headers=eng.headers, timeout=30) as api:
        sid = new_session(api)
        upload(api, sid, media_dir / "clip.mp4", media_dir / "tone.wav")
        sse_frames(api, sid, "merge")
        assert api.get("/api/credits/balance/simple").json()["data"]["available"] == 0
        r = api.post("/run_sse", json={"session_id": sid,
                                       "new_message": {"role": "user", "parts": [{"text": "merge"}]}})
        assert r.status_code == 403 and r.json()["code"] == 2001
        assert eng.state.store.messages(sid) == ["merge"]  # the refused message was not recorded


def test_out_of_credits_mid_turn(tmp_path, media_dir):
    with start_embedded(data_dir=tmp_path / "e", agent=BasicAgent(), credits=0.5) as eng, \
            httpx.Client(base_url=eng.base_url, headers=eng.headers, timeout=30) as api:
        sid = new_session(api)
        upload(api, sid, media_dir / "clip.mp4", media_dir / "tone.wav")
        last = json.loads(sse_frames(api, sid, "merge")[-1][len("data: "):])
        assert last["error_details"]["code"] == 2001
        assert api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]["draft_version"] == 0


def test_bad_run_sse_bodies(api):
    sid = new_session(api)
    for body in ({"session_id": sid, "new_message": {"role": "user", "parts": []}},
                 {"session_id": sid, "new_message": {"role": "user", "parts": [{"text": "   "}]}},
                 {"new_message": {"parts": [{"text": "x"}]}},
                 {"session_id": sid, "new_message": {"role": "user", "parts": [{"text": "x" * 20001}]}}):
        r = api.post("/run_sse", json=body)
        assert r.status_code == 422 and r.json()["code"] == 4000, body
    r = api.post("/run_sse", content=b"{oops", headers={"Content-Type": "application/json"})
    assert r.json()["code"] == 4000
    camel = {"appName": "nemo_agent", "userId": "me", "sessionId": sid,
             "newMessage": {"role": "user", "parts": [{"text": "hello"}]}}
    with api.stream("POST", "/run_sse", json=camel) as r:
        assert r.status_code == 200
        r.read()
