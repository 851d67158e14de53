"""Tokens, the client id, the credentials file (0600) and keeping the token secret."""

from __future__ import annotations

import json
import logging
import os
import stat

import pytest

import reelterm
from reelterm.client import (
    BackendError,
    BadResponse,
    NemoClient,
    OutOfCredits,
    ReelError,
    StreamBroken,
    TokenInvalid,
)
from reelterm.config import app_paths
from support.scripted_server import (
    ADK_STREAM,
    SECRET,
    ScriptedServer,
    err,
    json_reply,
    ok,
    raw_reply,
    sse_reply,
)

ANON = "/api/auth/anonymous-token"
CREDITS = "/api/credits/balance/simple"


def stored() -> dict:
    return json.loads(app_paths().credentials_file.read_text())


async def test_anonymous_token_is_stored_0600_and_reused(nemo_server: ScriptedServer) -> None:
    async with NemoClient(nemo_server.base_url) as c:
        await c.credits()
        assert c.token_source == "anonymous"
    file = app_paths().credentials_file
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(file.parent.stat().st_mode) == 0o700
    data = stored()
    entry = data["tokens"][nemo_server.base_url]
    assert entry["token"].startswith("nmv_usr_anon") and entry["user_id"].startswith("anon_")
    async with NemoClient(nemo_server.base_url) as c2:
        await c2.credits()
        assert c2.token_source == "stored"
    assert nemo_server.count("POST", ANON) == 1
    a, b = nemo_server.seen("GET", CREDITS)
    assert a.headers["authorization"] == b.headers["authorization"]
    assert a.headers["x-client-id"] == b.headers["x-client-id"] == data["client_id"]
    assert not [p for p in file.parent.iterdir() if p.name.endswith(".tmp")]


async def test_headers_on_every_request(nemo_server: ScriptedServer) -> None:
    async with NemoClient(nemo_server.base_url, skill_source="text-to-ai", skill_platform="cursor") as c:
        await c.create_session()
        await c.credits()
    anon, session, credits = nemo_server.requests
    assert anon.path == ANON and "authorization" not in anon.headers
    for r in (anon, session, credits):
        assert r.headers["x-skill-source"] == "text-to-ai"
        assert r.headers["x-skill-version"] == reelterm.__version__
        assert r.headers["x-skill-platform"] == "cursor"
        assert len(r.headers["x-client-id"]) == 36
    assert session.headers["authorization"] == credits.headers["authorization"]
    assert json.loads(session.body) == {"task_name": "project", "language": "en"}


async def test_token_precedence(nemo_server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    async with NemoClient(nemo_server.base_url) as c:  # stores an anonymous token
        await c.credits()
    monkeypatch.setenv("NEMO_TOKEN", "nmv_usr_envTOKEN")
    async with NemoClient(nemo_server.base_url) as c:
        await c.credits()
        assert c.token_source == "env"
    async with NemoClient(nemo_server.base_url, token="nmv_usr_explicitTOKEN") as c:
        await c.credits()
        assert c.token_source == "explicit"
    monkeypatch.delenv("NEMO_TOKEN")
    async with NemoClient(nemo_server.base_url) as c:
        await c.credits()
        assert c.token_source == "stored"
    auths = [r.headers["authorization"] for r in nemo_server.seen("GET", CREDITS)]
    assert auths[1:3] == ["Bearer nmv_usr_envTOKEN", "Bearer nmv_usr_explicitTOKEN"]
    assert auths[0] == auths[3]
    assert nemo_server.count("POST", ANON) == 1
    assert "envTOKEN" not in app_paths().credentials_file.read_text()


async def test_expired_stored_token_is_replaced(nemo_server: ScriptedServer) -> None:
    file = app_paths().credentials_file
    file.parent.mkdir(parents=True)
    file.write_text(json.dumps({"client_id": "c1d2", "tokens": {nemo_server.base_url: {
        "token": "nmv_usr_old", "user_id": "anon_old", "expires_at": "2001-01-01T00:00:00Z"}}}))
    async with NemoClient(nemo_server.base_url) as c:
        await c.credits()
        assert c.token_source == "anonymous"
    assert stored()["tokens"][nemo_server.base_url]["token"] != "nmv_usr_old"
    assert nemo_server.seen("GET", CREDITS)[0].headers["x-client-id"] == "c1d2"


async def test_tokens_are_kept_per_backend(nemo_server: ScriptedServer) -> None:
    file = app_paths().credentials_file
    file.parent.mkdir(parents=True)
    file.write_text(json.dumps({"client_id": "c1", "tokens": {"https://other.example": {"token": "nmv_other"}}}))
    async with NemoClient(nemo_server.base_url) as c:
        await c.credits()
    assert nemo_server.seen("GET", CREDITS)[0].headers["authorization"] != "Bearer nmv_other"
    assert stored()["tokens"]["https://other.example"]["token"] == "nmv_other"


async def test_broken_credentials_file_is_replaced(nemo_server: ScriptedServer) -> None:
    file = app_paths().credentials_file
    file.parent.mkdir(parents=True)
    file.write_text("{not json")
    async with NemoClient(nemo_server.base_url) as c:
        await c.credits()
    assert stored()["client_id"]
    assert stat.S_IMODE(file.stat().st_mode) == 0o600


async def test_stored_token_dropped_after_1001(nemo_server: ScriptedServer) -> None:
    async with NemoClient(nemo_server.base_url) as c:
        await c.credits()
    first = stored()["tokens"][nemo_server.base_url]["token"]
    nemo_server.on("GET", CREDITS, json_reply(err(1001)), json_reply(ok({"available": 1})))
    async with NemoClient(nemo_server.base_url) as c:
        await c.credits()
    assert stored()["tokens"][nemo_server.base_url]["token"] not in (first, "")
    assert nemo_server.count("POST", ANON) == 2


async def test_token_never_logged_or_in_errors(nemo_server: ScriptedServer, caplog: pytest.LogCaptureFixture,
                                               tmp_path) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[BaseException] = []
    seen_tokens = [SECRET]
    nemo_server.on("GET", CREDITS, json_reply(err(1001, f"token {SECRET} expired")),
                   json_reply(err(1001, "still bad")))
    nemo_server.on("POST", "/api/tasks/*", json_reply(err(2001, "no credits")))
    nemo_server.on("GET", "/api/state/*", raw_reply(b"<html>502 " + SECRET.encode() + b"</html>", status=502))
    nemo_server.on("POST", "/run_sse", sse_reply([ADK_STREAM[:200]], abort=True))

    async def echo_token(request, server):  # a backend that quotes the token it got in its message
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        return await json_reply(err(9001, f"Token {token} may not do this."))(request, server)

    nemo_server.on("POST", "/api/render/proxy/lambda/*", echo_token)
    async with NemoClient(nemo_server.base_url, token=SECRET, rate_limit_wait_s=0.01) as c:
        for call in (c.credits(), c.create_session(), c.state("s1"), c.cancel_render("r1")):
            with pytest.raises(ReelError) as info:
                await call
            errors.append(info.value)
        with pytest.raises(StreamBroken) as info:
            async for _ in c.run_turn("s1", "hi"):
                pass
        errors.append(info.value)
        text_of_client = repr(c) + str(c) + repr(c._t) + repr(c._t.keeper)
    for r in nemo_server.requests:
        auth = r.headers.get("authorization", "")
        if auth:
            seen_tokens.append(auth.removeprefix("Bearer "))
    assert len(set(seen_tokens)) >= 2  # the explicit one and an anonymous one
    assert [type(e) for e in errors] == [TokenInvalid, OutOfCredits, BadResponse, BackendError, StreamBroken]
    assert errors[3].sentence == "Token <hidden> may not do this."  # the backend's own words, token hidden
    texts = [caplog.text, text_of_client]
    for e in errors:
        texts += [str(e), repr(e), e.sentence, e.action, e.detail, str(e.args)]
    for record in caplog.records:
        texts.append(repr(record.__dict__))
    blob = "\n".join(texts)
    for token in set(seen_tokens):
        assert token not in blob
    assert "secret" not in blob.lower()
    assert os.environ.get("NEMO_TOKEN") is None


async def test_a_refused_nemo_token_is_said_as_such_not_as_rate_limiting(
        nemo_server: ScriptedServer, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NEMO_TOKEN", "nmv_usr_typo")
    nemo_server.on("GET", CREDITS, json_reply(err(1001, "token invalid"), 401))
    nemo_server.on("POST", ANON, json_reply(err(429, "slow down"), 429))
    async with NemoClient(nemo_server.base_url, rate_limit_wait_s=30) as c:
        with pytest.raises(TokenInvalid) as info:
            await c.credits()
    assert "refused the token in NEMO_TOKEN" in info.value.sentence
    assert "Set NEMO_TOKEN to a valid token, or unset it" in info.value.action
    assert "wait" not in (info.value.sentence + info.value.action).lower()
    assert "nmv_usr_typo" not in info.value.sentence + info.value.action + info.value.detail
    # the protocol's one anonymous try, refused, and no 30 s wait behind it
    assert nemo_server.count("POST", ANON) == 1 and nemo_server.count("GET", CREDITS) == 1
    assert capsys.readouterr().err == ""


async def test_retries_are_logged_by_reelterm_not_printed(nemo_server: ScriptedServer, capsys, caplog) -> None:
    nemo_server.on("GET", CREDITS, json_reply(err(429, "slow"), 429), json_reply(ok({"available": 1, "frozen": 0,
                                                                                      "total": 1})))
    with caplog.at_level(logging.INFO, logger="reelterm.client"):
        async with NemoClient(nemo_server.base_url, rate_limit_wait_s=0.01) as c:
            assert (await c.credits()).available == 1
    assert capsys.readouterr().err == ""
    assert any("retrying" in r.getMessage() for r in caplog.records if r.name == "reelterm.client")
