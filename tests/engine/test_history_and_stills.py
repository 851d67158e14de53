"""Local-only routes (sessions, a session's chat) and stills at a time through the render route."""

from __future__ import annotations

import time

import httpx
import numpy as np

from reelterm.engine.store.db import Database

from .helpers import new_session, sse_frames, upload, wait_render

ATTR = {"X-Skill-Source": "reelterm", "X-Skill-Version": "0", "X-Skill-Platform": "unknown"}


def _render(api: httpx.Client, sid: str, draft: dict, fmt: str, **output) -> httpx.Response:
    body = {"id": f"render_{int(time.time() * 1000)}", "sessionId": sid, "draft": draft,
            "output": {"format": fmt, "quality": "standard", **output}}
    return api.post("/api/render/proxy/lambda", json=body)


def test_sessions_and_their_chat_are_served_to_their_owner_only(api, engine):
    first = new_session(api)
    sse_frames(api, first, "status")
    sse_frames(api, first, "hello again")
    second = new_session(api)
    sessions = api.get("/api/sessions/nemo_agent/me").json()["data"]["sessions"]
    assert [s["session_id"] for s in sessions][:2] == [second, first]  # the most recent first
    mine = next(s for s in sessions if s["session_id"] == first)
    assert mine["messages"] == 2 and mine["title"] == "status" and mine["duration_ms"] == 0
    assert mine["updated_at"] >= mine["created_at"] > 0
    chat = api.get(f"/api/sessions/nemo_agent/me/{first}/messages").json()["data"]["messages"]
    assert [(m["role"], m["text"]) for m in chat][0] == ("user", "status")
    assert [m["role"] for m in chat] == ["user", "agent", "user", "agent"]
    assert chat[1]["text"] and chat[-1]["time"] >= chat[0]["time"]
    # the agent's history and the state count only what the user sent
    state = api.get(f"/api/state/nemo_agent/me/{first}/latest").json()["data"]["state"]
    assert state["messages_received"] == 2
    # another token sees neither
    other = httpx.post(engine.base_url + "/api/auth/anonymous-token", headers={"X-Client-Id": "someone-else"})
    token = other.json()["data"]["token"]
    headers = {"Authorization": f"Bearer {token}", "X-Client-Id": "someone-else"}
    assert httpx.get(engine.base_url + "/api/sessions/nemo_agent/me", headers=headers).json()["data"] == \
        {"sessions": []}
    refused = httpx.get(engine.base_url + f"/api/sessions/nemo_agent/me/{first}/messages", headers=headers)
    assert refused.json()["code"] == 1002
    # the file that keeps the chat is the owner's alone
    for kept in engine.config.data_dir.glob("engine.sqlite3*"):
        assert kept.stat().st_mode & 0o077 == 0, kept


def test_an_older_database_gains_the_role_column(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL,"
                 " text TEXT NOT NULL, created_at REAL NOT NULL)")
    conn.execute("INSERT INTO messages (session_id, text, created_at) VALUES ('s', 'kept', 1.0)")
    conn.commit()
    conn.close()
    db = Database(path)
    assert [tuple(r) for r in db.query("SELECT role, text FROM messages")] == [("user", "kept")]
    db.close()


def test_a_still_at_a_time_is_that_frame_of_the_video(api, engine, media_dir, tmp_path):
    from PIL import Image

    sid = new_session(api)
    upload(api, sid, media_dir / "clip.mp4")  # testsrc: a counter and moving colours, 2 s at 10 fps
    draft = {"m": {"title": "t", "width": 64, "height": 64, "fps": 10},
             "t": [{"tt": 0, "id": "video", "sg": [
                 {"id": "a", "s": 0, "d": 1000, "src": "color:#203040"},
                 {"id": "b", "s": 1000, "d": 2000, "src": api.get(f"/api/state/nemo_agent/me/{sid}/latest")
                  .json()["data"]["state"]["video_infos"][0]["src"]}]}]}
    video = wait_render(api, _render(api, sid, draft, "mp4").json()["data"]["id"])
    assert video["status"] == "completed", video
    (tmp_path / "v.mp4").write_bytes(httpx.get(video["outputUrl"]).content)
    import av

    with av.open(str(tmp_path / "v.mp4")) as c:
        frames = [f.to_ndarray(format="rgb24").astype(int) for f in c.decode(video=0)]
    for at_s, index in ((0.5, 5), (1.75, 17), (2.9, 29)):
        r = _render(api, sid, draft, "png", time=at_s)
        assert r.status_code == 200, r.text
        done = wait_render(api, r.json()["data"]["id"])
        assert done["status"] == "completed", done
        got = httpx.get(done["outputUrl"])
        assert got.headers["content-type"] == "image/png"
        (tmp_path / "s.png").write_bytes(got.content)
        still = np.asarray(Image.open(tmp_path / "s.png").convert("RGB")).astype(int)
        diffs = [float(np.abs(still - frame).mean()) for frame in frames]
        best = min(diffs)
        assert diffs[index] == best < 4, (at_s, diffs[index - 2:index + 3])
        if index >= 10:  # the clip moves: no other frame is as close
            assert sorted(diffs)[1] > best
    # a time on a video, or past the end, is refused with a sentence
    bad = _render(api, sid, draft, "mp4", time=1.0).json()
    assert bad["code"] == 4000 and "still" in bad["message"]
    late = _render(api, sid, draft, "jpg", time=3.0).json()
    assert late["code"] == 4000 and "past the end" in late["message"]


def test_a_still_does_not_wait_behind_an_export(api, engine, media_dir):
    sid = new_session(api)
    upload(api, sid, media_dir / "clip.mp4", media_dir / "tone.wav")
    sse_frames(api, sid, "merge")
    draft = api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]["draft"]
    long = {**draft, "t": [{**t, "sg": [{**s, "d": 60_000, "m": {**s.get("m", {}), "loop": True}}
                                         for s in t["sg"]]} for t in draft["t"]]}
    export = _render(api, sid, long, "mp4").json()["data"]["id"]
    wait_render(api, export, until=("processing", "completed", "failed"))
    still = _render(api, sid, draft, "jpg", time=0.5).json()["data"]["id"]
    done = wait_render(api, still, timeout=20)
    assert done["status"] == "completed"
    assert api.get(f"/api/render/proxy/lambda/{export}").json()["data"]["status"] == "processing"
    api.post(f"/api/render/proxy/lambda/{export}/cancel")
