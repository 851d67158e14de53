"""`reelterm hub`, `reelterm worker` and `reelterm serve --hub` as a user runs them."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest


def _run(*args: str, env: dict | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reelterm", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


@pytest.mark.slow
def test_hub_starts_a_private_persistent_broker_and_masks_its_password(reelterm_home: Path):
    import redis

    from reelterm.hub.broker import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "reelterm", "hub", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "REELTERM_HOME": str(reelterm_home)})
    try:
        first = proc.stdout.readline().strip()
        assert first == f"redis://:****@127.0.0.1:{port}/0", (first, proc.stderr.read() if proc.poll() else "")
        rest = [proc.stdout.readline() for _ in range(4)]
        secret = reelterm_home / "state" / "hub" / "password"
        assert any(str(secret) in line for line in rest), rest
        # the commands it suggests work as printed on this machine (the password comes from the file)
        assert f"reelterm serve --hub redis://127.0.0.1:{port}/0" in "".join(rest), rest
        from reelterm.hub.config import broker_url

        found = broker_url(f"redis://127.0.0.1:{port}/0", password_files=(secret,))
        assert redis.Redis.from_url(found, socket_timeout=2).ping()
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
        password = secret.read_text().strip()
        assert len(password) >= 24 and password not in first + "".join(rest)
        with pytest.raises(redis.AuthenticationError):  # no password, no broker
            redis.Redis(port=port, socket_timeout=2).ping()
        client = redis.Redis(port=port, password=password, socket_timeout=2)
        assert client.ping() and client.config_get("appendonly") == {"appendonly": "yes"}
        client.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
    assert (reelterm_home / "data" / "hub").is_dir()


def test_hub_refuses_a_public_address_without_allow_remote():
    r = _run("hub", "--host", "0.0.0.0")
    assert r.returncode == 2 and "loopback" in r.stderr and "Traceback" not in r.stderr


def test_worker_and_serve_refuse_a_hub_without_a_password(tmp_path):
    env = {"REELTERM_HUB_PASSWORD": ""}
    w = _run("worker", "--hub", "redis://127.0.0.1:1/0", "--store", str(tmp_path), env=env)
    assert w.returncode == 2 and "needs a password" in w.stderr and "Traceback" not in w.stderr
    s = _run("serve", "--port", "0", "--hub", "redis://127.0.0.1:1/0", env=env)
    assert s.returncode == 2 and "needs a password" in s.stderr and s.stdout == ""
    bad = _run("worker", "--hub", "http://example.org", "--store", str(tmp_path), env=env)
    assert bad.returncode == 2 and "redis://" in bad.stderr
    unmounted = _run("worker", "--hub", "redis://:pw@127.0.0.1:1/0", "--store", str(tmp_path / "nfs"), env=env)
    assert unmounted.returncode == 2 and "does not exist on this machine" in unmounted.stderr
    assert not (tmp_path / "nfs").exists()


def test_serve_says_so_when_the_hub_does_not_answer(tmp_path):
    from reelterm.hub.broker import free_port

    r = _run("serve", "--port", "0", "--data-dir", str(tmp_path / "eng"),
             "--hub", f"redis://:pw@127.0.0.1:{free_port()}/0", timeout=60)
    assert r.returncode == 3 and "does not answer" in r.stderr and ":pw@" not in r.stderr, r.stderr
    assert r.stdout == ""


def test_serve_reads_the_hub_from_config_toml(reelterm_home: Path):
    config = reelterm_home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text('hub = "redis://127.0.0.1:1/0"\n')
    r = _run("serve", "--port", "0", env={"REELTERM_HOME": str(reelterm_home), "REELTERM_HUB_PASSWORD": ""})
    assert r.returncode == 2 and "needs a password" in r.stderr and r.stdout == ""


def test_hub_says_why_when_its_port_is_taken(reelterm_home: Path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = _run("hub", "--port", str(port), env={"REELTERM_HOME": str(reelterm_home)})
    assert r.returncode == 3 and "could not start" in r.stderr and str(port) in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
