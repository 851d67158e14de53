"""The hub's pure parts: chunk plans, broker URLs and passwords, store keys, the payload check."""

from __future__ import annotations

import pytest

from reelterm.hub import TASK_VERSION
from reelterm.hub.config import HubError, broker_url, mask
from reelterm.hub.payload import Refused, parse
from reelterm.hub.plan import max_chunk_seconds, plan_chunks, total_frames
from reelterm.hub.store import FolderStore, object_key, open_store, output_key


@pytest.mark.parametrize(("total", "fps", "slots"), [(2880, 24, 2), (7, 30, 4), (3601, 30, 1),
                                                     (90000, 25, 16), (61, 60, 3)])
def test_a_plan_covers_every_frame_once_in_whole_gops(total, fps, slots):
    plan = plan_chunks(total, fps, slots, max_chunk_s=max_chunk_seconds(600))
    edges = [a for a, _ in plan.chunks] + [plan.chunks[-1][1]]
    assert edges[0] == 0 and edges[-1] == total
    assert all(a < b for a, b in plan.chunks)
    assert all(b == a2 for (_, b), (a2, _) in zip(plan.chunks, plan.chunks[1:], strict=False))
    assert all(a % plan.gop == 0 for a, _ in plan.chunks)  # every chunk starts on a key frame
    assert all((b - a) % plan.gop == 0 for a, b in plan.chunks[:-1])
    longest = max(b - a for a, b in plan.chunks)
    assert longest / fps <= max(max_chunk_seconds(600), plan.gop / fps)


def test_a_plan_aims_at_a_few_chunks_per_slot_and_stays_short():
    two_minutes = plan_chunks(total_frames(120_000, 30), 30, 2, max_chunk_s=max_chunk_seconds(600))
    assert len(two_minutes.chunks) == 6 and two_minutes.gop == 60  # 3 per slot, 20 s each
    # an hour: many more chunks than slots, because each must end well inside the visibility timeout
    hour = plan_chunks(total_frames(3_600_000, 30), 30, 2, max_chunk_s=max_chunk_seconds(600))
    assert max(b - a for a, b in hour.chunks) <= 30 * 30 and len(hour.chunks) == 120
    tiny = plan_chunks(10, 30, 8, max_chunk_s=7.5)
    assert tiny.chunks == ((0, 10),)


def test_a_broker_url_needs_a_password_and_never_shows_it(monkeypatch, tmp_path):
    monkeypatch.delenv("REELTERM_HUB_PASSWORD", raising=False)
    with pytest.raises(HubError, match="needs a password"):
        broker_url("redis://127.0.0.1:6379/0")
    with pytest.raises(HubError, match="redis://"):
        broker_url("http://127.0.0.1:6379")
    assert broker_url("redis://:s3cr%40t@10.0.0.2:6379/0") == "redis://:s3cr%40t@10.0.0.2:6379/0"
    monkeypatch.setenv("REELTERM_HUB_PASSWORD", "from env")
    assert broker_url("redis://127.0.0.1:6379") == "redis://:from%20env@127.0.0.1:6379/0"
    monkeypatch.delenv("REELTERM_HUB_PASSWORD")
    secret = tmp_path / "password"
    secret.write_text("from-file\n")
    url = broker_url("redis://h:1/2", password_files=(tmp_path / "missing", secret))
    assert url == "redis://:from-file@h:1/2"
    assert mask(url) == "redis://:****@h:1/2" and "from-file" not in mask(url)


def test_store_keys_cannot_leave_the_store(tmp_path):
    store = open_store(f"file://{tmp_path}/store")
    assert isinstance(store, FolderStore) and store.root == (tmp_path / "store").resolve()
    for bad in ("../x", "objects/../../etc/passwd", "renders/a/b/c", "/etc/passwd", "objects/aa/" + "a" * 64):
        with pytest.raises(HubError):
            store.path(bad)
    with pytest.raises(HubError):
        output_key("../../up", "a" * 24, "out.mp4")
    with pytest.raises(HubError):
        object_key("../../etc/passwd")
    with pytest.raises(HubError, match="AWS_ENDPOINT_URL"):
        open_store("http://127.0.0.1:9000/bucket")
    for bad in ("s3://Bad_Bucket/x", "s3://bucket/../up", "s3://b/x"):
        with pytest.raises(HubError, match="s3://BUCKET"):
            open_store(bad)
    s3 = open_store("s3://team-bucket/renders/a")
    assert s3.url == "s3://team-bucket/renders/a/"
    with pytest.raises(HubError):
        s3._name("../../x")
    src = tmp_path / "in.mp4"
    src.write_bytes(b"data")
    key = output_key("render_1", "0" * 24, "v-00000000-00000035.mp4")
    store.put(src, key)
    store.put(src, key)  # a re-run overwrites the same object
    assert store.path(key).read_bytes() == b"data"
    store.delete_render("render_1")
    assert not store.has(key)


def _payload(**change):
    draft = {"m": {"width": 64, "height": 64, "fps": 10},
             "t": [{"id": "video", "tt": 0, "sg": [{"id": "a", "s": 0, "d": 1000, "src": "color:#112233"}]}]}
    base = {"v": TASK_VERSION, "kind": "chunk", "render": "render_1", "sig": "a" * 24, "run": "b" * 16,
            "draft": draft, "inputs": {}, "quality": "draft", "format": "mp4", "total": 10,
            "frames": [0, 5], "gop": 5, "chunks": []}
    return {**base, **change}


def test_the_worker_check_accepts_a_real_task_and_names_each_poison():
    task = parse(_payload(), "chunk")
    assert task.frames == (0, 5) and task.total == 10
    assert parse(task.wire(), "chunk") == task
    poisons = [
        (_payload(v=99), "another version"),
        (_payload(kind="whole"), "kind"),
        (_payload(render="../x"), "render id"),
        (_payload(frames=[3, 8]), "keyframe"),
        (_payload(frames=[0, 11]), "frame range"),
        (_payload(total=11), "frame count"),
        (_payload(quality="ultra"), "quality"),
        (_payload(inputs={"upload:a": "/etc/passwd"}), "inputs"),
        (_payload(draft={"m": {"width": 64, "height": 64, "fps": 10}, "t": [
            {"id": "video", "tt": 0, "sg": [{"id": "a", "s": 0, "d": 1000, "src": "upload:zzz"}]}]}), "refused"),
        ("not a dict", "JSON object"),
    ]
    for payload, words in poisons:
        with pytest.raises(Refused, match=words):
            parse(payload, "chunk")
