"""A hub on loopback for tests: valkey-server from the wheel, Celery worker processes, a store folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from reelterm.hub.broker import Broker, free_port, start_broker
from reelterm.hub.config import make_app
from reelterm.hub.store import FolderStore

PASSWORD = "test-" + os.urandom(12).hex()
VISIBILITY_S = 4.0


def children(pid: int) -> dict[int, int]:
    """Every process of this machine: {pid: parent pid} (read from /proc)."""
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    out[int(entry)] = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return out


def descendants(pid: int) -> set[int]:
    """All processes below `pid`."""
    parents = children(pid)
    found, todo = set(), [pid]
    while todo:
        cur = todo.pop()
        for child, parent in parents.items():
            if parent == cur and child not in found:
                found.add(child)
                todo.append(child)
    return found


def is_ffmpeg(pid: int) -> bool:
    """True when `pid` runs ffmpeg (and is not a zombie)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            first = fh.read().split(b"\0")[0]
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
    except OSError:
        return False
    return b"ffmpeg" in Path(first.decode(errors="replace")).name.encode() and state != b"Z"


class Cluster:
    """The broker, the store and the worker processes of one test module."""

    def __init__(self, root: Path, store: Any = None) -> None:
        self.root = root
        self.port = free_port()
        self.broker: Broker = start_broker(root / "broker", PASSWORD, port=self.port)
        self.store = store if store is not None else FolderStore(root / "store")
        self.store.check()
        self.workers: list[subprocess.Popen] = []
        self.app = make_app(self.broker.url)

    @property
    def url(self) -> str:
        """The broker URL with its password."""
        return self.broker.url

    def start_worker(self, *, direct: bool = False) -> subprocess.Popen:
        """One worker with one slot in its own process group: `reelterm worker`, or with `direct`
        plain `celery -A reelterm.hub.app worker` configured by environment (as docs/scale.md says)."""
        n = len(self.workers)
        env = dict(os.environ, REELTERM_HUB_PASSWORD=PASSWORD, REELTERM_HOME=str(self.root / f"home{n}"))
        argv = [sys.executable, "-m", "reelterm", "worker", "--hub", f"redis://127.0.0.1:{self.port}/0",
                "--store", self.store.url, "--slots", "1", "--work-dir", str(self.root / f"work{n}"),
                "--visibility", str(VISIBILITY_S), "--log-level", "info"]
        if direct:
            env.update(REELTERM_HUB=f"redis://127.0.0.1:{self.port}/0", REELTERM_STORE=self.store.url,
                       REELTERM_HUB_WORK=str(self.root / f"work{n}"), REELTERM_HUB_VISIBILITY=str(VISIBILITY_S))
            argv = [sys.executable, "-m", "celery", "-A", "reelterm.hub.app", "worker", "-Q", "reelterm",
                    "--concurrency", "1", "-n", f"direct{n}@%h", "--without-gossip", "--without-mingle",
                    "--without-heartbeat", "--loglevel", "info"]
        log = open(self.root / f"worker{n}.log", "wb")  # noqa: SIM115 - the process owns it
        proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.workers.append(proc)
        return proc

    def live(self) -> list[subprocess.Popen]:
        """Workers still running."""
        return [w for w in self.workers if w.poll() is None]

    def wait_ready(self, count: int, timeout: float = 40.0) -> None:
        """Wait until `count` workers answer a ping."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                replies = self.app.control.inspect(timeout=0.5).ping() or {}
            except Exception:  # noqa: BLE001 - broker restarting
                replies = {}
            if len(replies) >= count and len(self.live()) >= count:
                return
            time.sleep(0.2)
        raise AssertionError(f"{count} workers did not come up: {self.logs()}")

    def busy_worker(self, timeout: float = 30.0) -> subprocess.Popen:
        """A worker that is running ffmpeg right now."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for w in self.live():
                if any(is_ffmpeg(p) for p in descendants(w.pid)):
                    return w
            time.sleep(0.02)
        raise AssertionError("no worker ran ffmpeg")

    def ffmpegs(self) -> list[int]:
        """ffmpeg processes under any worker."""
        return [p for w in self.live() for p in descendants(w.pid) if is_ffmpeg(p)]

    def kill_group(self, proc: subprocess.Popen) -> None:
        """`kill -9` a worker's whole process group."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def restart_broker(self, down_s: float = 1.0, *, wipe: bool = False) -> None:
        """Kill valkey-server hard, wait, start it again on the same port (with its data unless `wipe`)."""
        self.broker.proc.kill()
        self.broker.proc.wait(10)
        if wipe:
            import shutil

            for path in (self.root / "broker").iterdir():
                if path.is_dir():
                    shutil.rmtree(path)
                elif path.name != "valkey.conf":
                    path.unlink()
        time.sleep(down_s)
        self.broker = start_broker(self.root / "broker", PASSWORD, port=self.port)

    def logs(self) -> str:
        """The tail of every worker's log."""
        out = []
        for i in range(len(self.workers)):
            text = (self.root / f"worker{i}.log").read_text(errors="replace")
            out.append(f"--- worker{i}\n" + "\n".join(text.splitlines()[-15:]))
        return "\n".join(out)

    def logs_all(self) -> str:
        """Every worker's whole log."""
        return "\n".join((self.root / f"worker{i}.log").read_text(errors="replace")
                         for i in range(len(self.workers)))

    def close(self) -> None:
        """Stop the workers and the broker."""
        for w in self.live():
            os.killpg(w.pid, signal.SIGTERM)
        for w in self.workers:
            try:
                w.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(w.pid, signal.SIGKILL)
                w.wait(5)
        self.app.close()
        self.broker.stop()
