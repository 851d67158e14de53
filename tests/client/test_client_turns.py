"""`/run_sse` over a real socket: ADK frames, heartbeats, bad frames, errors, drops and timeouts."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from reelterm.client import (
    BadResponse,
    NemoClient,
    OutOfCredits,
    SessionNotFound,
    StreamBroken,
    TokenInvalid,
    TurnTimedOut,
)
from reelterm.protocol import (
    BadFrame,
    Heartbeat,
    RunError,
    StateChanged,
    TextDelta,
    TextFinal,
    ToolCalled,
    ToolReturned,
)
from support.scripted_server import (
    ADK_STREAM,
    ADK_TURN_ITEMS,
    BAD_ERROR_FRAME,
    HEARTBEATS,
    HTML_502,
    SECRET,
    ScriptedServer,
    err,
    json_reply,
    raw_reply,
    sse_reply,
)


async def collect(client: NemoClient, text: str = "make a cat video") -> list:
    return [item async for item in client.run_turn("sess_1", text)]


async def test_adk_frames_verbatim(client: NemoClient, nemo_server: ScriptedServer) -> None:
    items = await collect(client)
    assert items == ADK_TURN_ITEMS
    (post,) = nemo_server.seen("POST", "/run_sse")
    assert json.loads(post.body) == {
        "app_name": "nemo_agent", "user_id": "me", "session_id": "sess_1",
        "new_message": {"role": "user", "parts": [{"text": "make a cat video"}]}, "streaming": True,
    }
    assert post.headers["accept"] == "text/event-stream"
    assert post.headers["authorization"] == f"Bearer {SECRET}"


async def test_every_heartbeat_form_is_a_heartbeat_never_text(client: NemoClient,
                                                               nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/run_sse", sse_reply([HEARTBEATS, ADK_STREAM.split("\n\n")[2] + "\n\n",
                                                  HEARTBEATS]))
    items = await collect(client)
    # The `: ping` comment is dropped by httpx-sse; the three other forms arrive as Heartbeat.
    assert items == [Heartbeat(), Heartbeat(), Heartbeat(), TextDelta("Done! "),
                     Heartbeat(), Heartbeat(), Heartbeat()]


async def test_invalid_json_error_frame_and_bad_frames_do_not_stop_the_stream(
        client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/run_sse", sse_reply([
        "data: {not json at all\n\n",
        "data: [1, 2]\n\n",
        BAD_ERROR_FRAME,
        'data: {"error": "model overloaded", "error_details": {"kind": "x"}}\n\n',
        ADK_STREAM,
    ]))
    items = await collect(client)
    assert isinstance(items[0], BadFrame) and isinstance(items[1], BadFrame)
    assert isinstance(items[2], RunError)
    assert items[3] == RunError("model overloaded", details={"kind": "x"})
    assert items[-1] == TextFinal("Done! Your clip is on the timeline.")


async def test_json_error_body_on_run_sse_is_the_typed_error(client: NemoClient,
                                                              nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/run_sse", json_reply(err(1002, "session gone"), status=200))
    with pytest.raises(SessionNotFound):
        await collect(client)
    nemo_server.on("POST", "/run_sse", json_reply(err(2001, "no credits"), status=403))
    with pytest.raises(OutOfCredits):
        await collect(client)
    assert nemo_server.count("POST", "/run_sse") == 2


async def test_html_502_on_run_sse_is_bad_response_without_the_page(
        client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/run_sse", raw_reply(HTML_502, status=502))
    with pytest.raises(BadResponse) as info:
        await collect(client)
    assert info.value.status == 502
    assert "502" in str(info.value) and "nginx" not in str(info.value) and "<" not in repr(info.value)
    assert nemo_server.count("POST", "/run_sse") == 1


async def test_json_200_that_is_not_a_stream_is_bad_response(client: NemoClient,
                                                             nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/run_sse", json_reply({"code": 0, "data": {}}))
    with pytest.raises(BadResponse):
        await collect(client)


async def test_abrupt_close_is_stream_broken_and_never_reposted(client: NemoClient,
                                                                 nemo_server: ScriptedServer) -> None:
    first_two = "".join(ADK_STREAM.split("\n\n")[i] + "\n\n" for i in range(2))
    nemo_server.on("POST", "/run_sse", sse_reply([first_two], abort=True))
    seen = []
    with pytest.raises(StreamBroken) as info:
        async for item in client.run_turn("sess_1", "hi"):
            seen.append(item)
    assert [type(i) for i in seen] == [ToolCalled, ToolReturned, StateChanged]
    assert "again" in info.value.action
    await asyncio.sleep(0.2)
    assert nemo_server.count("POST", "/run_sse") == 1


async def test_1001_before_the_stream_refreshes_the_token_and_posts_once_more(
        client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/run_sse", json_reply(err(1001, "expired"), status=401), sse_reply(ADK_STREAM))
    items = await collect(client)
    assert items[-1] == TextFinal("Done! Your clip is on the timeline.")
    assert nemo_server.count("POST", "/run_sse") == 2
    assert nemo_server.count("POST", "/api/auth/anonymous-token") == 1
    second = nemo_server.seen("POST", "/run_sse")[1]
    assert second.headers["authorization"].startswith("Bearer nmv_usr_anon")


async def test_1001_twice_on_run_sse_surfaces_token_invalid(client: NemoClient,
                                                            nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/run_sse", json_reply(err(1001, "expired")))
    with pytest.raises(TokenInvalid):
        await collect(client)
    assert nemo_server.count("POST", "/run_sse") == 2


async def test_429_on_run_sse_is_not_retried(client: NemoClient, nemo_server: ScriptedServer) -> None:
    from reelterm.client import RateLimited

    nemo_server.on("POST", "/run_sse", json_reply({"detail": "slow down"}, status=429))
    with pytest.raises(RateLimited):
        await collect(client)
    assert nemo_server.count("POST", "/run_sse") == 1


async def test_heartbeat_only_stream_times_out(nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/run_sse", sse_reply(["data:\n\n"], repeat_last_every=0.05))
    async with NemoClient(nemo_server.base_url, token=SECRET, idle_timeout_s=0.5) as c:
        start = time.monotonic()
        beats = 0
        with pytest.raises(TurnTimedOut):
            async for item in c.run_turn("sess_1", "hi"):
                assert item == Heartbeat()
                beats += 1
        assert 0.4 < time.monotonic() - start < 3
        assert beats >= 3


async def test_comment_only_stream_does_not_hang(nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/run_sse", sse_reply([": ping\n\n"], repeat_last_every=0.05))
    async with NemoClient(nemo_server.base_url, token=SECRET, idle_timeout_s=0.4) as c:
        with pytest.raises(TurnTimedOut, match="only keep-alive signals"):
            await collect(c)
    assert nemo_server.count("POST", "/run_sse") == 1


async def test_silent_stream_hits_the_read_timeout(nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/run_sse", sse_reply([ADK_STREAM.split("\n\n")[2] + "\n\n"], hold=5))
    async with NemoClient(nemo_server.base_url, token=SECRET, read_timeout_s=0.3) as c:
        with pytest.raises(TurnTimedOut, match="sent nothing"):
            await collect(c)
    assert nemo_server.count("POST", "/run_sse") == 1


async def test_whole_turn_bound(nemo_server: ScriptedServer) -> None:
    delta = ADK_STREAM.split("\n\n")[2] + "\n\n"
    nemo_server.on("POST", "/run_sse", sse_reply([delta], repeat_last_every=0.05))
    async with NemoClient(nemo_server.base_url, token=SECRET, turn_timeout_s=0.5) as c:
        seen = 0
        with pytest.raises(TurnTimedOut) as info:
            async for _item in c.run_turn("sess_1", "hi"):
                seen += 1
        assert seen >= 3
        assert "did not finish within" in str(info.value)
    assert nemo_server.count("POST", "/run_sse") == 1


async def test_consumer_may_stop_early(client: NemoClient, nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/run_sse", sse_reply([ADK_STREAM], repeat_last_every=0.05))
    async for item in client.run_turn("sess_1", "hi"):
        if isinstance(item, TextFinal):
            break
    assert nemo_server.count("POST", "/run_sse") == 1
    assert (await client.credits()).available == 90


async def test_error_envelope_as_a_frame_is_a_run_error(client: NemoClient,
                                                        nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/run_sse", sse_reply(['data: {"code": 2001, "message": "no credits"}\n\n',
                                                  ADK_STREAM]))
    items = await collect(client)
    assert items[0] == RunError("You are out of credits.", code="2001")
    assert items[-1] == TextFinal("Done! Your clip is on the timeline.")


async def test_cancelling_the_task_closes_the_stream(client: NemoClient,
                                                     nemo_server: ScriptedServer) -> None:
    nemo_server.on("POST", "/run_sse", sse_reply(["data:\n\n"], repeat_last_every=0.02))
    got: list = []

    async def consume() -> None:
        async for item in client.run_turn("sess_1", "hi"):
            got.append(item)

    task = asyncio.create_task(consume())
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert got and all(isinstance(i, Heartbeat) for i in got)
    assert nemo_server.count("POST", "/run_sse") == 1
    assert (await client.credits()).total == 100
