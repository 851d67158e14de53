"""The user's own pictures and clips replace the motifs, in upload order, through the real engine."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reelterm.engine.agent.studio import StudioAgent
from reelterm.engine.embedded import EmbeddedEngine, start_embedded

from .helpers import make_media, new_session, sse_frames, upload, wait_render

TEXT = ("Brewlab is a smart coffee scale for people who love a perfect cup. It times your pour to the second "
        "and weighs every gram. Brew café-quality coffee every single morning. Order yours today.")


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[EmbeddedEngine]:
    """The engine with the studio agent (the one users talk to)."""
    eng = start_embedded(data_dir=tmp_path / "engine", agent=StudioAgent(), heartbeat_s=0.2,
                         token_window_s=3600, render_poll_s=0.1)
    yield eng
    eng.stop()


@pytest.fixture
def client(studio: EmbeddedEngine) -> Iterator[httpx.Client]:
    """An httpx client for the studio engine."""
    with httpx.Client(base_url=studio.base_url, headers=studio.headers, timeout=60) as c:
        yield c


def _state(api: httpx.Client, sid: str) -> dict:
    return api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]


def _draft(api: httpx.Client, sid: str) -> dict:
    return _state(api, sid)["draft"]


def _scenes(draft: dict) -> list[dict]:
    video = next(t for t in draft["t"] if t["id"] == "video")["sg"]
    body = sorted(video, key=lambda s: s["s"])[1:-1]
    return body


def _media(tmp_path: Path) -> list[Path]:
    a = make_media(tmp_path / "IMG_0001.png", "image", size="320x240")
    b = make_media(tmp_path / "clip_0002.mp4", "video", 1.0, size="160x90")
    c = make_media(tmp_path / "IMG_0003.png", "image", size="240x320")
    return [a, b, c]


@pytest.mark.slow
def test_uploads_fill_the_scenes_in_order_and_render(client: httpx.Client, tmp_path: Path) -> None:
    sid = new_session(client)
    assert upload(client, sid, *_media(tmp_path)).status_code == 200
    sse_frames(client, sid, f"turn this text into a 30-second promotional video with visuals and music: {TEXT}")
    draft = _draft(client, sid)
    scenes = _scenes(draft)
    srcs = [s["src"] for s in scenes]
    assert all(s.startswith("upload:") for s in srcs[:3]), srcs
    assert len(set(srcs[:3])) == 3
    kinds = [s["m"].get("move") for s in scenes[:3]]
    assert kinds[0] == "kenburns" and kinds[2] == "kenburns" and kinds[1] is None, "photos pan, the clip plays"
    assert scenes[1]["m"].get("volume") == 0.0 and scenes[1]["m"].get("loop") is True  # the 1 s clip fills its scene
    pictures = next((t for t in draft["t"] if t["id"] == "pictures"), {"sg": []})["sg"]
    filled = {s["id"] for s in scenes[:3]}
    assert not [p for p in pictures if p["m"]["scene"] in filled], "no motif on top of the user's own media"
    uploads = [f["src"] for f in _state(client, sid)["video_infos"]]
    assert srcs[:3] == uploads[:3], "in upload order"

    draft["m"].update(width=320, height=180)  # render small: the layout is the same
    body = {"id": f"render_{int(time.time() * 1000)}", "sessionId": sid, "draft": draft,
            "output": {"format": "mp4", "quality": "draft"}}
    r = client.post("/api/render/proxy/lambda", json=body)
    assert r.status_code == 200, r.text
    done = wait_render(client, r.json()["data"]["id"], timeout=120)
    assert done["status"] == "completed", done


def test_use_my_photos_after_a_video_was_made(client: httpx.Client, tmp_path: Path) -> None:
    sid = new_session(client)
    sse_frames(client, sid, f"turn this text into a 30-second promotional video with visuals and music: {TEXT}")
    before = _draft(client, sid)
    assert all(s["src"].startswith("gradient:") for s in _scenes(before))
    pictures = next(t for t in before["t"] if t["id"] == "pictures")["sg"]
    assert pictures, "the first video has pictures or motifs"
    frames = sse_frames(client, sid, "use my photos")
    assert any("upload" in f and ("not uploaded" in f or "upload some" in f) for f in frames)
    assert _draft(client, sid) == before, "nothing changes without uploads"
    assert upload(client, sid, *_media(tmp_path)).status_code == 200
    sse_frames(client, sid, "用我上传的图片")
    after = _draft(client, sid)
    scenes = _scenes(after)
    assert [s["src"].split(":")[0] for s in scenes[:3]] == ["upload"] * 3
    assert [s["m"]["layout"] for s in scenes[:3]] == ["media"] * 3
    left = next(t for t in after["t"] if t["id"] == "pictures")["sg"]
    assert {p["m"]["scene"] for p in left}.isdisjoint({s["id"] for s in scenes[:3]})
    texts_before = sorted(s["m"]["text"] for t in before["t"] if t["tt"] == 7 for s in t["sg"])
    texts_after = sorted(s["m"]["text"] for t in after["t"] if t["tt"] == 7 for s in t["sg"])
    assert texts_before == texts_after, "the words stay"


def test_a_file_named_after_a_scene_goes_to_that_scene(client: httpx.Client, tmp_path: Path) -> None:
    sid = new_session(client)
    first = make_media(tmp_path / "IMG_0001.png", "image", size="320x240")
    named = make_media(tmp_path / "Morning-Coffee.png", "image", size="320x240")
    assert upload(client, sid, first, named).status_code == 200
    sse_frames(client, sid, f"turn this text into a 30-second promotional video with visuals and music: {TEXT}")
    scenes = _scenes(_draft(client, sid))
    uploads = [f["src"] for f in _state(client, sid)["video_infos"]]
    morning = next(i for i, s in enumerate(scenes) if "morning" in _words(_draft(client, sid), s))
    assert scenes[morning]["src"] == uploads[1], "“morning” in the file name: the scene about mornings"
    assert scenes[0]["src"] == uploads[0] if morning != 0 else scenes[1]["src"] == uploads[0]


def _words(draft: dict, scene: dict) -> str:
    a, b = scene["s"], scene["s"] + scene["d"]
    return " ".join(s["m"]["text"].lower() for t in draft["t"] if t["tt"] == 7 for s in t["sg"] if a <= s["s"] < b)


def test_the_engine_checks_picture_references(client: httpx.Client) -> None:
    sid = new_session(client)
    draft = {"m": {"width": 320, "height": 180, "fps": 10}, "t": [
        {"tt": 0, "id": "video", "sg": [{"id": "v1", "s": 0, "d": 1000, "src": "gradient:#101418,#304050",
                                          "m": {"layout": "feature"}}]},
        {"tt": 0, "id": "pictures", "sg": [{"id": "p1", "s": 0, "d": 1000, "src": "icon:fluent/rocket",
                                             "m": {"scene": "v1", "slot": 0}}]}]}
    body = {"id": "render_pic_ok", "sessionId": sid, "draft": draft, "output": {"format": "mp4", "quality": "draft"}}
    r = client.post("/api/render/proxy/lambda", json=body)
    assert r.status_code == 200, r.text
    assert wait_render(client, r.json()["data"]["id"], timeout=120)["status"] == "completed"
    for bad, needle in (("icon:fluent/no-such-picture-zz", "does not exist"), ("motif:unicorn", "does not exist"),
                        ("icon:../../etc/passwd", "no valid media reference")):
        draft["t"][1]["sg"][0]["src"] = bad
        r = client.post("/api/render/proxy/lambda", json={**body, "id": "render_pic_bad"})
        assert r.status_code == 422 and needle in r.json()["message"], r.text
        assert "Traceback" not in r.text
