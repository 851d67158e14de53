"""Uploads: probed by content, stored under generated names, bad input refused with an envelope."""

from __future__ import annotations

import http.server
import os
import threading
from pathlib import Path

import httpx
import pytest

from reelterm.engine.embedded import start_embedded
from reelterm.engine.urlfetch import UrlRefused, fetch_url, is_public

from .helpers import make_docx, make_pdf, new_session, raw_multipart, upload


def _files_on_disk(engine) -> list[Path]:
    d = engine.config.data_dir
    return sorted(p for sub in ("uploads", "tmp") for p in (d / sub).iterdir())


def test_several_files_probed(api, media_dir):
    sid = new_session(api)
    r = upload(api, sid, media_dir / "clip.mp4", media_dir / "tone.wav", media_dir / "pic.png",
               media_dir / "av.mp4", media_dir / "tone.m4a")
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["session_state_applied"] is True
    files = data["files"]
    assert [f["file_type"] for f in files] == ["video", "audio", "image", "video", "audio"]
    clip, tone, pic, av_, m4a = files
    assert clip["duration"] == pytest.approx(2.0, abs=0.15) and clip["width"] == 64 and clip["fps"] == 10
    assert tone["duration"] == pytest.approx(1.5, abs=0.1) and tone["width"] is None
    assert pic["width"] == 64 and pic["duration"] is None
    assert av_["has_audio"] and av_["has_video"]
    assert len(clip["hash"]) == 64 and clip["cdn_url"].startswith("http://127.0.0.1:")
    assert api.get(clip["cdn_url"]).content == (media_dir / "clip.mp4").read_bytes()
    state = api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
    infos = state["video_infos"]
    assert [i["id"] for i in infos] == [f["id"] for f in files]
    assert infos[0]["duration"] == pytest.approx(2.0, abs=0.15)
    assert infos[0]["size"] == (media_dir / "clip.mp4").stat().st_size
    assert {s["type"] for s in infos[3]["streams"]} == {"video", "audio"}
    assert state["generated_media"] == [] and state["draft"]["t"] == []


def test_text_sources(api, engine, tmp_path):
    sid = new_session(api)
    txt = tmp_path / "notes.txt"
    txt.write_text("Two sentences about a lamp. It glows.\n", encoding="utf-8")
    docx_path = make_docx(tmp_path / "brief.docx", "A product brief for a kettle.")
    pdf = make_pdf(tmp_path / "script.pdf", "Hello from a PDF")
    r = upload(api, sid, txt, docx_path, pdf)
    assert r.status_code == 200, r.text
    files = r.json()["data"]["files"]
    assert [f["file_type"] for f in files] == ["text"] * 3
    assert [f["format"] for f in files] == ["txt", "docx", "pdf"]
    texts = {u.filename: u.text for u in engine.state.store.upload_infos(sid)}
    assert "lamp" in texts["notes.txt"] and "kettle" in texts["brief.docx"] and "Hello" in texts["script.pdf"]


@pytest.mark.parametrize("name,content", [
    ("empty.mp4", b""),
    ("notes.mp4", b"just some text renamed to look like a video\n" * 20),
    ("noise.png", os.urandom(4096)),
    ("fake.docx", b"PK\x03\x04 not really a zip"),
    ("fake.pdf", b"%PDF-1.4 garbage"),
    ("binary.txt", b"\x00\x01\x02" * 100),
    ("empty.txt", b"   \n"),
])
def test_unsupported_content_is_4001(api, engine, name, content):
    sid = new_session(api)
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", (name, content))])
    assert r.status_code == 415 and r.json()["code"] == 4001, r.text
    assert name[:20] in r.json()["message"] and "Traceback" not in r.text
    assert _files_on_disk(engine) == []


def test_truncated_mp4_and_all_or_nothing(api, engine, media_dir):
    sid = new_session(api)
    data = (media_dir / "clip.mp4").read_bytes()
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}",
                 files=[("files", ("ok.mp4", data)), ("files", ("cut.mp4", data[: len(data) // 3]))])
    assert r.json()["code"] == 4001 and "cut.mp4" in r.json()["message"]
    assert _files_on_disk(engine) == []
    state = api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
    assert state["video_infos"] == []


def test_odd_file_names_are_metadata_only(api, engine, media_dir):
    sid = new_session(api)
    clip = (media_dir / "clip.mp4").read_bytes()
    names = ['we"ird\'.mp4', "C:\\x:y.mp4", "line\nbreak.mp4", "../../etc/passwd", "/abs/path.mp4",
             "日本語 ☃.mp4", "nul\x00byte.mp4"]
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", (n, clip)) for n in names])
    assert r.status_code == 200, r.text
    got = [f["filename"] for f in r.json()["data"]["files"]]
    assert len(got) == len(names) and all("\n" not in g and "\x00" not in g for g in got)
    assert '"' in got[0] and ":" in got[1] and got[3].endswith("etc/passwd") and got[5] == "日本語 ☃.mp4"
    # raw bytes that are not UTF-8, and an empty name
    body, ctype = raw_multipart([(b"\xff\xfe\xc3(bad.mp4", clip), (b"", clip)])
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", content=body, headers={"Content-Type": ctype})
    assert r.status_code == 200, r.text
    got = [f["filename"] for f in r.json()["data"]["files"]]
    assert "\ufffd" in got[0] and got[0].endswith("(bad.mp4") and got[1] == "upload"
    stored = sorted(p.name for p in (engine.config.data_dir / "uploads").iterdir())
    assert len(stored) == len(names) + 2
    assert all(n.startswith("u_") and n.endswith(".mp4") for n in stored)
    assert not (engine.config.data_dir.parent / "etc").exists()
    state = api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
    assert [i["filename"] for i in state["video_infos"]][-2:] == got


def test_header_broken_by_a_raw_newline_is_refused(api, engine, media_dir):
    sid = new_session(api)
    body, ctype = raw_multipart([(b"line\r\nbreak.mp4", (media_dir / "clip.mp4").read_bytes())])
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", content=body, headers={"Content-Type": ctype})
    assert r.status_code == 422 and r.json()["code"] == 4000
    assert _files_on_disk(engine) == []


def test_oversized_upload_is_cut_off(api, engine):
    sid = new_session(api)
    big = os.urandom(3 * 1024 * 1024)  # the test engine's limit is 2 MB
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", ("big.mp4", big))])
    assert r.status_code == 413 and r.json()["code"] == 4002 and "2 MB" in r.json()["message"]
    assert _files_on_disk(engine) == []
    assert api.get("/api/health").status_code == 200


def test_oversized_streaming_body_is_dropped_and_answered(api, engine):
    sid = new_session(api)
    sent = [0]

    def gen():
        yield b"--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"x.mp4\"\r\n\r\n"
        for _ in range(64):  # 64 MB, the cap is 2 MB: nothing past it is written, the rest is dropped
            sent[0] += 1
            yield b"\0" * (1024 * 1024)
        yield b"\r\n--B--\r\n"

    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", content=gen(),
                 headers={"Content-Type": "multipart/form-data; boundary=B"})
    # a client that sends the whole body before reading (httpx does) still reads the 4002
    assert r.status_code == 413 and r.json()["code"] == 4002 and sent[0] == 64
    assert _files_on_disk(engine) == []
    assert api.get("/api/health").status_code == 200


def test_malformed_upload_bodies(api, engine):
    sid = new_session(api)
    url = f"/api/upload-video/nemo_agent/me/{sid}"
    cases = [
        ({"Content-Type": "multipart/form-data"}, b"no boundary"),
        ({"Content-Type": "multipart/form-data; boundary=B"}, b"--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a\"\r\n\r\nabc"),
        ({"Content-Type": "text/plain"}, b"hello"),
        ({"Content-Type": "application/json"}, b"{broken"),
        ({"Content-Type": "application/json"}, b'{"urls": "not a list"}'),
        ({"Content-Type": "multipart/form-data; boundary=B"}, b"--B--\r\n"),
    ]
    for headers, content in cases:
        r = api.post(url, content=content, headers=headers)
        assert r.status_code == 422 and r.json()["code"] == 4000, (content, r.text)
    assert _files_on_disk(engine) == []


def test_url_upload_refuses_private_and_odd_schemes(api):
    sid = new_session(api)
    url = f"/api/upload-video/nemo_agent/me/{sid}"
    for link in ("http://127.0.0.1:1/x.mp4", "http://localhost/x.mp4", "http://10.1.2.3/a.mp4",
                 "http://[::1]/a.mp4", "http://169.254.169.254/latest", "file:///etc/passwd",
                 "ftp://example.com/a.mp4", "http://user:pw@example.com/a.mp4", "not a url"):
        r = api.post(url, json={"urls": [link], "source_type": "url"})
        assert r.json()["code"] == 4000, (link, r.text)
        assert "Traceback" not in r.text


def test_is_public():
    for addr in ("127.0.0.1", "10.0.0.1", "192.168.1.1", "172.16.0.1", "169.254.1.1", "::1", "fe80::1",
                 "224.0.0.1", "0.0.0.0", "240.0.0.1", "::ffff:127.0.0.1", "100.64.0.1", "fc00::1"):
        assert not is_public(addr), addr
    for addr in ("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"):
        assert is_public(addr), addr


def test_dns_answer_is_checked(tmp_path):
    with pytest.raises(UrlRefused, match="private"):
        fetch_url("https://looks-public.example/a.mp4", tmp_path, max_bytes=10, timeout_s=5,
                  resolve=lambda host, port: ["93.184.216.34", "10.0.0.7"])
    assert list(tmp_path.iterdir()) == []


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D102
        pass

    def do_GET(self):  # noqa: N802, D102
        if self.path.startswith("/redirect-file"):
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "/clip.mp4")
            self.end_headers()
            return
        super().do_GET()


@pytest.fixture
def file_server(media_dir, tmp_path):
    (media_dir / "big.bin").write_bytes(b"\0" * (3 * 1024 * 1024)) if not (media_dir / "big.bin").exists() else None

    def handler(*a, **k):
        return _Handler(*a, directory=str(media_dir), **k)

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_url_upload_with_private_urls_allowed(tmp_path, file_server):
    with start_embedded(data_dir=tmp_path / "e", allow_private_urls=True,
                        max_upload_bytes=2 * 1024 * 1024) as eng, \
            httpx.Client(base_url=eng.base_url, headers=eng.headers, timeout=30) as api:
        sid = new_session(api)
        url = f"/api/upload-video/nemo_agent/me/{sid}"
        r = api.post(url, json={"urls": [f"{file_server}/clip.mp4", f"{file_server}/redirect"],
                                "source_type": "url"})
        assert r.status_code == 200, r.text
        files = r.json()["data"]["files"]
        assert [f["filename"] for f in files] == ["clip.mp4", "clip.mp4"]
        assert files[0]["duration"] == pytest.approx(2.0, abs=0.15)
        r = api.post(url, json={"urls": [f"{file_server}/big.bin"]})
        assert r.json()["code"] == 4002
        r = api.post(url, json={"urls": [f"{file_server}/redirect-file"]})
        assert r.json()["code"] == 4000 and "http" in r.json()["message"]
        r = api.post(url, json={"urls": [f"{file_server}/missing.mp4"]})
        assert r.json()["code"] == 4000 and "404" in r.json()["message"]
        r = api.post(url, json={"urls": [f"{file_server}/tone.wav"]})
        assert r.json()["data"]["files"][0]["file_type"] == "audio"
        assert list((eng.config.data_dir / "tmp").iterdir()) == []


def test_subtitle_files_are_accepted_and_bad_ones_named_by_line(api, engine, tmp_path):
    sid = new_session(api)
    srt = tmp_path / "talk.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,500\nHello 世界 --> \"ok\"\n", encoding="utf-8")
    vtt = tmp_path / "talk.vtt"
    vtt.write_text("WEBVTT\n\n00:01.000 --> 00:02.000\nA &amp; B\n", encoding="utf-8")
    r = upload(api, sid, srt, vtt)
    assert r.status_code == 200, r.text
    assert [f["file_type"] for f in r.json()["data"]["files"]] == ["subtitles", "subtitles"]
    texts = {u.filename: u.text for u in engine.state.store.upload_infos(sid)}
    assert "Hello 世界 --> \"ok\"" in texts["talk.srt"] and "A & B" in texts["talk.vtt"]
    bad = b"1\n00:00:03,000 --> 00:00:04,000\nA\n\n2\n00:00:03,500 --> 00:00:05,000\nB\n"
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", ("bad.srt", bad))])
    assert r.status_code == 415 and r.json()["code"] == 4001, r.text
    assert "line 6" in r.json()["message"] and "overlap" in r.json()["message"]
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", ("junk.vtt", os.urandom(2048)))])
    assert r.status_code == 415 and "not a subtitle file" in r.json()["message"]
