"""A full disk or an unusable data directory: a clear envelope or sentence, nothing partial kept."""

from __future__ import annotations

import errno
import json
import sqlite3
import subprocess
import sys
import time

import pytest

from reelterm.client import BackendError, NemoClient
from reelterm.config import app_paths
from reelterm.engine.embedded import start_embedded
from reelterm.engine.renders.queue import RenderQueue
from reelterm.engine.server import multipart
from reelterm.engine.storage import DataDirError, is_disk_full, prepare_data_dir, sweep_stale_temp
from reelterm.engine.store import Store
from reelterm.media import FFmpegFailed
from reelterm.protocol import Draft

from .helpers import new_session, upload


def _leftovers(engine) -> list[str]:
    d = engine.config.data_dir
    return sorted(p.name for sub in ("uploads", "tmp") for p in (d / sub).iterdir())


class _FullDisk:
    """A file object whose writes fail with ENOSPC once `room` bytes are written."""

    def __init__(self, path, mode, room: int) -> None:
        self._fh = open(path, mode)  # noqa: SIM115
        self.room = room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self._fh.write(data)

    def close(self) -> None:
        self._fh.close()


def test_disk_full_while_streaming_an_upload(api, engine, media_dir, monkeypatch):
    sid = new_session(api)
    monkeypatch.setattr(multipart, "open_private", lambda p: _FullDisk(p, "wb", 1000))
    r = upload(api, sid, media_dir / "pic.png", media_dir / "clip.mp4")
    assert r.status_code == 507 and r.json()["code"] == 5007, r.text
    assert "disk is full" in r.json()["message"] and "Traceback" not in r.text
    assert _leftovers(engine) == []
    monkeypatch.undo()
    assert upload(api, sid, media_dir / "clip.mp4").status_code == 200  # still serving, nothing lost


async def test_client_shows_the_disk_full_sentence(engine, media_dir, monkeypatch, reelterm_home):
    monkeypatch.setattr(multipart, "open_private", lambda p: _FullDisk(p, "wb", 0))
    async with NemoClient(engine.base_url, paths=app_paths().ensure(), token=engine.token) as c:
        sid = (await c.create_session()).session_id
        with pytest.raises(BackendError) as err:
            await c.upload_files(sid, [media_dir / "clip.mp4"])
    assert "disk is full" in err.value.sentence
    assert _leftovers(engine) == []


def test_database_full_while_recording_uploads_keeps_nothing(api, engine, media_dir, monkeypatch):
    sid = new_session(api)

    def full(*a, **k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(engine.state.store, "add_uploads", full)
    r = upload(api, sid, media_dir / "clip.mp4", media_dir / "tone.wav")
    assert r.status_code == 507 and "disk is full" in r.json()["message"], r.text
    assert _leftovers(engine) == []
    monkeypatch.undo()
    state = api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
    assert state["video_infos"] == []


def test_disk_full_on_any_route_is_a_507_envelope(api, engine, monkeypatch):
    def full(*a, **k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(engine.state.store, "create_session", full)
    r = api.post("/api/tasks/me/with-session/nemo_agent", json={})
    assert r.status_code == 507 and r.json()["code"] == 5007 and "disk is full" in r.json()["message"]


def test_url_download_disk_full_is_not_blamed_on_the_link(tmp_path, monkeypatch):
    import asyncio

    from reelterm.engine import urlfetch

    class Resp:
        async def aiter_bytes(self):
            yield b"x" * 10

    monkeypatch.setattr(urlfetch, "open_private", lambda p: _FullDisk(p, "wb", 0))
    with pytest.raises(urlfetch.StorageError, match="disk is full"):
        asyncio.run(urlfetch._save(Resp(), tmp_path / "u.part", "http://h/a.mp4", 100))


def test_transaction_whose_commit_fails_is_rolled_back(tmp_path):
    store = Store(tmp_path / "engine.sqlite3")
    store.db.conn().executescript("CREATE TABLE p (id TEXT PRIMARY KEY); CREATE TABLE c (pid TEXT"
                                  " REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED);")
    with pytest.raises(sqlite3.IntegrityError), store.db.tx() as conn:
        conn.execute("INSERT INTO c (pid) VALUES ('missing')")  # fails only at COMMIT
    with store.db.tx() as conn:  # the connection is usable again, nothing of the failed one kept
        conn.execute("INSERT INTO clients (id, created_at) VALUES ('b', 0)")
    assert store.db.one("SELECT COUNT(*) AS n FROM c")["n"] == 0
    store.close()


def test_render_on_a_full_disk_fails_with_a_sentence(tmp_path):
    store = Store(tmp_path / "engine.sqlite3")
    out = tmp_path / "renders"
    out.mkdir()

    def render(draft, path, **kw):
        raise FFmpegFailed("ffmpeg could not finish the render: Error writing trailer: No space left on device")

    q = RenderQueue(store.db, out, lambda sid: (lambda src: tmp_path), poll_s=0.05, render=render)
    q.start()
    try:
        job = q.submit("render_full", "s", "u", Draft().wire(), "mp4", "draft")
        deadline = time.monotonic() + 10
        while q.get(job)["status"] not in ("failed", "completed"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        row = q.get(job)
        assert row["status"] == "failed" and row["error"].startswith("The disk is full")
        assert list(out.iterdir()) == []
    finally:
        q.stop()
        store.close()
    assert is_disk_full(OSError(errno.ENOSPC, "x")) and not is_disk_full(OSError(errno.EACCES, "x"))


def test_render_worker_survives_an_error_outside_the_render(tmp_path, monkeypatch):
    store = Store(tmp_path / "engine.sqlite3")
    out = tmp_path / "renders"
    out.mkdir()
    done = []

    def render(draft, path, **kw):
        path.write_bytes(b"ok")
        done.append(path)
        return path

    q = RenderQueue(store.db, out, lambda sid: (lambda src: tmp_path), poll_s=0.05, lease_s=0.5, render=render)
    real_run, failures = q._run, []

    def flaky_run(job):
        if not failures:
            failures.append(job["id"])
            raise sqlite3.OperationalError("database or disk is full")
        return real_run(job)

    monkeypatch.setattr(q, "_run", flaky_run)
    q.start()
    try:
        job = q.submit("render_a", "s", "u", Draft().wire(), "mp4", "draft")
        deadline = time.monotonic() + 15
        while q.get(job)["status"] != "completed":
            assert time.monotonic() < deadline, q.get(job)
            time.sleep(0.05)
    finally:
        q.stop()
        store.close()


def test_prepare_data_dir_refuses_an_unusable_place(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(DataDirError, match="cannot be written"):
        prepare_data_dir(blocker / "engine")
    (tmp_path / "d" / "engine.sqlite3").mkdir(parents=True)
    with pytest.raises(DataDirError, match="database"):
        prepare_data_dir(tmp_path / "d")
    with pytest.raises(RuntimeError, match="cannot be written"):  # the CLI catches RuntimeError
        start_embedded(data_dir=blocker / "engine")


def test_stale_upload_temp_files_are_swept(tmp_path):
    import os

    old, fresh = tmp_path / "in_old.part", tmp_path / "in_new.part"
    old.write_bytes(b"x")
    fresh.write_bytes(b"x")
    os.utime(old, (time.time() - 7 * 3600,) * 2)
    sweep_stale_temp(tmp_path)
    assert not old.exists() and fresh.exists()


@pytest.mark.parametrize("layout", ["file", "dbdir"])
def test_serve_with_an_unusable_data_dir_exits_3(tmp_path, layout):
    if layout == "file":
        (tmp_path / "file").write_text("x")
        data_dir = tmp_path / "file" / "engine"
    else:
        data_dir = tmp_path / "d"
        (data_dir / "engine.sqlite3").mkdir(parents=True)
    proc = subprocess.run([sys.executable, "-m", "reelterm", "serve", "--port", "0", "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    assert str(data_dir) in proc.stderr and proc.stderr.strip().endswith(".")


def test_serve_flags_reach_the_engine_config(tmp_path):
    from reelterm.cli import serve_cmd
    from reelterm.cli.main import build_parser

    args = build_parser().parse_args(["serve", "--url-timeout", "5", "--render-lease", "7.5",
                                      "--max-upload-mb", "1.5"])
    config = serve_cmd.engine_config(args, tmp_path, None)
    assert (config.url_timeout_s, config.lease_s, config.max_upload_bytes) == (5.0, 7.5, int(1.5 * 1024 * 1024))
    default = serve_cmd.engine_config(build_parser().parse_args(["serve"]), tmp_path, None)
    assert default.max_upload_bytes == 500 * 1024 * 1024 and default.lease_s == 20.0
    for bad in (["--url-timeout", "0"], ["--render-lease", "-1"], ["--max-upload-mb", "nan"]):
        proc = subprocess.run([sys.executable, "-m", "reelterm", "serve", "--port", "0",
                               "--data-dir", str(tmp_path / "d"), *bad], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and bad[0] in proc.stderr, proc.stderr


def test_serve_max_upload_flag_is_enforced(tmp_path):
    import httpx

    proc = subprocess.Popen([sys.executable, "-m", "reelterm", "serve", "--port", "0", "--data-dir",
                             str(tmp_path / "d"), "--max-upload-mb", "0.5"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        with httpx.Client(base_url=url, timeout=30, headers={"X-Client-Id": "c"}) as api:
            for _ in range(200):
                try:
                    api.get("/api/health")
                    break
                except httpx.TransportError:
                    time.sleep(0.02)
            token = api.post("/api/auth/anonymous-token").json()["data"]["token"]
            api.headers["Authorization"] = f"Bearer {token}"
            sid = new_session(api)
            r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", ("a.mp4", b"\0" * 600_000))])
            assert r.json()["code"] == 4002 and "0.5 MB" in r.json()["message"]
            assert json.loads(r.text)["data"] is None
    finally:
        proc.terminate()
        proc.wait(10)
