"""Renders: strict validation, status, download with Range, cancel, failures."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing

import httpx
import pytest

from reelterm.engine.embedded import start_embedded
from support.basic_agent import BasicAgent

from .helpers import decode, ffmpeg_children, new_session, sse_frames, upload, wait_render

ATTR = {"X-Skill-Source": "reelterm", "X-Skill-Version": "0", "X-Skill-Platform": "unknown"}


def _merged(api, media_dir) -> tuple[str, dict]:
    sid = new_session(api)
    upload(api, sid, media_dir / "clip.mp4", media_dir / "tone.wav")
    sse_frames(api, sid, "merge")
    draft = api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]["draft"]
    return sid, draft


def _submit(api, sid, draft, **kw) -> httpx.Response:
    body = {"id": f"render_{int(time.time() * 1000)}", "sessionId": sid, "draft": draft,
            "output": {"format": kw.pop("fmt", "mp4"), "quality": kw.pop("quality", "draft")}}
    return api.post("/api/render/proxy/lambda", json=body, **kw)


def test_render_download_and_decode(api, engine, media_dir, tmp_path):
    sid, draft = _merged(api, media_dir)
    r = _submit(api, sid, draft)
    assert r.status_code == 200, r.text
    st = r.json()["data"]
    assert st["status"] == "pending" and st["progress"] == 5 and st["id"].startswith("render_")
    done = wait_render(api, st["id"])
    assert done["status"] == "completed", done
    assert done["progress"] == 100
    url = done["output"]["url"]
    assert url == done["outputUrl"] and url.startswith(engine.base_url + "/api/render/proxy/")
    got = httpx.get(url)  # the URL alone is enough, as with a CDN link
    assert got.status_code == 200 and got.headers["content-type"] == "video/mp4"
    out = tmp_path / "out.mp4"
    out.write_bytes(got.content)
    info = decode(out)
    assert info["streams"] == ["audio", "video"] and info["duration"] == pytest.approx(2.0, abs=0.2)
    assert info["width"] == 64 and info["frames"] >= 15
    part = httpx.get(url, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == got.content[10:20]
    assert part.headers["content-range"].startswith("bytes 10-19/")
    # with the token instead of the key
    plain = url.split("?")[0]
    assert api.get(plain).content == got.content
    assert httpx.get(plain).json()["code"] in (400, 1001)
    assert httpx.get(plain + "?key=wrong", headers={"X-Client-Id": "x"}).json()["code"] == 1001
    # cancel after completion leaves it alone
    assert api.post(f"/api/render/proxy/lambda/{st['id']}/cancel").json()["data"]["status"] == "completed"
    assert not list((engine.config.data_dir / "renders").glob(".*"))


@pytest.mark.parametrize(("fmt", "content_type", "streams"), [
    ("gif", "image/gif", ["video"]), ("mp3", "audio/mpeg", ["audio"]), ("webm", "video/webm", ["audio", "video"]),
])
def test_every_media_target_renders(api, media_dir, tmp_path, fmt, content_type, streams):
    sid, draft = _merged(api, media_dir)
    done = wait_render(api, _submit(api, sid, draft, fmt=fmt).json()["data"]["id"])
    assert done["status"] == "completed", done
    got = httpx.get(done["output"]["url"])
    assert got.headers["content-type"] == content_type
    out = tmp_path / f"out.{fmt}"
    out.write_bytes(got.content)
    assert decode(out)["streams"] == streams


def test_export_without_attribution_is_402(api, engine, media_dir):
    sid, draft = _merged(api, media_dir)
    headers = {"Authorization": f"Bearer {engine.token}", "X-Client-Id": "c"}
    r = httpx.post(f"{engine.base_url}/api/render/proxy/lambda", headers=headers,
                   json={"id": "render_1", "sessionId": sid, "draft": draft})
    assert r.status_code == 402 and r.json()["code"] == 402 and "X-Skill-Source" in r.json()["message"]


def _video_seg(src: str, **kw) -> dict:
    return {"id": "s1", "s": 0, "d": 1000, "src": src, **kw}


@pytest.mark.parametrize("mutate,needle", [
    (lambda d, v: {"t": [{"tt": 0, "sg": [_video_seg(v, s=-500)]}]}, "negative"),
    (lambda d, v: {"t": [{"tt": 0, "sg": [_video_seg(v, d=5 * 3600 * 1000)]}]}, "4-hour"),
    (lambda d, v: {"t": [{"tt": 0, "sg": [_video_seg(v, d=0)]}]}, "no duration"),
    (lambda d, v: {"t": [{"tt": 0, "sg": [_video_seg("upload:u_doesnotexist")]}]}, "does not exist"),
    (lambda d, v: {"t": [{"tt": 0, "sg": [_video_seg("../../etc/passwd")]}]}, "no valid media reference"),
    (lambda d, v: {"t": [{"tt": 7, "sg": [{"s": 0, "d": 1000, "m": {"text": ""}}]}]}, "no text"),
    (lambda d, v: {"t": [{"tt": 0, "sg": [_video_seg(v)]}], "m": {"width": 99999}}, "outside"),
    (lambda d, v: {"t": "nope"}, "must be a list"),
    (lambda d, v: {"t": []}, "empty"),
    (lambda d, v: {"t": [{"tt": 1, "sg": [_video_seg("music:calm/no_such_track")]}]}, "no bundled music"),
])
def test_bad_drafts_are_refused_clearly(api, media_dir, mutate, needle):
    sid, draft = _merged(api, media_dir)
    video = draft["t"][0]["sg"][0]["src"]
    r = _submit(api, sid, mutate(draft, video))
    assert r.status_code == 422 and r.json()["code"] == 4000, r.text
    assert needle in r.json()["message"] and "Traceback" not in r.text
    assert api.get("/api/health").status_code == 200


def test_bad_render_requests(api, engine, media_dir):
    sid, draft = _merged(api, media_dir)
    assert _submit(api, sid, draft, fmt="exe").json()["code"] == 4000
    assert _submit(api, sid, draft, quality="ultra").json()["code"] == 4000
    assert api.post("/api/render/proxy/lambda", json={"sessionId": sid}).json()["code"] == 4000
    assert api.post("/api/render/proxy/lambda", content=b"{x", headers={"Content-Type": "application/json"}).json()["code"] == 4000
    for path in ("/api/render/proxy/lambda/render_nope", "/api/render/proxy/render_nope/download"):
        r = api.get(path)
        assert r.status_code == 404 and r.json()["code"] == 4004
    assert api.post("/api/render/proxy/lambda/render_nope/cancel").json()["code"] == 4004
    # another user's render is unknown to this one
    job = _submit(api, sid, draft).json()["data"]["id"]
    tok = httpx.post(f"{engine.base_url}/api/auth/anonymous-token", headers={"X-Client-Id": "o"}).json()["data"]["token"]
    r = httpx.get(f"{engine.base_url}/api/render/proxy/lambda/{job}",
                  headers={"Authorization": f"Bearer {tok}", "X-Client-Id": "o"})
    assert r.json()["code"] == 4004
    # the same client id twice gets two jobs
    body = {"id": "render_same", "sessionId": sid, "draft": draft, "output": {"quality": "draft"}}
    a = api.post("/api/render/proxy/lambda", json=body).json()["data"]["id"]
    b = api.post("/api/render/proxy/lambda", json=body).json()["data"]["id"]
    assert a == "render_same" and b != a
    for job_id in (job, a, b):
        wait_render(api, job_id)


def _slow_draft(video_src: str) -> dict:
    return {"t": [{"tt": 0, "sg": [{"id": "bg", "s": 0, "d": 120_000, "src": "color:#336699"},
                                   {"id": "v", "s": 0, "d": 2000, "src": video_src}]}],
            "m": {"width": 1920, "height": 1080, "fps": 30}}


def test_cancel_kills_the_render(api, engine, media_dir):
    sid, draft = _merged(api, media_dir)
    job = _submit(api, sid, _slow_draft(draft["t"][0]["sg"][0]["src"]), quality="high").json()["data"]["id"]
    wait_render(api, job, until=("processing",))
    time.sleep(0.5)
    st = api.post(f"/api/render/proxy/lambda/{job}/cancel").json()["data"]
    assert st["status"] in ("processing", "cancelled")
    done = wait_render(api, job, timeout=10)
    assert done["status"] == "cancelled" and "output" not in done
    renders = engine.config.data_dir / "renders"
    assert list(renders.iterdir()) == []
    assert api.get(f"/api/render/proxy/{job}/download").json()["code"] == 4004


def test_cancel_pending_and_a_failed_render(api, engine, media_dir):
    sid, draft = _merged(api, media_dir)
    slow = _submit(api, sid, _slow_draft(draft["t"][0]["sg"][0]["src"]), quality="high").json()["data"]["id"]
    queued = _submit(api, sid, draft).json()["data"]["id"]
    st = api.post(f"/api/render/proxy/lambda/{queued}/cancel").json()["data"]
    assert st["status"] == "cancelled"
    api.post(f"/api/render/proxy/lambda/{slow}/cancel")
    wait_render(api, slow, timeout=10)
    # the stored upload got damaged on disk: the render fails with a sentence
    for p in (engine.config.data_dir / "uploads").iterdir():
        p.write_bytes(b"damaged")
    job = _submit(api, sid, draft).json()["data"]["id"]
    done = wait_render(api, job)
    assert done["status"] == "failed" and done["error"] and "Traceback" not in done["error"]


def test_a_render_id_that_would_shadow_a_route_is_replaced(api, media_dir):
    sid, draft = _merged(api, media_dir)
    r = api.post("/api/render/proxy/lambda", json={"id": "lambda", "sessionId": sid, "draft": draft,
                                                   "output": {"format": "mp4", "quality": "draft"}})
    job = r.json()["data"]["id"]
    assert job != "lambda" and job.startswith("render_")
    done = wait_render(api, job)
    assert done["status"] == "completed" and httpx.get(done["output"]["url"]).status_code == 200


def test_stopping_the_engine_kills_a_running_render_and_keeps_it_for_the_next_start(api, engine):
    sid = new_session(api)
    long = {"t": [{"tt": 0, "sg": [{"id": "bg", "s": 0, "d": 120_000, "src": "color:#336699"}]}],
            "m": {"width": 1920, "height": 1080, "fps": 30}}
    job = _submit(api, sid, long, quality="high").json()["data"]["id"]
    wait_render(api, job, until=("processing",))
    deadline = time.monotonic() + 30
    while not ffmpeg_children():  # the render's ffmpeg runs in this process's tree
        assert time.monotonic() < deadline, "the render's ffmpeg never started"
        time.sleep(0.05)
    engine.stop()
    # when stop() returns, nothing of the render is left running, and the job waits for the next start
    assert ffmpeg_children() == []
    assert not [t.name for t in threading.enumerate() if t.name.startswith("render-")]
    with closing(sqlite3.connect(engine.config.db_path)) as db:
        row = db.execute("SELECT status, owner, attempts FROM renders WHERE id = ?", (job,)).fetchone()
    assert row == ("pending", None, 1)
    assert [p.name for p in (engine.config.data_dir / "renders").iterdir()] == []  # no partial output
    with start_embedded(data_dir=engine.config.data_dir, agent=BasicAgent(), render_poll_s=0.1) as again, \
            httpx.Client(base_url=again.base_url, headers=again.headers, timeout=60) as api2:
        wait_render(api2, job, until=("processing",))  # the next start takes it up again
        api2.post(f"/api/render/proxy/lambda/{job}/cancel")
        assert wait_render(api2, job)["status"] == "cancelled"
