"""Uploads (streamed, checked first) and downloads (temp file, renamed when complete)."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest

from reelterm.client import (
    BadResponse,
    ConnectionFailed,
    FileTooLarge,
    NemoClient,
    ReelError,
    RouteMissing,
    UnsupportedFile,
    check_upload,
)
from reelterm.protocol import MAX_UPLOAD_BYTES, RenderStatus
from support.scripted_server import (
    SECRET,
    ScriptedServer,
    count_bytes_reply,
    err,
    file_reply,
    json_reply,
    raw_reply,
)

UPLOAD = "/api/upload-video/nemo_agent/me/*"


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    d = tmp_path / "downloads"
    d.mkdir()
    return d


def sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as fh:
        fh.truncate(size)
    return path


# ---- uploads --------------------------------------------------------------------------------------

async def test_upload_several_files_as_multipart_field_files(client: NemoClient, nemo_server: ScriptedServer,
                                                             tmp_path: Path) -> None:
    a = tmp_path / "clip one.mp4"
    a.write_bytes(b"a" * 300_000)
    b = tmp_path / 'say "hi".png'
    b.write_bytes(b"b" * 10)
    progress: list[tuple[int, int]] = []
    result = await client.upload_files("sess_1", [a, b], on_progress=lambda s, t: progress.append((s, t)))
    # A quote in a filename is percent-encoded, as browsers (WHATWG) and httpx send it.
    assert [f.filename for f in result.files] == ["clip one.mp4", "say %22hi%22.png"]
    assert [f.hash for f in result.files] == ["300000", "10"]
    assert result.session_state_applied
    assert progress[0] == (0, 300_010) and progress[-1] == (300_010, 300_010)
    assert all(x[0] <= y[0] for x, y in zip(progress, progress[1:], strict=False))
    (req,) = nemo_server.seen("POST", UPLOAD)
    assert req.path == "/api/upload-video/nemo_agent/me/sess_1"
    assert req.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert req.headers["authorization"] == f"Bearer {SECRET}"


async def test_upload_of_a_file_whose_name_is_not_utf8(client: NemoClient, nemo_server: ScriptedServer,
                                                       tmp_path: Path) -> None:
    odd = Path(os.fsdecode(os.fsencode(tmp_path) + b"/bad\xffname.mp4"))
    odd.write_bytes(b"v" * 20)
    result = await client.upload_files("sess_1", [odd])
    assert [f.filename for f in result.files] == ["bad\ufffdname.mp4"]
    assert nemo_server.count("POST", UPLOAD) == 1


async def test_upload_is_streamed_with_flat_memory(client: NemoClient, nemo_server: ScriptedServer,
                                                   tmp_path: Path) -> None:
    size = 48 * 1024 * 1024
    big = sparse(tmp_path / "big.mov", size)
    nemo_server.on("POST", UPLOAD, count_bytes_reply())
    calls = 0

    def on_progress(sent: int, total: int) -> None:
        nonlocal calls
        calls += 1

    tracemalloc.start()
    try:
        await client.upload_files("sess_1", [big], on_progress=on_progress)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (req,) = nemo_server.seen("POST", UPLOAD)
    assert nemo_server.last_body_size == int(req.headers["content-length"])
    assert size < nemo_server.last_body_size < size + 1000
    assert "chunked" not in req.headers.get("transfer-encoding", "")
    assert peak < 8 * 1024 * 1024, f"upload peaked at {peak / 1e6:.1f} MB of Python memory"
    assert calls > 100


@pytest.mark.parametrize("name", ["virus.exe", "noext", "archive.tar.gz"])
async def test_unsupported_type_rejected_before_any_request(client: NemoClient, nemo_server: ScriptedServer,
                                                            tmp_path: Path, name: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(b"MZ")
    ok_file = tmp_path / "fine.mp4"
    ok_file.write_bytes(b"x")
    with pytest.raises(UnsupportedFile) as info:
        await client.upload_files("sess_1", [ok_file, bad])
    assert "mp4" in info.value.action
    assert nemo_server.requests == []


async def test_too_large_rejected_before_any_request(client: NemoClient, nemo_server: ScriptedServer,
                                                     tmp_path: Path) -> None:
    huge = sparse(tmp_path / "huge.mp4", MAX_UPLOAD_BYTES + 1)
    with pytest.raises(FileTooLarge) as info:
        await client.upload_files("sess_1", [huge])
    assert "500 MB" in info.value.sentence and "huge.mp4" in info.value.sentence
    assert nemo_server.requests == []
    check_upload(sparse(tmp_path / "edge.mp4", MAX_UPLOAD_BYTES))


def test_check_upload_missing_and_not_regular(tmp_path: Path) -> None:
    with pytest.raises(ReelError, match="no such file"):
        check_upload(tmp_path / "gone.mp4")
    (tmp_path / "dir.mp4").mkdir()
    with pytest.raises(ReelError, match="not a regular file"):
        check_upload(tmp_path / "dir.mp4")
    ok_file = tmp_path / "SHOUT.JPG"
    ok_file.write_bytes(b"x")
    check_upload(ok_file)


async def test_upload_retried_after_429_sends_the_whole_body_again(
        client: NemoClient, nemo_server: ScriptedServer, tmp_path: Path) -> None:
    clip = tmp_path / "a.wav"
    clip.write_bytes(b"w" * 70_000)
    nemo_server.on("POST", UPLOAD, json_reply({"detail": "slow"}, status=429), count_bytes_reply())
    await client.upload_files("sess_1", [clip])
    assert nemo_server.count("POST", UPLOAD) == 2
    assert nemo_server.last_body_size > 70_000


async def test_upload_urls(client: NemoClient, nemo_server: ScriptedServer) -> None:
    result = await client.upload_urls("sess_1", ["https://example.com/a.mp4"])
    assert result.files[0].cdn_url == "https://example.com/a.mp4"
    (req,) = nemo_server.seen("POST", UPLOAD)
    assert json.loads(req.body) == {"urls": ["https://example.com/a.mp4"], "source_type": "url"}


# ---- downloads ------------------------------------------------------------------------------------

async def test_download_render_renames_on_complete(client: NemoClient, nemo_server: ScriptedServer,
                                                   out_dir: Path) -> None:
    size = 1_000_000
    nemo_server.on("GET", "/files/out.mp4", file_reply(size))
    status = await client.render_status("render_x")
    assert status.status == "completed" and status.url == "/files/out.mp4"
    progress: list[tuple[int, int | None]] = []
    dest = out_dir / "exports" / "final.mp4"
    out = await client.download(status, dest, on_progress=lambda g, t: progress.append((g, t)))
    assert out == dest and dest.stat().st_size == size
    assert list(dest.parent.iterdir()) == [dest]
    assert progress[0] == (0, size) and progress[-1] == (size, size)
    (req,) = nemo_server.seen("GET", "/files/out.mp4")
    assert req.headers["authorization"] == f"Bearer {SECRET}"


async def test_download_into_a_folder_names_the_file(client: NemoClient, nemo_server: ScriptedServer,
                                                     out_dir: Path) -> None:
    nemo_server.on("GET", "/files/*", file_reply(10))
    out = await client.download(f"{nemo_server.base_url}/files/clip%20a.mp4", out_dir)
    assert out == out_dir / "clip a.mp4" and out.read_bytes() == b"\x07" * 10


@pytest.mark.parametrize(("tail", "expected"), [
    ("..%2F..%2Fescape.mp4", "escape.mp4"),
    ("a%5C..%5C..%5Cb.mp4", "a_.._.._b.mp4"),
    ("a%3Cb%3E%7Cc%3F.mp4", "a_b__c_.mp4"),
    (".bashrc", "render.mp4"),
    ("CON.mp4", "render.mp4"),
    ("x" * 300 + ".mp4", "x" * 116 + ".mp4"),
    ("%F0%9F%8E%AC%20clip.webm", "\N{CLAPPER BOARD} clip.webm"),
])
async def test_download_names_from_a_hostile_url_stay_in_the_folder(
        client: NemoClient, nemo_server: ScriptedServer, out_dir: Path, tail: str, expected: str) -> None:
    nemo_server.on("GET", "/files/*", file_reply(3))
    out = await client.download(f"{nemo_server.base_url}/files/{tail}", out_dir)
    assert out == out_dir / expected and out.parent == out_dir and out.read_bytes() == b"\x07" * 3
    assert list(out_dir.iterdir()) == [out]
    assert {p.name for p in out_dir.parent.iterdir()} == {out_dir.name, "reelterm-home"}


def test_download_names_lose_control_characters() -> None:
    from reelterm.client._downloads import name_from_url

    assert name_from_url("http://h/bad%00name%0A%1B.mp4", "f.mp4") == "bad_name__.mp4"
    assert name_from_url("http://h/", "../x\n.mp4") == "_x_.mp4"
    assert name_from_url("http://h/noext", "..") == "render.mp4"


async def test_download_fallback_name_from_a_hostile_render_id(client: NemoClient, nemo_server: ScriptedServer,
                                                                out_dir: Path) -> None:
    nemo_server.on("GET", "/api/render/proxy/*/download", file_reply(2))
    out = await client.download(RenderStatus(id="../../evil", status="completed"), out_dir)
    assert out.parent == out_dir and out.name == "_.._evil.mp4"


async def test_download_without_url_uses_the_download_route(client: NemoClient, nemo_server: ScriptedServer,
                                                            out_dir: Path) -> None:
    nemo_server.on("GET", "/api/render/proxy/*/download", file_reply(5))
    out = await client.download(RenderStatus(id="render_7", status="completed"), out_dir)
    assert out == out_dir / "render_7.mp4"
    with pytest.raises(ReelError, match="no file"):
        await client.download(RenderStatus(id="render_8", status="processing"), out_dir)


async def test_mid_download_disconnect_leaves_no_partial_file(client: NemoClient, nemo_server: ScriptedServer,
                                                              out_dir: Path) -> None:
    nemo_server.on("GET", "/files/out.mp4", file_reply(2_000_000, abort_at=500_000))
    dest = out_dir / "final.mp4"
    dest.write_bytes(b"previous export")
    with pytest.raises(ConnectionFailed):
        await client.download("/files/out.mp4", dest)
    assert dest.read_bytes() == b"previous export"
    assert sorted(p.name for p in out_dir.iterdir()) == ["final.mp4"]


async def test_download_errors(client: NemoClient, nemo_server: ScriptedServer, out_dir: Path) -> None:
    nemo_server.on("GET", "/files/gone.mp4", json_reply({"detail": "Not Found"}, status=404))
    with pytest.raises(RouteMissing):
        await client.download("/files/gone.mp4", out_dir / "x.mp4")
    nemo_server.on("GET", "/files/proxy.mp4", raw_reply(b"<html>bad gateway</html>", status=502))
    with pytest.raises(BadResponse):
        await client.download("/files/proxy.mp4", out_dir / "x.mp4")
    with pytest.raises(ReelError, match="web address"):
        await client.download("file:///etc/passwd", out_dir / "x.mp4")
    with pytest.raises(ReelError, match="web address"):
        await client.download("ftp://example.com/a.mp4", out_dir / "x.mp4")
    assert list(out_dir.iterdir()) == []


async def test_download_from_another_host_gets_no_token(client: NemoClient, nemo_server: ScriptedServer,
                                                        out_dir: Path) -> None:
    nemo_server.on("GET", "/cdn/a.mp4", file_reply(3))
    other = nemo_server.base_url.replace("127.0.0.1", "localhost")
    out = await client.download(f"{other}/cdn/a.mp4", out_dir / "a.mp4")
    assert out.stat().st_size == 3
    (req,) = nemo_server.seen("GET", "/cdn/a.mp4")
    assert "authorization" not in req.headers and "x-client-id" not in req.headers


# ---- the other routes -----------------------------------------------------------------------------

async def test_session_state_credits_render(client: NemoClient, nemo_server: ScriptedServer) -> None:
    info = await client.create_session(language="zh")
    assert info.session_id == "sess_1"
    credits = await client.credits()
    assert (credits.available, credits.frozen, credits.total) == (90, 10, 100)
    state = await client.state("sess_1")
    assert state.draft is not None and state.draft.t[0].sg[0].d == 10000
    st = await client.submit_render("sess_1", {"t": [{"tt": 0, "sg": []}]}, fmt="webm", quality="standard")
    assert (st.id, st.status, st.progress) == ("render_x", "pending", 5)
    (req,) = nemo_server.seen("POST", "/api/render/proxy/lambda")
    body = json.loads(req.body)
    assert body["id"].startswith("render_") and body["id"][7:].isdigit() and len(body["id"]) == 20
    assert body["sessionId"] == "sess_1" and body["output"] == {"format": "webm", "quality": "standard"}
    assert body["draft"] == {"t": [{"tt": 0, "sg": []}]}
    await client.cancel_render("render_x")
    assert nemo_server.count("POST", "/api/render/proxy/lambda/render_x/cancel") == 1
    assert json.loads(nemo_server.seen("POST", "/api/tasks/*")[0].body)["language"] == "zh"


async def test_render_status_output_url_forms(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", "/api/render/proxy/lambda/*",
                   json_reply({"code": 0, "data": {"status": "completed", "outputUrl": "https://c/x.mp4"}}))
    st = await client.render_status("render_1")
    assert (st.id, st.url) == ("render_1", "https://c/x.mp4")


async def test_state_1002_then_renders_ok(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", "/api/state/*", json_reply(err(1002)))
    with pytest.raises(ReelError):
        await client.state("x")
    assert os.environ.get("NEMO_TOKEN") is None
