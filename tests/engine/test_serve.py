"""`reelterm serve` as a real process: start time, loopback only, a kill during a render."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .helpers import decode

ATTR = {"X-Skill-Source": "reelterm", "X-Skill-Version": "0", "X-Skill-Platform": "unknown"}


def _serve(data_dir: Path, *args: str) -> tuple[subprocess.Popen, str, float]:
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "reelterm", "serve", "--port", "0", "--data-dir",
                             str(data_dir), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    for _ in range(200):
        try:
            httpx.get(f"{url}/api/health", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.02)
    return proc, url, time.monotonic() - t0


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_serve_prints_its_url_and_answers_there(tmp_path):
    """How fast serve starts is measured in bench/serve_bench.py, not asserted here."""
    proc, url, _took = _serve(tmp_path / "d")
    try:
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        assert httpx.get(f"{url}/api/health").json()["code"] == 0
        assert "/run_sse" in httpx.get(f"{url}/openapi.json").json()["paths"]
    finally:
        _stop(proc)
    assert (tmp_path / "d" / "engine.sqlite3").exists()


@pytest.mark.parametrize("args,needle", [
    (["--host", "0.0.0.0"], "--allow-remote"),
    (["--host", "192.168.1.10"], "--allow-remote"),
    (["--credits", "lots"], "--credits"),
    (["--port", "70000"], "--port"),
])
def test_serve_refuses_bad_arguments(tmp_path, args, needle):
    r = subprocess.run([sys.executable, "-m", "reelterm", "serve", "--data-dir", str(tmp_path), *args],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and needle in r.stderr and r.stdout == ""


@pytest.mark.slow
def test_kill_during_render_then_restart_completes(tmp_path):
    data = tmp_path / "d"
    proc, url, _ = _serve(data)
    try:
        tok = httpx.post(f"{url}/api/auth/anonymous-token", headers={"X-Client-Id": "k"}).json()["data"]["token"]
        h = {"Authorization": f"Bearer {tok}", "X-Client-Id": "k", **ATTR}
        sid = httpx.post(f"{url}/api/tasks/me/with-session/nemo_agent", headers=h).json()["data"]["session_id"]
        draft = {"t": [{"tt": 0, "sg": [{"id": "bg", "s": 0, "d": 30_000, "src": "color:#336699"}]}],
                 "m": {"width": 1280, "height": 720, "fps": 30}}
        r = httpx.post(f"{url}/api/render/proxy/lambda", headers=h,
                       json={"id": "render_kill", "sessionId": sid, "draft": draft,
                             "output": {"format": "mp4", "quality": "standard"}})
        job = r.json()["data"]["id"]
        deadline = time.monotonic() + 60
        while True:
            st = httpx.get(f"{url}/api/render/proxy/lambda/{job}", headers=h).json()["data"]
            if st["status"] == "processing" and st["progress"] >= 15:
                break
            assert st["status"] in ("pending", "processing") and time.monotonic() < deadline, st
            time.sleep(0.1)
        kids = _children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for kid in kids:  # ffmpeg outlives its parent; stop the one this test's server started
            try:
                os.kill(kid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    finally:
        _stop(proc)
    assert not (data / "renders" / f"{job}.mp4").exists()
    proc, url, _ = _serve(data)
    try:
        deadline = time.monotonic() + 90
        while True:
            r = httpx.get(f"{url}/api/render/proxy/{job}/download", headers=h)
            st = httpx.get(f"{url}/api/render/proxy/lambda/{job}", headers=h).json()["data"]
            if st["status"] == "completed":
                break
            assert r.status_code == 404, "a half-written file was served"
            assert st["status"] in ("pending", "processing") and time.monotonic() < deadline, st
            time.sleep(0.2)
        got = httpx.get(st["output"]["url"])
        out = tmp_path / "out.mp4"
        out.write_bytes(got.content)
        info = decode(out, frames=False)
        assert info["duration"] == pytest.approx(30.0, abs=0.5) and info["packets"] >= 895
        assert [p.name for p in (data / "renders").iterdir()] == [f"{job}.mp4"]
    finally:
        _stop(proc)
