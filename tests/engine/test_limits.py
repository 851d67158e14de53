"""Every documented draft limit, at the boundary and just past it, through the real render route."""

from __future__ import annotations

import pytest

from reelterm.protocol.draft import (
    MAX_DURATION_MS,
    MAX_SEGMENTS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    MAX_TRACKS,
    DraftError,
    validate_local_draft,
)

from .helpers import new_session


def _draft(**top) -> dict:
    draft = {"t": [{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "color:#102030"}]}], **top}
    return draft


def _seg(**fields) -> dict:
    return {"t": [{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "color:#102030", **fields}]}]}


def _text(text: str) -> dict:
    return {"t": [{"tt": 7, "sg": [{"s": 0, "d": 1000, "m": {"text": text}}]}]}


def _segments(n: int) -> dict:
    return {"t": [{"tt": 0, "sg": [{"s": i, "d": 1, "src": "color:#000000"} for i in range(n)]}]}


def _tracks(n: int) -> dict:
    return {"t": [{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "color:#000000"}]} for _ in range(n)]}


CASES = [
    # (name, at the boundary: accepted, just past it: refused, words in the refusal)
    ("top-level d", _draft(d=MAX_DURATION_MS), _draft(d=MAX_DURATION_MS + 1), "4-hour limit"),
    ("d of 1e14", _draft(d=0), _draft(d=1e14), "4-hour limit"),
    ("d of 1e308", _draft(d=1), _draft(d=1e308), "not a time"),
    ("negative d", _draft(d=0), _draft(d=-1), "outside 0 ms"),
    ("segment d", _seg(d=MAX_DURATION_MS), _seg(d=MAX_DURATION_MS + 1), "4-hour limit"),
    ("segment start", _seg(s=MAX_DURATION_MS - 1000), _seg(s=MAX_DURATION_MS - 999), "4-hour limit"),
    ("in-point", _seg(**{"in": MAX_DURATION_MS}), _seg(**{"in": MAX_DURATION_MS + 1}), "4-hour limit"),
    ("huge in-point", _seg(**{"in": 0}), _seg(**{"in": "1e400"}), "out-of-range in"),
    ("negative start", _seg(s=0), _seg(s=-1), "negative time"),
    ("volume", _seg(m={"volume": 2.0}), _seg(m={"volume": 2.01}), "0-200%"),
    ("negative volume", _seg(m={"volume": 0}), _seg(m={"volume": -0.01}), "0-200%"),
    ("fade", _seg(m={"fade_in": 1000}), _seg(m={"fade_in": 1001}), "longer than the segment"),
    ("width", _draft(m={"width": 4096, "height": 16}), _draft(m={"width": 4098, "height": 16}), "16-4096"),
    ("height", _draft(m={"width": 16, "height": 16}), _draft(m={"width": 16, "height": 14}), "16-4096"),
    ("fps", _draft(m={"fps": 60}), _draft(m={"fps": 61}), "1-60"),
    ("text", _text("x" * MAX_TEXT_CHARS), _text("x" * (MAX_TEXT_CHARS + 1)), f"{MAX_TEXT_CHARS} characters"),
    ("title", _draft(m={"title": "t" * MAX_TITLE_CHARS}), _draft(m={"title": "t" * (MAX_TITLE_CHARS + 1)}),
     f"limit is {MAX_TITLE_CHARS}"),
    ("segments", _segments(MAX_SEGMENTS), _segments(MAX_SEGMENTS + 1), f"limit is {MAX_SEGMENTS}"),
    ("tracks", _tracks(MAX_TRACKS), _tracks(MAX_TRACKS + 1), f"limit is {MAX_TRACKS}"),
]


@pytest.mark.parametrize(("name", "ok", "bad", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_draft_limit_at_and_past_the_boundary(name, ok, bad, words):
    validate_local_draft(ok)
    with pytest.raises(DraftError) as info:
        validate_local_draft(bad)
    assert words in str(info.value), str(info.value)


def test_the_render_route_refuses_before_queueing(api, engine):
    sid = new_session(api)

    def submit(draft: dict) -> tuple[int, dict]:
        r = api.post("/api/render/proxy/lambda",
                     json={"sessionId": sid, "draft": draft, "output": {"format": "mp4", "quality": "draft"}})
        return r.status_code, r.json()

    for bad in (_draft(d=1e14), _draft(d="1e308"), _draft(d=MAX_DURATION_MS + 1)):
        status, body = submit(bad)
        assert status == 422 and body["code"] == 4000, body
        assert "cannot be rendered" in body["message"]
    assert engine.state.store.db.one("SELECT COUNT(*) AS n FROM renders")["n"] == 0  # nothing was queued
    status, body = submit(_draft(d=1000))
    assert status == 200 and body["data"]["status"] == "pending"


def test_openapi_documents_real_statuses_and_content_types(api):
    spec = api.get("/openapi.json").json()
    paths = spec["paths"]
    sse = paths["/run_sse"]["post"]["responses"]
    assert "text/event-stream" in sse["200"]["content"] and {"401", "403", "404", "413", "422"} <= set(sse)
    download = paths["/api/render/proxy/{job_id}/download"]["get"]["responses"]
    assert "video/mp4" in download["200"]["content"] and {"206", "404", "416"} <= set(download)
    upload = paths["/api/upload-video/nemo_agent/me/{sid}"]["post"]["responses"]
    assert {"413", "415", "503"} <= set(upload)
    assert all("500" in op["responses"] for item in paths.values() for op in item.values())


def test_the_status_route_does_not_swallow_cancel(api):
    sid = new_session(api)
    draft = {"m": {"width": 64, "height": 64}, "t": [{"tt": 0, "sg": [{"s": 0, "d": 500, "src": "color:#000000"}]}]}
    job = api.post("/api/render/proxy/lambda", json={"sessionId": sid, "draft": draft,
                                                      "output": {"format": "mp4", "quality": "draft"}}).json()
    job_id = job["data"]["id"]
    r = api.get(f"/api/render/proxy/lambda/{job_id}/cancel")
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    r = api.request("OPTIONS", f"/api/render/proxy/lambda/{job_id}/cancel")
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    assert api.post(f"/api/render/proxy/lambda/{job_id}/cancel").json()["data"]["status"] in (
        "cancelled", "completed", "processing")
    assert api.get(f"/api/render/proxy/lambda/{job_id}").json()["data"]["id"] == job_id


@pytest.mark.parametrize("flag", ["--render-lease", "--max-upload-mb", "--url-timeout", "--max-url-fetches",
                                  "--render-workers"])
def test_serve_flags_at_and_past_their_limits(flag, tmp_path):
    from reelterm.cli import serve_cmd
    from reelterm.cli.main import build_parser

    top = serve_cmd.LIMITS[flag]
    value = f"{top:.0f}"
    args = build_parser().parse_args(["serve", flag, value])
    assert serve_cmd._options_problem(args) is None
    serve_cmd.engine_config(args, tmp_path, None)  # at the limit: a usable config
    past = str(int(top) + 1) if flag in ("--max-url-fetches", "--render-workers") else "1e308"
    problem = serve_cmd._options_problem(build_parser().parse_args(["serve", flag, past]))
    assert problem is not None and flag in problem and f"at most {top:.0f}" in problem
    if flag == "--max-url-fetches":
        args = build_parser().parse_args(["serve", flag, "7"])
        assert serve_cmd.engine_config(args, tmp_path, None).max_url_fetches == 7
