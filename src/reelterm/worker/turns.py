"""One message turn's stream: deltas, finals, tool summaries, heartbeats and time limits."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from reelterm.client import ReelError, SessionNotFound, StreamBroken, TurnTimedOut
from reelterm.protocol import (
    BadFrame,
    ErrorCode,
    Heartbeat,
    RunError,
    StateChanged,
    TextDelta,
    TextFinal,
    ToolCalled,
    ToolReturned,
    TurnItem,
)
from reelterm.worker.events import (
    Emit,
    ReplyDelta,
    ReplyFinal,
    StillWorking,
    ToolFinished,
    ToolStarted,
)
from reelterm.worker.lang import is_zh, say, tool_name
from reelterm.worker.options import TurnTimings

log = logging.getLogger("reelterm.worker")


@dataclass
class TurnResult:
    """What one turn produced, for the worker to act on afterwards."""

    text: str = ""
    """The reply's text (the finals joined), empty for a silent turn."""
    tools: list[str] = field(default_factory=list)
    state_deltas: list[dict[str, Any]] = field(default_factory=list)
    run_error: str | None = None
    """The agent's own error message, when the run failed."""
    run_error_code: str | None = None
    """The protocol code said with that message, if any (`"2001"`: out of credits mid-turn)."""
    error: ReelError | None = None
    """A client error that ended the stream (`StreamBroken`, `TurnTimedOut`, …)."""
    timed_out: bool = False

    @property
    def broken(self) -> bool:
        """True when the connection dropped mid-turn."""
        return isinstance(self.error, StreamBroken)

    @property
    def export_requested(self) -> dict[str, Any] | None:
        """The export the agent asked for in a state delta (`{}` for defaults), or None."""
        for delta in self.state_deltas:
            value = delta.get("export_requested")
            if value:
                return dict(value) if isinstance(value, dict) else {}
        return None

    @property
    def draft_changed(self) -> bool:
        """True when some state delta says the draft changed."""
        return any(k in d for d in self.state_deltas for k in ("draft_version", "draft"))


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pretty(name: str) -> str:
    return name.replace("_", " ").strip() or "a tool"


_HINT_KEYS = ("prompt", "text", "title", "caption", "mood", "style", "name", "query", "description")
_REFERENCE = re.compile(r"^(?:[a-z]+:[^\s]+|[a-z]+_[0-9a-f]{6,}|https?://\S+)$", re.IGNORECASE)


def _hint(args: dict[str, Any]) -> str | None:
    def usable(value: Any) -> str | None:
        if isinstance(value, str) and value.strip() and not _REFERENCE.match(value.strip()):
            return value
        return None

    for key in _HINT_KEYS:
        hint = usable(args.get(key))
        if hint:
            return hint
    return next((v for v in map(usable, args.values()) if v), None)


def tool_started_summary(name: str, args: dict[str, Any], lang: str = "en") -> str:
    """`Working: generate video (cat surfing)…` — a short text argument (never an id) as a hint."""
    hint = _hint(args)
    if is_zh(lang):
        tool = tool_name(name, lang)
        return say("Working: {tool} ({hint})…", lang, tool=tool, hint=_short(hint, 40)) if hint else \
            say("Working: {tool}…", lang, tool=tool)
    return f"Working: {_pretty(name)}" + (f" ({_short(hint, 40)})" if hint else "") + "…"


def tool_finished_summary(name: str, response: Any, lang: str = "en") -> tuple[str, bool]:
    """One line on a tool's result, and whether it succeeded; never raw JSON."""
    ok = True
    detail = ""
    if isinstance(response, dict):
        status = str(response.get("status", "")).lower()
        ok = status not in ("error", "failed", "fail") and not response.get("error")
        for key in ("summary", "message", "error", "detail"):
            value = response.get(key)
            if isinstance(value, str) and value.strip():
                detail = _short(value, 80)
                break
    elif isinstance(response, str) and response.strip():
        detail = _short(response, 80)
    word = "done" if ok else "failed"
    if is_zh(lang):
        template = "{tool} " + word + (": {detail}" if detail else ".")
        return say(template, lang, tool=tool_name(name, lang), detail=detail), ok
    return f"{_pretty(name).capitalize()} {word}" + (f": {detail}" if detail else "."), ok


_END = object()


async def stream_turn(items: AsyncIterator[TurnItem], emit: Emit, timings: TurnTimings,
                      clock: Callable[[], float] = time.monotonic, lang: str = "en") -> TurnResult:
    """Consume one turn's items, emitting events (tool lines in `lang`); return what happened.
    Client errors end up in `.error`."""
    result = TurnResult()
    queue: asyncio.Queue[Any] = asyncio.Queue()

    async def pump() -> None:
        try:
            async for item in items:
                await queue.put(item)
            await queue.put(_END)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - handed to the reader
            if not isinstance(exc, ReelError):
                log.warning("turn stream failed unexpectedly", exc_info=exc)
            await queue.put(exc)

    task = asyncio.create_task(pump())
    finals: list[str] = []
    pending = ""
    start = last = clock()
    next_still = last + timings.still_working_s
    try:
        while True:
            now = clock()
            deadline = min(next_still, last + timings.heartbeat_timeout_s, start + timings.turn_timeout_s)
            try:  # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancel (cpython#86296)
                async with asyncio.timeout(max(0.0, deadline - now)):
                    item = await queue.get()
            except TimeoutError:
                item = Heartbeat()
            now = clock()
            if item is _END:
                break
            if isinstance(item, BaseException):
                result.error = item if isinstance(item, ReelError) else ReelError(
                    f"Something went wrong inside reelterm during the turn ({type(item).__name__}).",
                    "Check the timeline before sending the request again, and please report this.")
                if isinstance(item, TurnTimedOut):
                    result.timed_out = True
                break
            if isinstance(item, Heartbeat | BadFrame):
                if now >= start + timings.turn_timeout_s or now >= last + timings.heartbeat_timeout_s:
                    result.timed_out = True
                    result.error = TurnTimedOut()
                    break
                if now >= next_still:
                    emit(StillWorking(elapsed_s=round(now - start, 1), text=say("Still working…", lang)))
                    next_still = now + timings.still_working_s
                continue
            last, next_still = now, now + timings.still_working_s
            if isinstance(item, TextDelta):
                pending += item.text
                emit(ReplyDelta(item.text))
            elif isinstance(item, TextFinal):
                pending = ""
                finals.append(item.text)
                emit(ReplyFinal(item.text))
            elif isinstance(item, ToolCalled):
                result.tools.append(item.name)
                emit(ToolStarted(item.name, tool_started_summary(item.name, item.args, lang)))
            elif isinstance(item, ToolReturned):
                summary, ok = tool_finished_summary(item.name, item.response, lang)
                emit(ToolFinished(item.name, summary, ok=ok))
            elif isinstance(item, StateChanged):
                result.state_deltas.append(dict(item.delta))
            elif isinstance(item, RunError) and item.code == str(int(ErrorCode.SESSION_NOT_FOUND)):
                result.error = SessionNotFound(code=ErrorCode.SESSION_NOT_FOUND)  # said as a frame
                break
            elif isinstance(item, RunError):
                result.run_error, result.run_error_code = item.message, item.code
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        aclose = getattr(items, "aclose", None)
        if aclose is not None:
            with contextlib.suppress(Exception):
                await aclose()
    if pending.strip():
        # The stream ended without the final event: the deltas are all there is.
        finals.append(pending)
        emit(ReplyFinal(pending))
    result.text = "\n\n".join(t for t in finals if t.strip())
    return result
