"""Tokens, client ids, sessions, credits and the error envelope on bad requests."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid

import httpx

from .helpers import new_session


def _token(base: str, cid: str) -> httpx.Response:
    return httpx.post(f"{base}/api/auth/anonymous-token", headers={"X-Client-Id": cid}, timeout=10)


def test_anonymous_token_shape_and_rate_limit(engine):
    cid = str(uuid.uuid4())
    r = _token(engine.base_url, cid)
    assert r.status_code == 200
    body = r.json()
    assert body["code"] == 0 and body["message"]
    data = body["data"]
    assert data["token"].startswith("nmv_usr_") and data["user_id"].startswith("anon_")
    expires = dt.datetime.fromisoformat(data["expires_at"].replace("Z", "+00:00"))
    left = expires - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=6, hours=23) < left <= dt.timedelta(days=7)
    assert data["credits"] is None  # unlimited by default
    again = _token(engine.base_url, cid)
    assert again.status_code == 429
    assert again.json()["code"] == 429 and "30 seconds" in again.json()["message"]
    assert again.headers["retry-after"] == "30"
    assert _token(engine.base_url, str(uuid.uuid4())).status_code == 200
    # the first token still works
    h = {"Authorization": f"Bearer {data['token']}", "X-Client-Id": cid}
    assert httpx.get(f"{engine.base_url}/api/credits/balance/simple", headers=h).json()["code"] == 0


def test_token_window_zero_allows_new_tokens(tmp_path):
    from reelterm.engine.embedded import start_embedded

    with start_embedded(data_dir=tmp_path / "e", token_window_s=0) as eng:
        assert _token(eng.base_url, "c1").status_code == 200
        assert _token(eng.base_url, "c1").status_code == 200


def test_missing_client_id_is_http_400(engine):
    r = httpx.post(f"{engine.base_url}/api/auth/anonymous-token")
    assert r.status_code == 400 and r.json()["code"] == 400
    r = httpx.get(f"{engine.base_url}/api/credits/balance/simple",
                  headers={"Authorization": f"Bearer {engine.token}"})
    assert r.status_code == 400 and "X-Client-Id" in r.json()["message"]


def test_bad_missing_and_expired_tokens_are_1001(engine, api):
    url = f"{engine.base_url}/api/credits/balance/simple"
    for headers in ({"X-Client-Id": "c"}, {"X-Client-Id": "c", "Authorization": "Bearer nope"},
                    {"X-Client-Id": "c", "Authorization": "Basic abc"}):
        r = httpx.get(url, headers=headers)
        assert r.status_code == 401 and r.json() == {"code": 1001, "message": r.json()["message"], "data": None}
    token = _token(engine.base_url, "expiring").json()["data"]["token"]
    h = {"Authorization": f"Bearer {token}", "X-Client-Id": "expiring"}
    assert httpx.get(url, headers=h).status_code == 200
    engine.state.store.expire_token(token)
    r = httpx.get(url, headers=h)
    assert r.status_code == 401 and r.json()["code"] == 1001
    assert api.get("/api/health").status_code == 200


def test_tokens_are_stored_hashed(engine):
    token = _token(engine.base_url, "hashed").json()["data"]["token"]
    raw = engine.config.db_path.read_bytes()
    for wal in engine.config.data_dir.glob("*.sqlite3-wal"):
        raw += wal.read_bytes()
    assert token.encode() not in raw and engine.token.encode() not in raw
    con = sqlite3.connect(engine.config.db_path)
    hashes = [row[0] for row in con.execute("SELECT hash FROM tokens")]
    con.close()
    assert all(len(h) == 64 for h in hashes)


def test_credits_unlimited(api):
    data = api.get("/api/credits/balance/simple").json()["data"]
    assert data["available"] is None and data["total"] is None and data["frozen"] == 0


def test_credits_budget(tmp_path):
    from reelterm.engine.embedded import start_embedded

    with start_embedded(data_dir=tmp_path / "e", credits=7) as eng:
        data = httpx.get(f"{eng.base_url}/api/credits/balance/simple", headers=eng.headers).json()["data"]
        assert data == {"available": 7, "frozen": 0, "total": 7, "unlimited": False}
        tok = _token(eng.base_url, "budget").json()["data"]
        assert tok["credits"] == 7


def test_session_language_and_unknown_sessions(api, engine):
    r = api.post("/api/tasks/me/with-session/nemo_agent", json={"task_name": "project", "language": "zh"})
    data = r.json()["data"]
    assert data["task_id"].startswith("task_") and data["session_id"] and data["user_id"]
    sid = data["session_id"]
    state = api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
    assert state["language"] == "zh"
    assert api.post("/api/tasks/me/with-session/nemo_agent").json()["code"] == 0  # body optional
    for method, path, kwargs in (
        ("GET", "/api/state/nemo_agent/me/nope/latest", {}),
        ("POST", "/api/upload-video/nemo_agent/me/nope", {"json": {"urls": ["https://x.invalid/a.mp4"]}}),
        ("POST", "/run_sse", {"json": {"session_id": "nope", "new_message": {"role": "user", "parts": [{"text": "hi"}]}}}),
        ("POST", "/api/render/proxy/lambda", {"json": {"id": "render_1", "sessionId": "nope", "draft": {}}}),
    ):
        r = api.request(method, path, **kwargs)
        assert r.status_code == 404 and r.json()["code"] == 1002, (path, r.text)
    # another user's session is unknown to this one
    other = _token(engine.base_url, "other").json()["data"]["token"]
    r = httpx.get(f"{engine.base_url}/api/state/nemo_agent/me/{sid}/latest",
                  headers={"Authorization": f"Bearer {other}", "X-Client-Id": "other"})
    assert r.json()["code"] == 1002


def test_bad_bodies_get_envelopes(api):
    for content in (b"{not json", b"[1,2", b"\xff\xfe", b'{"language": 5}', b'{"language": "' + b"x" * 100 + b'"}'):
        r = api.post("/api/tasks/me/with-session/nemo_agent", content=content,
                     headers={"Content-Type": "application/json"})
        assert r.status_code == 422, content
        body = r.json()
        assert body["code"] == 4000 and body["data"] is None and body["message"].endswith(".")
        assert "Traceback" not in r.text
    r = api.get("/no/such/route")
    assert r.status_code == 404 and r.json()["code"] == 404
    r = api.delete("/api/credits/balance/simple")
    assert r.status_code == 405 and r.json()["code"] == 405
    assert new_session(api)


def test_openapi_is_exposed(api):
    spec = api.get("/openapi.json").json()
    for path in ("/api/auth/anonymous-token", "/run_sse", "/api/render/proxy/lambda",
                 "/api/upload-video/nemo_agent/me/{sid}", "/api/state/nemo_agent/me/{sid}/latest"):
        assert path in spec["paths"]


def test_oversized_json_bodies(api):
    sid = new_session(api)
    big = b'{"session_id": "' + sid.encode() + b'", "pad": "' + b"x" * (17 * 1024 * 1024) + b'"}'
    r = api.post("/run_sse", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["code"] == 4000

    def chunks():
        yield b'{"session_id": "x", "pad": "'
        for _ in range(20):
            yield b"x" * (1024 * 1024)
        yield b'"}'

    try:
        r = api.post("/run_sse", content=chunks(), headers={"Content-Type": "application/json"})
        assert r.status_code in (400, 413) and r.json()["code"] == 4000
    except httpx.TransportError:
        pass
    assert api.get("/api/health").status_code == 200


def test_embedded_token_dies_with_its_run(tmp_path):
    from reelterm.engine.embedded import start_embedded

    eng = start_embedded(data_dir=tmp_path / "e")
    token = eng.token
    eng.stop()
    eng.stop()  # idempotent
    with start_embedded(data_dir=tmp_path / "e") as again:
        r = httpx.get(f"{again.base_url}/api/credits/balance/simple",
                      headers={"Authorization": f"Bearer {token}", "X-Client-Id": "x"})
        assert r.json()["code"] == 1001
        assert httpx.get(f"{again.base_url}/api/credits/balance/simple", headers=again.headers).json()["code"] == 0


def test_sessions_survive_a_restart_of_the_embedded_engine(tmp_path, media_dir):
    from reelterm.engine.embedded import start_embedded

    from .helpers import sse_frames, upload

    with start_embedded(data_dir=tmp_path / "e") as eng, \
            httpx.Client(base_url=eng.base_url, headers=eng.headers) as api:
        sid = new_session(api)
        upload(api, sid, media_dir / "clip.mp4", media_dir / "tone.wav")
        sse_frames(api, sid, "merge")
        before = api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
    with start_embedded(data_dir=tmp_path / "e") as eng, \
            httpx.Client(base_url=eng.base_url, headers=eng.headers) as api:
        after = api.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]["state"]
        assert after["draft"] == before["draft"] and after["video_infos"] == [
            {**v, "cdn_url": v["cdn_url"].replace(v["cdn_url"].split("/api/")[0], eng.base_url)}
            for v in before["video_infos"]]
        assert after["messages_received"] == 1


def test_an_internal_error_is_an_envelope_without_a_traceback(engine, api):
    store = engine.state.store
    original = store.check_token

    def broken(token):
        raise RuntimeError("secret detail /home/user/db")

    store.check_token = broken
    try:
        r = api.get("/api/credits/balance/simple")
    finally:
        store.check_token = original
    assert r.status_code == 500 and r.json()["code"] == 500
    assert "secret" not in r.text and "Traceback" not in r.text and r.json()["message"].endswith(".")
    assert api.get("/api/credits/balance/simple").json()["code"] == 0
