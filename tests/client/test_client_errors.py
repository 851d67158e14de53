"""Every error row of protocol.md, over a real socket; retry-once cases counted server-side."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from reelterm.client import (
    BackendError,
    BadResponse,
    ConnectionFailed,
    ExportBlocked,
    FileTooLarge,
    NemoClient,
    OutOfCredits,
    RateLimited,
    ReelError,
    RouteMissing,
    SessionNotFound,
    TokenInvalid,
    UnsupportedFile,
)
from reelterm.config import app_paths
from reelterm.protocol import ErrorCode
from support.scripted_server import HTML_502, SECRET, ScriptedServer, err, json_reply, ok, raw_reply

CREDITS = "/api/credits/balance/simple"
ANON = "/api/auth/anonymous-token"
GOOD_CREDITS = json_reply(ok({"available": 5, "frozen": 0, "total": 5}))


# ---- 1001: new anonymous token, retry once --------------------------------------------------------

async def test_1001_fetches_a_new_token_and_retries_exactly_once(client: NemoClient,
                                                                 nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", CREDITS, json_reply(err(1001, "token expired")), GOOD_CREDITS)
    assert (await client.credits()).available == 5
    assert nemo_server.count("GET", CREDITS) == 2
    assert nemo_server.count("POST", ANON) == 1
    first, second = nemo_server.seen("GET", CREDITS)
    assert first.headers["authorization"] == f"Bearer {SECRET}"
    assert second.headers["authorization"].startswith("Bearer nmv_usr_anon")
    assert client.token_source == "anonymous"


async def test_1001_twice_surfaces_token_invalid(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", CREDITS, json_reply(err(1001, "token expired")))
    with pytest.raises(TokenInvalid) as info:
        await client.credits()
    assert info.value.code == ErrorCode.TOKEN_INVALID
    assert info.value.sentence == ErrorCode.TOKEN_INVALID.sentence
    assert nemo_server.count("GET", CREDITS) == 2
    assert nemo_server.count("POST", ANON) == 1


async def test_http_401_counts_as_1001(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", CREDITS, json_reply({"detail": "Unauthorized"}, status=401), GOOD_CREDITS)
    assert (await client.credits()).available == 5
    assert nemo_server.count("GET", CREDITS) == 2


async def test_1001_with_nemo_token_still_tries_anonymous_once(
        nemo_server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEMO_TOKEN", "nmv_usr_fromENVsecret")
    nemo_server.on("GET", CREDITS, json_reply(err(1001, "expired")), GOOD_CREDITS)
    async with NemoClient(nemo_server.base_url) as c:
        await c.credits()
        assert c.token_source == "anonymous"
    first, second = nemo_server.seen("GET", CREDITS)
    assert first.headers["authorization"] == "Bearer nmv_usr_fromENVsecret"
    assert second.headers["authorization"].startswith("Bearer nmv_usr_anon")


# ---- 1002, 2001, 4001, 4002, 402: typed errors, no retry ------------------------------------------

async def test_1002_session_not_found(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", "/api/state/*", json_reply(err(1002, "session not found")))
    with pytest.raises(SessionNotFound) as info:
        await client.state("old")
    assert info.value.sentence == ErrorCode.SESSION_NOT_FOUND.sentence
    assert info.value.action == ErrorCode.SESSION_NOT_FOUND.action
    assert nemo_server.count("GET", "/api/state/*") == 1


async def test_2001_anonymous_user_gets_the_bind_link(nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/api/tasks/*", json_reply(err(2001, "insufficient credits")))
    async with NemoClient(nemo_server.base_url) as c:
        with pytest.raises(OutOfCredits) as info:
            await c.create_session()
        user = c.user_id
    assert user.startswith("anon_")
    assert info.value.bind_url == f"{nemo_server.base_url}/register?bind={user}"
    assert info.value.bind_url in info.value.action
    assert info.value.sentence == ErrorCode.OUT_OF_CREDITS.sentence
    assert nemo_server.count("POST", "/api/tasks/*") == 1


async def test_2001_bind_link_from_the_backend_wins(client: NemoClient,
                                                    nemo_server: ScriptedServer) -> None:
    body = {"code": 2001, "message": "out", "data": {"register_url": "https://nemo.example/r?bind=anon_9"}}
    nemo_server.on("POST", "/api/tasks/*", json_reply(body))
    with pytest.raises(OutOfCredits) as info:
        await client.create_session()
    assert info.value.bind_url == "https://nemo.example/r?bind=anon_9"


async def test_2001_registered_user_is_told_to_top_up(client: NemoClient,
                                                      nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/api/tasks/*", json_reply(err(2001, "insufficient credits")))
    with pytest.raises(OutOfCredits) as info:
        await client.create_session()
    assert info.value.bind_url is None
    assert "top up" in info.value.action.lower()


@pytest.mark.parametrize(("code", "exc"), [(4001, UnsupportedFile), (4002, FileTooLarge)])
async def test_4001_4002_on_upload(client: NemoClient, nemo_server: ScriptedServer, tmp_path: Path,
                                   code: int, exc: type[ReelError]) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\0" * 1000)
    nemo_server.on("POST", "/api/upload-video/*", json_reply(err(code, "nope")))
    with pytest.raises(exc) as info:
        await client.upload_files("sess_1", [clip])
    assert info.value.code == code
    assert info.value.sentence == ErrorCode(code).sentence
    assert info.value.action == ErrorCode(code).action
    assert nemo_server.count("POST", "/api/upload-video/*") == 1


@pytest.mark.parametrize(("message", "sentence", "action"), [
    ("'clip.mp4' could not be decoded. It may be truncated or damaged: export it again, then upload it.",
     "'clip.mp4' could not be decoded.", "It may be truncated or damaged: export it again, then upload it."),
    ("'Mr. Bean.mp4' is named like a .mp4 file. Check it.", "'Mr. Bean.mp4' is named like a .mp4 file.",
     "Check it."),
    ("'clip.mp4' is not a file reelterm accepts.", "'clip.mp4' is not a file reelterm accepts.",
     ErrorCode.UNSUPPORTED_FILE.action),  # no advice of its own: the formats
    (f"'x.jpeg' is not accepted. {ErrorCode.UNSUPPORTED_FILE.action}", "'x.jpeg' is not accepted.",
     ErrorCode.UNSUPPORTED_FILE.action),  # the formats once, as the action

    ("'" + "IMG_20240512_153012" * 8 + ".mp4' is named like a .mp4 file. Export it again.",
     "'" + "IMG_20240512_153012" * 8 + ".mp4' is named like a .mp4 file.", "Export it again."),  # long name
    ("'Title [abc].mp4' could not be decoded. Export it again.", "'Title [abc].mp4' could not be decoded.",
     "Export it again."),  # brackets inside the name
    ("'Tom\\'s \"best\". Take 2.mp4' is empty. Upload another.", "'Tom\\'s \"best\". Take 2.mp4' is empty.",
     "Upload another."),  # the name as repr() writes it, escapes included
    ("'视频.mp4' 无法解码。请重新导出。", "'视频.mp4' 无法解码。", "请重新导出。"),
])
async def test_a_refused_file_keeps_the_backends_reason_and_advice(
        client: NemoClient, nemo_server: ScriptedServer, tmp_path: Path,
        message: str, sentence: str, action: str) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\0" * 1000)
    nemo_server.on("POST", "/api/upload-video/*", json_reply(err(4001, message)))
    with pytest.raises(UnsupportedFile) as info:
        await client.upload_files("sess_1", [clip])
    assert (info.value.sentence, info.value.action) == (sentence, action)


async def test_402_export_blocked(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/api/render/proxy/lambda", json_reply({"detail": "Payment Required"}, status=402))
    with pytest.raises(ExportBlocked) as info:
        await client.submit_render("sess_1", {"t": []})
    assert "not credits" in info.value.sentence
    assert info.value.status == 402
    assert nemo_server.count("POST", "/api/render/proxy/lambda") == 1


# ---- HTTP 400: new client id, retry once ----------------------------------------------------------

async def test_400_missing_client_id_regenerates_it_and_retries_once(
        client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", CREDITS, json_reply({"detail": "Missing X-Client-Id header"}, status=400),
                   GOOD_CREDITS)
    await client.credits()
    first, second = nemo_server.seen("GET", CREDITS)
    assert first.headers["x-client-id"] != second.headers["x-client-id"]
    assert client.client_id == second.headers["x-client-id"]
    assert app_paths().credentials_file.read_text().count(second.headers["x-client-id"]) == 1


async def test_400_twice_surfaces_backend_error(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", CREDITS, json_reply({"detail": "missing client id"}, status=400))
    with pytest.raises(BackendError) as info:
        await client.credits()
    assert info.value.status == 400
    assert nemo_server.count("GET", CREDITS) == 2


async def test_400_about_something_else_is_not_retried(client: NemoClient,
                                                       nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", CREDITS, json_reply({"detail": "language must be en or zh"}, status=400))
    with pytest.raises(BackendError):
        await client.credits()
    assert nemo_server.count("GET", CREDITS) == 1


# ---- HTTP 429: wait, retry once -------------------------------------------------------------------

async def test_429_waits_then_retries_exactly_once(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", CREDITS, json_reply({"detail": "Too Many Requests"}, status=429), GOOD_CREDITS)
    start = time.monotonic()
    await client.credits()
    assert time.monotonic() - start >= 0.05
    assert nemo_server.count("GET", CREDITS) == 2


async def test_429_twice_surfaces_rate_limited(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", CREDITS, json_reply({"detail": "Too Many Requests"}, status=429))
    with pytest.raises(RateLimited) as info:
        await client.credits()
    assert info.value.code == ErrorCode.HTTP_RATE_LIMITED
    assert nemo_server.count("GET", CREDITS) == 2


async def test_429_on_the_anonymous_token_route(nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", ANON, json_reply({"detail": "one token per client per 7 days"}, status=429))
    async with NemoClient(nemo_server.base_url, rate_limit_wait_s=0.01) as c:
        with pytest.raises(RateLimited):
            await c.credits()
    assert nemo_server.count("POST", ANON) == 2
    assert nemo_server.count("GET", CREDITS) == 0


# ---- bodies that are not the protocol -------------------------------------------------------------

async def test_html_502_is_bad_response_with_status_and_no_page(client: NemoClient,
                                                                nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", CREDITS, raw_reply(HTML_502, status=502))
    with pytest.raises(BadResponse) as info:
        await client.credits()
    assert info.value.status == 502
    text = str(info.value) + repr(info.value) + info.value.action + info.value.detail
    assert "502" in str(info.value)
    assert "nginx" not in text and "<html" not in text
    assert nemo_server.count("GET", CREDITS) == 1


async def test_non_json_200_is_bad_response(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", CREDITS, raw_reply(b"hello there", status=200, content_type="text/plain"))
    with pytest.raises(BadResponse) as info:
        await client.credits()
    assert "hello" not in str(info.value)


async def test_wrong_shape_is_bad_response(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/api/tasks/*", json_reply(ok({"task_id": "t"})))
    with pytest.raises(BadResponse) as info:
        await client.create_session()
    assert info.value.sentence == "The backend's answer about the new session did not have the expected shape."
    assert "task_id" not in str(info.value) + info.value.action


async def test_404_route_missing(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", CREDITS, json_reply({"detail": "Not Found"}, status=404))
    with pytest.raises(RouteMissing) as info:
        await client.credits()
    assert info.value.status == 404 and str(info.value) == "This backend does not offer that feature."
    assert nemo_server.count("GET", CREDITS) == 1  # a missing route is not retried


@pytest.mark.parametrize("status", [422, 500])
async def test_other_json_errors_are_backend_errors(client: NemoClient, nemo_server: ScriptedServer,
                                                    status: int) -> None:
    nemo_server.on("GET", CREDITS, json_reply({"detail": "boom"}, status=status))
    with pytest.raises(BackendError) as info:
        await client.credits()
    assert info.value.status == status and not isinstance(info.value, BadResponse)


async def test_success_false_envelope(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", "/api/render/proxy/lambda/*", json_reply({"success": False, "error": "no such job"}))
    with pytest.raises(BackendError) as info:
        await client.render_status("render_1")
    assert info.value.detail == "no such job"


async def test_unknown_code(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("GET", CREDITS, json_reply(err(7777, "weird")))
    with pytest.raises(BackendError) as info:
        await client.credits()
    assert info.value.code == 7777 and "7777" in str(info.value)


async def test_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with NemoClient(f"http://127.0.0.1:{port}", token=SECRET) as c:
        with pytest.raises(ConnectionFailed) as info:
            await c.credits()
        with pytest.raises(ConnectionFailed):
            await anext(c.run_turn("s", "hi"))
    assert str(port) in str(info.value)


async def test_dns_failure() -> None:
    async with NemoClient("http://no-such-host.invalid", token=SECRET) as c:
        with pytest.raises(ConnectionFailed):
            await c.credits()


async def test_engine_style_envelopes(client: NemoClient, nemo_server: ScriptedServer) -> None:
    """The local engine answers HTTP errors as envelopes whose code repeats the status."""
    nemo_server.on("GET", CREDITS, json_reply(err(404, "There is no such route on this engine."), status=404))
    with pytest.raises(RouteMissing):
        await client.credits()
    nemo_server.on("GET", CREDITS, json_reply(err(500, "The engine hit an internal error."), status=500))
    with pytest.raises(BackendError) as info:
        await client.credits()
    assert info.value.status == 500 and "500" in str(info.value)
    nemo_server.on("GET", "/api/render/proxy/lambda/*", json_reply(err(4004, "There is no such render."), status=404))
    with pytest.raises(BackendError) as info2:
        await client.render_status("render_1")
    assert str(info2.value) == "There is no such render." and info2.value.code == 4004
    nemo_server.on("POST", "/api/tasks/*", json_reply(err(400, "The X-Client-Id header is missing."), status=400),
                   json_reply(ok({"session_id": "s2"})))
    assert (await client.create_session()).session_id == "s2"
    nemo_server.on("POST", "/api/tasks/*", json_reply(err(1002, "gone"), status=404))
    with pytest.raises(SessionNotFound):
        await client.create_session()
