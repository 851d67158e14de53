"""Reading one `/run_sse` turn: check the answer before streaming, then bounded, defensive frames."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
from httpx_sse import EventSource, SSEError

from reelterm.client._errors import BadResponse, StreamBroken, TurnTimedOut
from reelterm.client._responses import interpret, read_error_body
from reelterm.protocol import (
    AdkEvent,
    ErrorCode,
    Heartbeat,
    RunError,
    TurnItem,
    parse_frame,
    turn_items,
)


async def check_stream_start(response: httpx.Response) -> None:
    """Raise the typed error unless the answer is a 2xx `text/event-stream`; reads at most 64 KB."""
    ctype = response.headers.get("content-type", "")
    if 200 <= response.status_code < 300 and "text/event-stream" in ctype.lower():
        return
    interpret(response.status_code, ctype, await read_error_body(response))
    raise BadResponse(f"The backend did not start a reply stream (HTTP {response.status_code}).",
                      "Check that the backend address points at a NemoVideo backend.",
                      status=response.status_code)


def _envelope_error(data: str) -> RunError | None:
    """A protocol error envelope sent as a frame (`{"code": 1001, ...}`) becomes a `RunError`."""
    if '"code"' not in data or '"content"' in data:
        return None
    try:
        obj = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not isinstance(obj, dict) or "content" in obj:
        return None
    code = obj.get("code")
    if not isinstance(code, int) or isinstance(code, bool) or code == 0:
        return None
    known = ErrorCode.from_value(code)
    return RunError(message=known.sentence if known else f"The backend reported an error (code {code}).",
                    code=str(code))


def _minutes(seconds: float) -> str:
    if seconds >= 90:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds:.0f} seconds"


async def iter_turn(
    source: EventSource,
    *,
    deadline: float,
    idle_timeout_s: float,
    turn_timeout_s: float,
    read_timeout_s: float,
) -> AsyncIterator[TurnItem]:
    """Yield the turn's items until the stream closes.

    Heartbeats (and SSE comments, which httpx-sse drops) do not count as progress: a turn with
    nothing but keep-alives for `idle_timeout_s`, or lasting past `deadline`, raises
    `TurnTimedOut`. A dropped connection raises `StreamBroken`.
    """
    loop = asyncio.get_running_loop()
    last_progress = loop.time()
    frames = source.aiter_sse()
    try:
        while True:
            by_deadline = deadline <= last_progress + idle_timeout_s
            limit = deadline if by_deadline else last_progress + idle_timeout_s
            try:
                async with asyncio.timeout_at(limit):
                    sse = await anext(frames)
            except StopAsyncIteration:
                return
            except TimeoutError:
                if by_deadline:
                    raise TurnTimedOut(f"The agent did not finish within {_minutes(turn_timeout_s)}.") from None
                raise TurnTimedOut(
                    f"The agent sent only keep-alive signals for {_minutes(idle_timeout_s)}."
                ) from None
            except httpx.ReadTimeout:
                raise TurnTimedOut(f"The agent sent nothing for {_minutes(read_timeout_s)}.") from None
            except (httpx.TransportError, httpx.StreamError, SSEError):
                raise StreamBroken() from None
            frame = _envelope_error(sse.data) or parse_frame(sse.data, sse.event)
            if isinstance(frame, Heartbeat):
                yield frame
                continue
            last_progress = loop.time()
            if isinstance(frame, AdkEvent):
                for item in turn_items(frame):
                    yield item
            else:
                yield frame
    finally:
        await frames.aclose()
