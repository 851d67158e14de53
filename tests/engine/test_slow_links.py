"""URL uploads against a slow-loris server on loopback: a whole-transfer deadline and a bound on
downloads in flight, while the engine keeps answering (all within a few seconds)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from reelterm.engine.embedded import start_embedded
from reelterm.engine.urlfetch import UrlRefused, fetch_url

from .helpers import new_session

DEADLINE_S = 1.5


class SlowLoris:
    """A TCP server that answers every request one byte every `gap_s` seconds, forever."""

    def __init__(self, gap_s: float = 0.1, trickle_headers: bool = False) -> None:
        self.gap_s, self.trickle_headers = gap_s, trickle_headers
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.open = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        self.open += 1
        head = b"HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: 10000000\r\n\r\n"
        try:
            conn.recv(65536)
            if not self.trickle_headers:
                conn.sendall(head)
                head = b""
            for byte in head + b"\0" * 10_000_000:
                if self.stop.is_set():
                    break
                conn.sendall(bytes([byte]) if isinstance(byte, int) else byte)
                time.sleep(self.gap_s)
        except OSError:
            pass
        finally:
            self.open -= 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture
def loris() -> Iterator[SlowLoris]:
    server = SlowLoris()
    yield server
    server.close()


@pytest.mark.parametrize("trickle_headers", [False, True], ids=["slow body", "slow headers"])
def test_the_deadline_covers_the_whole_transfer(tmp_path, trickle_headers):
    server = SlowLoris(gap_s=0.05, trickle_headers=trickle_headers)
    try:
        t0 = time.monotonic()
        with pytest.raises(UrlRefused, match="longer than the 1.5-second limit"):
            fetch_url(f"http://127.0.0.1:{server.port}/a.mp4", tmp_path, max_bytes=50_000_000,
                      timeout_s=DEADLINE_S, allow_private=True)
        elapsed = time.monotonic() - t0
    finally:
        server.close()
    assert DEADLINE_S <= elapsed < DEADLINE_S + 1.0, elapsed
    assert list(tmp_path.iterdir()) == []  # the partial download is gone


def test_slow_links_neither_hang_the_engine_nor_pile_up(tmp_path, loris):
    limit = 3
    with start_embedded(data_dir=tmp_path / "e", allow_private_urls=True, url_timeout_s=DEADLINE_S,
                        max_url_fetches=limit) as eng, \
            httpx.Client(base_url=eng.base_url, headers=eng.headers, timeout=30) as api:
        sid = new_session(api)
        url = f"/api/upload-video/nemo_agent/me/{sid}"
        body = {"urls": [f"http://127.0.0.1:{loris.port}/slow.mp4"], "source_type": "url"}

        def upload() -> tuple[float, httpx.Response]:
            t0 = time.monotonic()
            r = api.post(url, json=body)
            return time.monotonic() - t0, r

        with ThreadPoolExecutor(12) as pool:
            futures = [pool.submit(upload) for _ in range(12)]
            time.sleep(0.4)  # every request has arrived; the slow ones are downloading
            t0 = time.monotonic()
            health = api.get("/api/health")
            health_s = time.monotonic() - t0
            results = [f.result() for f in futures]
        assert health.status_code == 200 and health_s < 0.5, health_s
        codes = sorted(r.json()["code"] for _, r in results)
        timed_out = [(s, r) for s, r in results if r.json()["code"] == 4000]
        busy = [(s, r) for s, r in results if r.json()["code"] == 5003]
        assert len(timed_out) == limit and len(busy) == 12 - limit, codes
        for seconds, r in timed_out:
            assert r.status_code == 422 and "1.5-second limit" in r.json()["message"]
            assert DEADLINE_S - 0.1 <= seconds < DEADLINE_S + 1.5
        for seconds, r in busy:
            assert r.status_code == 503 and r.headers["retry-after"] == "10" and seconds < 1.0
            assert "already running" in r.json()["message"]
        # the slots are free again once the slow downloads have been cut off
        seconds, r = upload()
        assert r.json()["code"] == 4000 and "limit" in r.json()["message"]
        assert list((eng.config.data_dir / "tmp").iterdir()) == []
