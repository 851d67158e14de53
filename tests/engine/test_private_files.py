"""Every file and folder the engine writes is private (0600/0700), whatever the data dir's mode."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import httpx

from reelterm.engine.embedded import start_embedded

from .helpers import new_session, wait_render


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_755_data_dir_under_a_022_umask_gets_private_files(tmp_path, media_dir):
    data = tmp_path / "shared"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    (data / "uploads").mkdir(mode=0o755)  # left by an older engine
    os.chmod(data / "uploads", 0o755)
    old = os.umask(0o022)
    try:
        with start_embedded(data_dir=data, render_poll_s=0.1) as eng, \
                httpx.Client(base_url=eng.base_url, headers=eng.headers, timeout=60) as api:
            sid = new_session(api)
            r = api.post(f"/api/upload-video/nemo_agent/me/{sid}",
                         files=[("files", ("tone.wav", (media_dir / "tone.wav").read_bytes()))])
            assert r.status_code == 200, r.text
            draft = {"m": {"width": 64, "height": 64, "fps": 10},
                     "t": [{"tt": 0, "sg": [{"s": 0, "d": 500, "src": "color:#203040"}]}]}
            r = api.post("/api/render/proxy/lambda", json={"sessionId": sid, "draft": draft,
                                                          "output": {"format": "mp4", "quality": "draft"}})
            assert wait_render(api, r.json()["data"]["id"])["status"] == "completed"
            time.sleep(0.1)
            written = [p for p in data.rglob("*")]
            files = {p.name: _mode(p) for p in written if p.is_file()}
            folders = {p.name: _mode(p) for p in written if p.is_dir()}
            assert {"engine.sqlite3", "engine.sqlite3-wal", "engine.sqlite3-shm"} <= set(files), files
            assert any(name.startswith("u_") for name in files) and any(n.endswith(".mp4") for n in files)
            assert {name: m for name, m in files.items() if m & 0o077} == {}, files
            assert {name: m for name, m in folders.items() if m & 0o077} == {}, folders
    finally:
        os.umask(old)
