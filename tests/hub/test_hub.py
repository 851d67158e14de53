"""The hub end to end on loopback: valkey-server from its wheel, two Celery worker processes,
a shared store folder, the real engine (`start_embedded(hub=...)`) driven over HTTP."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.helpers import new_session, upload, wait_render
from media.assertions import assert_av_within, assert_h264_mp4, assert_loudness
from reelterm.engine.embedded import start_embedded
from reelterm.media import render_draft
from support.basic_agent import BasicAgent

from . import avsync
from .cluster import Cluster

pytestmark = pytest.mark.slow
FPS, GOP = 24, 7  # chunks of 5 GOPs: 35 frames, an odd size; the last one shorter still
PLAN_VISIBILITY_S = 30.0  # what the engine plans with: chunks of at most 1.5 s (36 frames -> 5 GOPs)
CHUNKS_480 = 14  # 13 x 35 frames + 25
ATTR = {"X-Skill-Source": "reelterm", "X-Skill-Version": "0", "X-Skill-Platform": "unknown"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """valkey-server + two worker processes + a store folder, for the whole module."""
    c = Cluster(tmp_path_factory.mktemp("hub"))
    try:
        c.start_worker()
        c.start_worker(direct=True)  # the power user's way: celery -A reelterm.hub.app worker
        c.wait_ready(2)
        yield c
    finally:
        c.close()


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Barcode clips of 200 and 480 frames (160x90)."""
    root = tmp_path_factory.mktemp("clips")
    return {n: avsync.make_clip(root / f"bars{n}.mp4", frames=n, fps=FPS) for n in (200, 480)}


@pytest.fixture
def engine(cluster: Cluster, tmp_path: Path):
    """The engine in hub mode (2 slots, 3 chunks per slot, GOP of 7 frames)."""
    eng = start_embedded(data_dir=tmp_path / "engine", agent=BasicAgent(), render_poll_s=0.1,
                         hub=cluster.url, hub_store=cluster.store.url,
                         hub_options={"gop": GOP, "slots": 2, "per_slot": 3, "min_chunk_s": 0,
                                      "visibility_s": PLAN_VISIBILITY_S, "outage_s": 30})
    yield eng
    eng.stop()


@pytest.fixture
def api(engine):
    """An HTTP client of the engine."""
    import httpx

    with httpx.Client(base_url=engine.base_url, headers={**engine.headers, **ATTR}, timeout=60) as client:
        yield client


def _draft(frames: int, src: str) -> dict:
    return {"m": {"width": 160, "height": 90, "fps": FPS}, "t": [{"id": "video", "tt": 0, "sg": [
        {"id": "clip", "s": 0, "d": round(frames * 1000 / FPS), "src": src}]}]}


def _submit(api, clip: Path, frames: int) -> str:
    sid = new_session(api)
    up = upload(api, sid, clip)
    assert up.status_code == 200, up.text
    src = up.json()["data"]["files"][0]["src"]
    r = api.post("/api/render/proxy/lambda", json={"sessionId": sid, "draft": _draft(frames, src),
                                                    "output": {"format": "mp4", "quality": "draft"}})
    assert r.status_code == 200, r.text
    return r.json()["data"]["id"]


def _download(api, done: dict, dest: Path) -> Path:
    dest.write_bytes(api.get(done["output"]["url"]).content)
    return dest


def _result(cluster: Cluster, task_id: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        meta = cluster.app.backend.get_task_meta(task_id, cache=False)
        if meta.get("status") == "SUCCESS":
            return meta["result"]
        assert meta.get("status") not in ("FAILURE", "REVOKED"), meta
        time.sleep(0.05)
    raise AssertionError(f"no result for {task_id}")


def _wait_processing(api, job_id: str, above: float = 5.0) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        st = api.get(f"/api/render/proxy/lambda/{job_id}").json()["data"]
        if st["status"] == "processing" and st["progress"] > above:
            return
        assert st["status"] in ("pending", "processing"), st
        time.sleep(0.02)
    raise AssertionError("the render never got going")


def test_chunked_render_keeps_sound_and_picture_in_step(api, engine, cluster, clips, tmp_path):
    n = 200
    job = _submit(api, clips[n], n)
    seen = []
    while True:
        st = api.get(f"/api/render/proxy/lambda/{job}").json()["data"]
        seen.append(st["progress"])
        if st["status"] not in ("pending", "processing"):
            break
        time.sleep(0.05)
    assert st["status"] == "completed", (st, cluster.logs())
    assert seen == sorted(seen) and st["progress"] == 100  # progress only grows
    out = _download(api, st, tmp_path / "hub.mp4")
    from reelterm.hub.plan import max_chunk_seconds, plan_chunks

    plan = plan_chunks(n, FPS, 2, gop=GOP, per_slot=3, min_chunk_s=0,
                       max_chunk_s=max_chunk_seconds(PLAN_VISIBILITY_S))  # what the engine planned
    assert [b - a for a, b in plan.chunks] == [35] * 5 + [25]  # odd chunk sizes
    starts = [a for a, _ in plan.chunks]
    import re

    spans = set(re.findall(rf"reelterm\.chunk\[{job}\.\w+\.\w+\.(\d+-\d+)\.\d+\] succeeded",
                           cluster.logs_all()))
    assert spans == {f"{a}-{b}" for a, b in plan.chunks}, spans  # the workers made exactly these
    for i in (0, 1):  # both workers took part, the `reelterm worker` one and the plain `celery` one
        assert "succeeded" in (cluster.root / f"worker{i}.log").read_text(errors="replace"), cluster.logs()
    reading = avsync.read(out)
    avsync.check(reading, n, FPS, starts)
    assert_h264_mp4(out, 160, 90)
    assert_av_within(out, 0.05, n / FPS)
    assert_loudness(out, tolerance=1.0)
    # the same draft rendered in-process shows the same frames, the same flashes and beeps
    local = render_draft(_draft(n, "upload:x"), tmp_path / "local.mp4", resolve=lambda s: clips[n],
                         quality="draft", cache_dir=tmp_path / "cache")
    mine = avsync.read(local)
    avsync.check(mine, n, FPS)
    assert mine.codes == reading.codes and mine.flashes == reading.flashes
    assert [round(b, 3) for b in mine.beeps] == [round(b, 3) for b in reading.beeps]
    # the render's parts are gone from the store; only the content-addressed input stays
    assert not (cluster.store.root / "renders" / job).exists()
    assert len(list((cluster.store.root / "objects").rglob("*.mp4"))) >= 1


def test_a_killed_worker_loses_no_frame(api, engine, cluster, clips, tmp_path):
    n = 480
    job = _submit(api, clips[n], n)
    victim = cluster.busy_worker()
    cluster.kill_group(victim)  # kill -9 the worker's whole process group mid-chunk
    replacement = cluster.start_worker()
    done = wait_render(api, job, timeout=60)
    assert done["status"] == "completed", (done, cluster.logs())
    avsync.check(avsync.read(_download(api, done, tmp_path / "out.mp4")), n, FPS)
    cluster.wait_ready(2)
    assert replacement.poll() is None


def test_cancel_stops_every_ffmpeg_and_leaves_nothing(api, engine, cluster, clips):
    n = 480
    job = _submit(api, clips[n], n)
    cluster.busy_worker()
    r = api.post(f"/api/render/proxy/lambda/{job}/cancel")
    assert r.status_code == 200
    asked = time.monotonic()
    while cluster.ffmpegs() and time.monotonic() - asked < 15:
        time.sleep(0.05)
    assert not cluster.ffmpegs(), "ffmpeg still running 15 s after cancel"
    done = wait_render(api, job, timeout=20)
    assert done["status"] == "cancelled"
    renders = engine.config.data_dir / "renders"
    time.sleep(0.5)  # a chunk that finished at that moment must not land either
    assert not list(renders.iterdir())
    assert not (cluster.store.root / "renders" / job).exists()
    for i, worker in enumerate(cluster.workers):  # no half-made file in a live worker's folder
        if worker.poll() is None and (cluster.root / f"work{i}").exists():
            assert not list((cluster.root / f"work{i}").glob("task-*")), i


@pytest.mark.parametrize("wipe", [False, True], ids=["append-only file", "data lost"])
def test_a_broker_restart_loses_no_render(api, engine, cluster, clips, tmp_path, wipe, caplog):
    # with its append-only file the broker keeps every task; a broker that comes back empty is
    # noticed by the engine, whose database still holds the render, and the missing parts are sent again
    n = 480
    job = _submit(api, clips[n], n)
    _wait_processing(api, job)
    caplog.set_level("WARNING", logger="reelterm.hub")
    cluster.restart_broker(down_s=1.5, wipe=wipe)
    done = wait_render(api, job, timeout=60)
    assert done["status"] == "completed", (done, cluster.logs())
    assert ("lost its queue" in caplog.text) == wipe
    avsync.check(avsync.read(_download(api, done, tmp_path / "out.mp4")), n, FPS)


def test_a_poisoned_task_is_refused_by_the_worker(cluster, clips, tmp_path):
    from reelterm.hub import TASK_VERSION
    from reelterm.hub.store import object_name

    name = object_name(clips[200])
    cluster.store.put_input(clips[200], name)
    good = {"v": TASK_VERSION, "kind": "whole", "render": "render_poison", "sig": "ab" * 12,
            "run": "cd" * 8, "draft": _draft(48, "upload:u1"), "inputs": {"upload:u1": name},
            "quality": "draft", "format": "mp4", "total": 48, "frames": None, "gop": 0, "chunks": []}
    outside = tmp_path / "escaped.mp4"
    poisons = {
        "a reference the task does not carry": {**good, "draft": _draft(48, "upload:other")},
        "a path instead of a stored name": {**good, "inputs": {"upload:u1": str(clips[200])}},
        "a render id that climbs out": {**good, "render": "../../" + str(outside)},
        "a huge canvas": {**good, "draft": {**_draft(48, "upload:u1"), "m": {"width": 99999, "height": 90,
                                                                                "fps": FPS}}},
        "a filter in a colour": {**good, "draft": _draft(48, "color:#000000,drawtext=text=x")},
        "a lying frame count": {**good, "total": 47},
        "not an object": ["rm -rf /"],
    }
    sent = {why: cluster.app.send_task("reelterm.whole", args=[p], queue="reelterm").id
            for why, p in poisons.items()}
    for why, task_id in sent.items():
        got = _result(cluster, task_id)
        assert got["ok"] is False and got["final"] is True, (why, got)
        assert got["error"].startswith("The worker refused the"), (why, got)
    assert not outside.exists()
    assert not (cluster.store.root / "renders" / "render_poison").exists()
    # the same task with nothing poisoned is rendered, so the refusals were about the poison
    captioned = {**good["draft"], "t": [*good["draft"]["t"], {"tt": 7, "sg": [
        {"id": "cap", "s": 0, "d": 1000, "m": {"text": "Drawn in the work folder", "style": "caption"}}]}]}
    fine = _result(cluster, cluster.app.send_task("reelterm.whole", args=[{**good, "draft": captioned}],
                                                  queue="reelterm").id)
    assert fine["ok"] is True, fine
    for i in range(len(cluster.workers)):  # its text images were drawn in the task's folder, now gone
        assert not [p for p in (cluster.root / f"home{i}").rglob("*") if p.is_file()]
    assert (cluster.store.root / "renders" / "render_poison" / good["sig"] / "out.mp4").is_file()
    cluster.store.delete_render("render_poison")
    assert os.path.isdir(cluster.store.root / "objects")


def test_a_part_failing_three_times_fails_the_render_with_its_cause(api, engine, cluster, clips, tmp_path):
    from reelterm.hub.store import object_key, object_name

    # a damaged copy of the clip already sits in the store under the clip's content name
    bad = tmp_path / "bars200.mp4"
    bad.write_bytes(clips[200].read_bytes()[:2000])
    key = object_key(object_name(clips[200]))
    cluster.store.put(bad, key)
    try:
        job = _submit(api, clips[200], 200)
        done = wait_render(api, job, timeout=60)
    finally:
        cluster.store.put(clips[200], key)
    assert done["status"] == "failed", done
    assert "failed 3 times:" in done["error"] and ("corrupt" in done["error"] or "read" in done["error"]), done
    assert "upload:" in done["error"] and object_name(clips[200]) not in done["error"], done
    assert done["error"].startswith(("The part of the video from frame", "The sound of the video")), done
    assert not (cluster.store.root / "renders" / job).exists()
    assert not list((engine.config.data_dir / "renders").iterdir())


def test_workers_report_the_frames_they_have_made(cluster, clips):
    from reelterm.hub import TASK_VERSION
    from reelterm.hub.store import object_name

    name = object_name(clips[480])
    cluster.store.put_input(clips[480], name)
    task = {"v": TASK_VERSION, "kind": "whole", "render": "render_progress", "sig": "cd" * 12,
            "run": "ef" * 8, "draft": _draft(480, "upload:u1"), "inputs": {"upload:u1": name},
            "quality": "high", "format": "mp4", "total": 480, "frames": None, "gop": 0, "chunks": []}
    task_id = cluster.app.send_task("reelterm.whole", args=[task], queue="reelterm").id
    seen: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        meta = cluster.app.backend.get_task_meta(task_id, cache=False)
        if meta["status"] == "PROGRESS":
            seen.append(meta["result"]["frames"])
        if meta["status"] == "SUCCESS":
            break
        time.sleep(0.02)
    assert meta["status"] == "SUCCESS" and meta["result"]["frames"] == 480, meta
    assert seen and all(0 <= f <= 480 for f in seen) and seen == sorted(seen), seen
    assert any(f < 480 for f in seen), seen  # reported while it worked, not only at the end
    cluster.store.delete_render("render_progress")


def test_an_engine_restart_reuses_the_parts_already_made(cluster, clips, tmp_path):
    import httpx

    def engine_on(data):
        return start_embedded(data_dir=data, agent=BasicAgent(), render_poll_s=0.1, lease_s=2.0,
                              hub=cluster.url, hub_store=cluster.store.url,
                              hub_options={"gop": GOP, "slots": 2, "per_slot": 3, "min_chunk_s": 0,
                                           "visibility_s": PLAN_VISIBILITY_S})

    n, data = 480, tmp_path / "engine"
    first = engine_on(data)
    with httpx.Client(base_url=first.base_url, headers={**first.headers, **ATTR}, timeout=60) as api:
        job = _submit(api, clips[n], n)
        _wait_processing(api, job, above=40.0)
    first.stop()  # a stop, not a cancel: the render goes back to pending, its parts stay
    kept = list((cluster.store.root / "renders" / job).rglob("v-*.mp4"))
    assert kept, "no part was kept for the next run"
    second = engine_on(data)
    try:
        with httpx.Client(base_url=second.base_url, headers={**second.headers, **ATTR}, timeout=60) as api:
            done = wait_render(api, job, timeout=60)
            assert done["status"] == "completed", (done, cluster.logs())
            avsync.check(avsync.read(_download(api, done, tmp_path / "out.mp4")), n, FPS)
    finally:
        second.stop()
    succeeded = [line for line in cluster.logs_all().splitlines()
                 if f"reelterm.chunk[{job}." in line and "succeeded" in line]
    # the parts made before the stop are not made again: at most the 2 running at the stop twice
    assert len(succeeded) <= CHUNKS_480 + 2, succeeded


def test_other_formats_render_whole_on_a_worker(api, engine, cluster, clips, tmp_path):
    sid = new_session(api)
    src = upload(api, sid, clips[200]).json()["data"]["files"][0]["src"]
    r = api.post("/api/render/proxy/lambda", json={"sessionId": sid, "draft": _draft(96, src),
                                                    "output": {"format": "webm", "quality": "draft"}})
    done = wait_render(api, r.json()["data"]["id"], timeout=60)
    assert done["status"] == "completed", (done, cluster.logs())
    out = tmp_path / "out.webm"
    out.write_bytes(api.get(done["output"]["url"]).content)
    import av

    with av.open(str(out)) as box:
        assert box.streams.video[0].codec_context.name == "vp9" and box.streams.audio
        assert sum(1 for _ in box.decode(video=0)) == 96
    assert f"reelterm.whole[{done['id']}." in cluster.logs_all()
