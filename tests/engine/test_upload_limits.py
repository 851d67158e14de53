"""Upload and body limits at the boundary and just past it, as reelterm's own client sees them."""

from __future__ import annotations

import asyncio
import os
import struct
from pathlib import Path

import pytest

from reelterm.client import FileTooLarge, NemoClient, SessionNotFound
from reelterm.engine.server.limits import MAX_JSON_BYTES
from reelterm.engine.server.multipart import MAX_NAME_CHARS, MAX_PART_HEADER_BYTES

from .helpers import new_session

CAP = 2 * 1024 * 1024  # the `engine` fixture's max_upload_bytes


def wav_of_size(path: Path, size: int) -> Path:
    """A valid 8 kHz mono 16-bit WAV of exactly `size` bytes (a silent one; odd sizes get a pad byte)."""
    data = (size - 44) & ~1
    header = b"RIFF" + struct.pack("<I", 36 + data) + b"WAVEfmt " + struct.pack(
        "<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16) + b"data" + struct.pack("<I", data)
    path.write_bytes(header + b"\0" * data + b"\0" * (size - 44 - data))
    assert path.stat().st_size == size
    return path


async def _upload(engine, path: Path, sid: str | None = None):
    async with NemoClient(engine.base_url, token=engine.token) as client:
        sid = sid or (await client.create_session()).session_id
        return await client.upload_files(sid, [path])


def test_a_file_at_the_cap_is_kept_and_one_byte_more_is_4002_in_reelterms_client(engine, tmp_path):
    ok = asyncio.run(_upload(engine, wav_of_size(tmp_path / "at.wav", CAP)))
    assert ok.files[0].file_type == "audio" and ok.files[0].size == CAP
    with pytest.raises(FileTooLarge) as info:
        asyncio.run(_upload(engine, wav_of_size(tmp_path / "over.wav", CAP + 1)))
    assert info.value.code == 4002 and "larger than the 2 MB limit" in info.value.sentence
    # far past the cap (the engine stops writing at once, drops the rest, then answers)
    big = tmp_path / "big.mp4"
    big.write_bytes(os.urandom(1024) * (12 * 1024))
    with pytest.raises(FileTooLarge):
        asyncio.run(_upload(engine, big))
    assert list((engine.config.data_dir / "tmp").iterdir()) == []


def test_an_early_refusal_of_a_big_body_is_read_not_a_reset(engine, tmp_path):
    big = tmp_path / "big.mp4"
    big.write_bytes(b"\0" * (8 * 1024 * 1024))
    with pytest.raises(SessionNotFound):  # refused before the body is read, the answer still arrives
        asyncio.run(_upload(engine, big, sid="sess_nobody"))


def test_chunked_json_at_and_past_16_mb(api):
    sid = new_session(api)

    def chunks(total: int):
        head = b'{"text": "'
        yield head
        left = total - len(head) - 2
        while left > 0:
            n = min(left, 1024 * 1024)
            yield b"x" * n
            left -= n
        yield b'"}'

    url = "/run_sse"
    r = api.post(url, content=chunks(MAX_JSON_BYTES + 1), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "too large" in r.json()["message"] and "16 MB" in r.json()["message"]
    r = api.post(url, content=chunks(MAX_JSON_BYTES), headers={"content-type": "application/json"})
    assert r.status_code != 413 and "too large" not in r.text  # read whole; refused for what it says
    assert r.json()["code"] == 4000 and sid


def test_long_upload_names_are_kept_shortened_with_their_extension(api, media_dir):
    sid = new_session(api)
    data = (media_dir / "tone.wav").read_bytes()
    url = f"/api/upload-video/nemo_agent/me/{sid}"
    r = api.post(url, files=[("files", ("n" * 8000 + ".wav", data))])
    assert r.status_code == 200, r.text
    name = r.json()["data"]["files"][0]["filename"]
    assert len(name) == MAX_NAME_CHARS and name.endswith("….wav")
    r = api.post(url, files=[("files", ("a" * (MAX_NAME_CHARS - 4) + ".wav", data))])
    assert r.json()["data"]["files"][0]["filename"] == "a" * (MAX_NAME_CHARS - 4) + ".wav"  # at the limit: as is
    r = api.post(url, files=[("files", ("n" * MAX_PART_HEADER_BYTES + ".wav", data))])
    assert r.status_code == 422 and "file name" in r.json()["message"] and "64 KB" in r.json()["message"]
    assert "could not be read as multipart" not in r.json()["message"]


def test_a_declared_length_past_every_cap_is_refused_unparsed(engine, api):
    import socket
    import threading
    from urllib.parse import urlsplit

    from reelterm.engine.server.routes_upload import MAX_FILES

    sid = new_session(api)
    too_long = MAX_FILES * (CAP + 64 * 1024) + 1
    host = urlsplit(engine.base_url)
    head = (f"POST /api/upload-video/nemo_agent/me/{sid} HTTP/1.1\r\nHost: {host.netloc}\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in engine.headers.items())
            + "Content-Type: multipart/form-data; boundary=b\r\n"
            + f"Content-Length: {too_long}\r\n\r\n").encode()
    with socket.create_connection((host.hostname, host.port), timeout=20) as sock:
        sock.sendall(head)

        def send_body() -> None:  # as any client does: the whole body, then read
            left = too_long
            try:
                while left > 0:
                    left -= sock.send(b"\0" * min(left, 1 << 20))
            except OSError:
                pass

        sender = threading.Thread(target=send_body, daemon=True)
        sender.start()
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            got = sock.recv(65536)
            if not got:
                break
            answer += got
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"code":4002' in answer and b"2 MB limit" in answer
    assert list((engine.config.data_dir / "tmp").iterdir()) == []  # nothing was written


def test_link_and_file_counts_at_and_past_their_limits(api, media_dir):
    from reelterm.engine.server.routes_upload import MAX_FILES, MAX_URLS

    sid = new_session(api)
    url = f"/api/upload-video/nemo_agent/me/{sid}"
    links = ["http://127.0.0.1/a.mp4"] * MAX_URLS  # checked, then refused for the address, not the count
    r = api.post(url, json={"urls": links, "source_type": "url"})
    assert r.status_code == 403 and "private" in r.json()["message"]
    r = api.post(url, json={"urls": [*links, links[0]], "source_type": "url"})
    assert r.status_code == 422 and f"At most {MAX_URLS} links" in r.json()["message"]
    wav = (media_dir / "tone.wav").read_bytes()
    r = api.post(url, files=[("files", (f"t{i}.wav", wav)) for i in range(MAX_FILES)])
    assert r.status_code == 200 and len(r.json()["data"]["files"]) == MAX_FILES
    r = api.post(url, files=[("files", (f"t{i}.wav", wav)) for i in range(MAX_FILES + 1)])
    assert r.status_code == 422 and f"At most {MAX_FILES} files" in r.json()["message"]
