"""The store and the render queue: versions, restarts, atomic claims, re-queue after a crash."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from reelterm.engine.agent.base import OutOfCredits
from reelterm.engine.renders.queue import RenderQueue, _owner_alive
from reelterm.engine.store import SCHEMA_VERSION, RateLimited, Store
from reelterm.protocol import Draft


def _store(tmp_path) -> Store:
    return Store(tmp_path / "engine.sqlite3")


def test_versions_undo_redo_and_restart(tmp_path):
    store = _store(tmp_path)
    _, tok = store.issue_token("c", lifetime_s=60, window_s=60, budget=None)
    sid = store.create_session(tok, "project", "en").id
    d1 = Draft.model_validate({"m": {"title": "one"}})
    d2 = Draft.model_validate({"m": {"title": "two"}})
    assert store.commit_draft(sid, d1, "first") == 1
    assert store.commit_draft(sid, d2, "second") == 2
    assert store.undo(sid).m.title == "one"
    d3 = Draft.model_validate({"m": {"title": "three"}})
    assert store.commit_draft(sid, d3, "branch") == 3  # a new branch; version 2 is kept
    kept = store.db.query("SELECT version, parent FROM drafts WHERE session_id = ? ORDER BY version", (sid,))
    assert [(r["version"], r["parent"]) for r in kept] == [(0, None), (1, 0), (2, 1), (3, 1)]
    assert store.redo(sid) is None
    assert store.undo(sid).m.title == "one" and store.undo(sid).m.title == "Untitled"
    assert store.undo(sid) is None
    assert store.redo(sid).m.title == "one" and store.redo(sid).m.title == "three"
    store.close()
    again = _store(tmp_path)
    assert again.draft(sid) == (3, d3) and again.session(sid).language == "en"
    assert again.db.one("SELECT value FROM meta WHERE key='schema_version'")["value"] == str(SCHEMA_VERSION)
    with pytest.raises(RateLimited):
        again.issue_token("c", lifetime_s=60, window_s=60, budget=None)
    again.close()


def test_charge_is_atomic_and_bounded(tmp_path):
    store = _store(tmp_path)
    _, tok = store.issue_token("c", lifetime_s=60, window_s=0, budget=10)
    errors = []

    def spend():
        for _ in range(10):
            try:
                store.charge(tok.hash, 1)
            except OutOfCredits:
                errors.append(1)

    threads = [threading.Thread(target=spend) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.token_row(tok.hash).used == 10 and len(errors) == 20
    store.close()


def _queue(tmp_path, **kw) -> tuple[Store, RenderQueue]:
    store = _store(tmp_path)
    out = tmp_path / "renders"
    out.mkdir(exist_ok=True)
    return store, RenderQueue(store.db, out, lambda sid: (lambda src: tmp_path), **kw)


def test_claim_is_atomic_across_processes(tmp_path):
    store, queue = _queue(tmp_path)
    for i in range(30):
        queue.submit(f"render_{i}", "s", "u", {"t": []}, "mp4", "draft")
    script = (
        "import json, sys; from pathlib import Path\n"
        "from reelterm.engine.store import Store\n"
        "from reelterm.engine.renders.queue import RenderQueue\n"
        "s = Store(Path(sys.argv[1]) / 'engine.sqlite3')\n"
        "q = RenderQueue(s.db, Path(sys.argv[1]), lambda sid: None)\n"
        "got = []\n"
        "while (job := q.claim()) is not None: got.append(job['id'])\n"
        "print(json.dumps(got), flush=True)\n"
        "sys.stdin.read()\n"  # stay alive (owning the jobs) until every process is done
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for _ in range(4)]
    claimed = [json.loads(p.stdout.readline()) for p in procs]
    for p in procs:
        p.communicate("", timeout=30)
    flat = [j for got in claimed for j in got]
    assert len(flat) == 30 and sorted(set(flat)) == sorted(f"render_{i}" for i in range(30))
    assert {r["attempts"] for r in store.db.query("SELECT attempts FROM renders")} == {1}
    store.close()


def test_claim_is_atomic_across_threads(tmp_path):
    store, queue = _queue(tmp_path)
    for i in range(20):
        queue.submit(f"render_{i}", "s", "u", {"t": []}, "mp4", "draft")
    others = [RenderQueue(Store(tmp_path / "engine.sqlite3").db, tmp_path, lambda sid: None) for _ in range(4)]
    for q in others:
        q.instance = queue.instance  # all "alive" in this process
        q.owner = queue.owner
    from reelterm.engine.renders import queue as qmod

    qmod._LIVE.add(queue.instance)
    got: list[str] = []
    lock = threading.Lock()

    def grab(q):
        while (job := q.claim()) is not None:
            with lock:
                got.append(job["id"])

    threads = [threading.Thread(target=grab, args=(q,)) for q in others]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    qmod._LIVE.discard(queue.instance)
    assert sorted(got) == sorted(f"render_{i}" for i in range(20))
    store.close()


def test_dead_owner_is_requeued_and_attempts_are_bounded(tmp_path):
    store, queue = _queue(tmp_path)
    queue.submit("render_a", "s", "u", {"t": []}, "mp4", "draft")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = queue.owner.split("|")[0]
    owner = f"{host}|{dead.pid}|123|abc"
    assert not _owner_alive(owner) and _owner_alive(queue.owner) is False  # not started: not live
    with store.db.tx() as conn:
        conn.execute("UPDATE renders SET status='processing', owner=?, lease_until=?, attempts=1",
                     (owner, time.time() + 3600))
    job = queue.claim()
    assert job is not None and job["id"] == "render_a"
    assert store.db.one("SELECT attempts FROM renders")["attempts"] == 2
    # a live foreign-host owner keeps its job until the lease runs out
    with store.db.tx() as conn:
        conn.execute("UPDATE renders SET status='processing', owner='elsewhere|1|1|x', lease_until=?",
                     (time.time() + 3600,))
    assert queue.claim() is None
    with store.db.tx() as conn:
        conn.execute("UPDATE renders SET lease_until=?, attempts=3", (time.time() - 1,))
    assert queue.claim() is None
    row = store.db.one("SELECT status, error FROM renders")
    assert row["status"] == "failed" and "too many times" in row["error"]
    store.close()


def test_stop_requeues_a_running_job(tmp_path):
    started = threading.Event()

    def slow_render(draft, out, *, resolve, quality, on_progress, cancel):
        started.set()
        on_progress(50)
        cancel.wait(10)
        raise RuntimeError("cancelled")

    store, queue = _queue(tmp_path, render=slow_render, poll_s=0.05)
    queue.start()
    queue.submit("render_x", "s", "u", {"t": []}, "mp4", "draft")
    assert started.wait(5)
    queue.stop()
    row = store.db.one("SELECT status, owner, attempts FROM renders")
    # back in the queue, and the attempt it used is counted
    assert row["status"] == "pending" and row["owner"] is None and row["attempts"] == 1
    store.close()


def test_a_job_claimed_as_the_queue_stops_never_starts(tmp_path):
    started: list[bool] = []
    claimed, go_on = threading.Event(), threading.Event()

    def render(draft, out, *, resolve, quality, on_progress, cancel):
        started.append(cancel.is_set())
        cancel.wait(10)
        raise RuntimeError("cancelled")

    class ClaimsAsItStops(RenderQueue):
        """A worker that has just taken a job when `stop()` begins."""

        def claim(self, stills_only: bool = False) -> dict | None:
            job = super().claim(stills_only)
            if job is not None:
                claimed.set()
                go_on.wait(10)
            return job

    store = _store(tmp_path)
    (tmp_path / "renders").mkdir()
    queue = ClaimsAsItStops(store.db, tmp_path / "renders", lambda sid: lambda src: tmp_path,
                            render=render, poll_s=0.05)
    queue.start()
    queue.submit("render_w", "s", "u", {"t": []}, "mp4", "draft")
    assert claimed.wait(5)
    stopped: list[bool] = []
    stopper = threading.Thread(target=lambda: stopped.append(queue.stop()))
    stopper.start()
    assert queue._stop.wait(5)  # stop() has begun; now the worker goes on with its job
    go_on.set()
    stopper.join(20)
    assert stopped == [True] and started == []  # every worker ended, and the render never ran
    row = store.db.one("SELECT status, owner, attempts FROM renders")
    assert (row["status"], row["owner"], row["attempts"]) == ("pending", None, 0)  # as if never claimed
    store.close()


def test_a_render_that_never_finishes_uses_up_its_attempts_across_restarts(tmp_path):
    from reelterm.engine.renders.queue import MAX_ATTEMPTS

    started = threading.Event()

    def endless(draft, out, *, resolve, quality, on_progress, cancel):
        started.set()
        cancel.wait(10)
        raise RuntimeError("cancelled")

    store, _ = _queue(tmp_path)
    _.submit("render_y", "s", "u", {"t": []}, "mp4", "draft")
    for _restart in range(MAX_ATTEMPTS):
        started.clear()
        queue = RenderQueue(store.db, tmp_path / "renders", lambda sid: lambda src: tmp_path,
                            render=endless, poll_s=0.05)
        queue.start()
        assert started.wait(5)
        queue.stop()
    queue = RenderQueue(store.db, tmp_path / "renders", lambda sid: lambda src: tmp_path, render=endless)
    assert queue.claim() is None  # the engine's next start does not run it a fourth time
    row = store.db.one("SELECT status, error, attempts FROM renders")
    assert row["status"] == "failed" and "too many times" in row["error"] and row["attempts"] == MAX_ATTEMPTS
    store.close()


def test_a_render_over_its_wall_clock_budget_is_stopped_and_failed(tmp_path, monkeypatch):
    from reelterm.engine.renders import queue as qmod

    assert qmod.render_budget_s(0, "draft") == qmod.BUDGET_BASE_S
    assert qmod.render_budget_s(60_000, "high") == qmod.BUDGET_BASE_S + 60 * qmod.BUDGET_PER_S["high"]
    assert qmod.render_budget_s(60_000, "draft") < qmod.render_budget_s(60_000, "high")
    monkeypatch.setattr(qmod, "BUDGET_BASE_S", 0.3)
    monkeypatch.setattr(qmod, "BUDGET_PER_S", {"draft": 0.5, "standard": 0.5, "high": 0.5})
    killed = threading.Event()

    def stuck(draft, out, *, resolve, quality, on_progress, cancel):
        if not cancel.wait(10):
            raise AssertionError("never stopped")
        killed.set()
        raise RuntimeError("cancelled")

    store, queue = _queue(tmp_path, render=stuck, poll_s=0.05)
    queue.start()
    draft = {"t": [{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "color:#000000"}]}]}  # 1 s: budget 0.8 s
    t0 = time.monotonic()
    queue.submit("render_z", "s", "u", draft, "mp4", "draft")
    assert killed.wait(8)
    elapsed = time.monotonic() - t0
    for _ in range(100):
        row = store.db.one("SELECT status, error FROM renders")
        if row["status"] != "processing":
            break
        time.sleep(0.05)
    queue.stop()
    assert 0.7 <= elapsed < 4, elapsed
    assert row["status"] == "failed" and "longer than its" in row["error"] and "1-second" in row["error"]
    store.close()


def test_a_database_from_before_render_warnings_gains_the_column(tmp_path):
    import sqlite3

    from reelterm.engine.store.db import Database

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:  # the renders table as the first release made it
        conn.execute("CREATE TABLE renders (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, user_id TEXT NOT NULL,"
                     " draft TEXT NOT NULL, format TEXT NOT NULL, quality TEXT NOT NULL, status TEXT NOT NULL,"
                     " progress REAL NOT NULL, error TEXT, output_path TEXT, download_key TEXT NOT NULL, owner TEXT,"
                     " lease_until REAL, attempts INTEGER NOT NULL DEFAULT 0,"
                     " cancel_requested INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL,"
                     " updated_at REAL NOT NULL)")
        conn.execute("INSERT INTO renders VALUES ('r1', 's', 'u', '{}', 'mp4', 'draft', 'completed', 100, NULL,"
                     " NULL, 'k', NULL, NULL, 1, 0, 0, 0)")
    db = Database(path)
    row = db.one("SELECT id, warnings FROM renders")
    assert row["id"] == "r1" and row["warnings"] is None  # the old render is kept, with no warnings
    db.close()
