"""Helpers for the engine tests: tiny media, sessions, uploads, SSE frames."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx


def ffmpeg() -> str:
    """The bundled ffmpeg."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def make_media(path: Path, kind: str = "video", seconds: float = 1.0, size: str = "64x64") -> Path:
    """A tiny real file: `video` (no audio), `av` (video+audio), `audio`, `image`."""
    src = {
        "video": ["-f", "lavfi", "-i", f"testsrc=size={size}:rate=10:duration={seconds}"],
        "av": ["-f", "lavfi", "-i", f"testsrc=size={size}:rate=10:duration={seconds}",
               "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"],
        "audio": ["-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}"],
        "image": ["-f", "lavfi", "-i", f"testsrc=size={size}:duration=0.1", "-frames:v", "1"],
    }[kind]
    extra = ["-pix_fmt", "yuv420p"] if kind in ("video", "av") else []
    subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", *src, *extra, str(path)],
                   check=True, timeout=60)
    return path


def new_session(api: httpx.Client, language: str = "en") -> str:
    """Create a session; its id."""
    r = api.post("/api/tasks/me/with-session/nemo_agent", json={"task_name": "project", "language": language})
    assert r.status_code == 200, r.text
    return r.json()["data"]["session_id"]


def upload(api: httpx.Client, sid: str, *paths: Path) -> httpx.Response:
    """Upload files (multipart field `files`)."""
    files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]
    return api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=files)


def sse_frames(api: httpx.Client, sid: str, text: str) -> list[str]:
    """The raw SSE frames of one turn (comments included), split on blank lines."""
    body = {"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
            "new_message": {"role": "user", "parts": [{"text": text}]}, "streaming": True}
    with api.stream("POST", "/run_sse", json=body, headers={"Accept": "text/event-stream"}) as r:
        assert r.status_code == 200, r.read()
        assert r.headers["content-type"].startswith("text/event-stream")
        raw = r.read().decode()
    return [f for f in raw.split("\n\n") if f]


def make_pdf(path: Path, text: str) -> Path:
    """A one-page PDF with `text` in Helvetica (ASCII only)."""
    stream = f"BT /F1 18 Tf 40 100 Td ({text}) Tj ET".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(out)
    return path


def make_docx(path: Path, text: str) -> Path:
    """A DOCX with one paragraph."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(text)
    doc.save(str(path))
    return path


def raw_multipart(parts: list[tuple[bytes, bytes]], boundary: bytes = b"XyZbOuNdArY") -> tuple[bytes, str]:
    """A multipart body built by hand, so file names can hold any bytes: [(filename, content)]."""
    body = b""
    for name, content in parts:
        body += (b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                 + name + b"\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + b"\r\n")
    body += b"--" + boundary + b"--\r\n"
    return body, f"multipart/form-data; boundary={boundary.decode()}"


def wait_render(api: httpx.Client, job_id: str, timeout: float = 60, until=("completed", "failed", "cancelled")) -> dict:
    """Poll a render until its status is in `until`."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        r = api.get(f"/api/render/proxy/lambda/{job_id}")
        assert r.status_code == 200, r.text
        data = r.json()["data"]
        if data["status"] in until:
            return data
        assert time.monotonic() < deadline, data
        time.sleep(0.1)


def decode(path: Path, frames: bool = True) -> dict:
    """Duration (s), stream types, and decoded frames (or video packets) of a file, with PyAV."""
    import av

    with av.open(str(path)) as c:
        kinds = sorted(s.type for s in c.streams)
        out = {"duration": (c.duration or 0) / 1e6, "streams": kinds,
               "width": c.streams.video[0].width if c.streams.video else None}
        if c.streams.video:
            if frames:
                out["frames"] = sum(1 for _ in c.decode(video=0))
            else:
                out["packets"] = sum(1 for p in c.demux(video=0) if p.size)
        return out


def ffmpeg_children() -> list[int]:
    """Pids of ffmpeg processes this test process started that are still running (Linux /proc)."""
    import os

    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, _, rest = stat.read_text().partition(") ")
        except OSError:
            continue  # it ended while we looked
        fields = rest.split()
        if "ffmpeg" in name and fields[0] != "Z" and int(fields[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found
