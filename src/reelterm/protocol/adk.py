"""Google ADK events as `/run_sse` sends them, and the frame parser that never raises."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel


class _Camel(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, alias_generator=to_camel)

    def wire(self) -> dict[str, Any]:
        """JSON-ready data with camelCase keys and `None`s left out, as ADK sends it."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


class FunctionCall(_Camel):
    """A tool the agent calls."""

    id: str | None = None
    name: str = ""
    args: dict[str, Any] = Field(default_factory=dict)


class FunctionResponse(_Camel):
    """A tool's result."""

    id: str | None = None
    name: str = ""
    response: Any = None


class Part(_Camel):
    """One part of a message: text, a function call or a function response."""

    text: str | None = None
    function_call: FunctionCall | None = None
    function_response: FunctionResponse | None = None


class Content(_Camel):
    """A message: its role and parts."""

    role: str | None = None
    parts: list[Part] = Field(default_factory=list)


class Actions(_Camel):
    """Side effects of an event; `state_delta` holds session state changes."""

    state_delta: dict[str, Any] = Field(default_factory=dict)


class AdkEvent(_Camel):
    """One ADK Event, camelCase on the wire."""

    content: Content | None = None
    partial: bool | None = None
    turn_complete: bool | None = None
    finish_reason: str | None = None
    invocation_id: str | None = None
    author: str | None = None
    id: str | None = None
    timestamp: float | None = None
    actions: Actions | None = None
    error_code: str | None = None
    error_message: str | None = None

    @property
    def text(self) -> str:
        """The event's text parts joined."""
        if self.content is None:
            return ""
        return "".join(p.text for p in self.content.parts if p.text)

    @property
    def function_calls(self) -> list[FunctionCall]:
        """Tool calls in this event."""
        return [p.function_call for p in self.content.parts if p.function_call] if self.content else []

    @property
    def function_responses(self) -> list[FunctionResponse]:
        """Tool results in this event."""
        if self.content is None:
            return []
        return [p.function_response for p in self.content.parts if p.function_response]

    @property
    def state_delta(self) -> dict[str, Any]:
        """Session state changes carried by this event."""
        return self.actions.state_delta if self.actions else {}


class RunSseRequest(_Camel):
    """Body of `POST /run_sse` (sent snake_case; ADK accepts both)."""

    app_name: str = "nemo_agent"
    user_id: str = "me"
    session_id: str
    new_message: Content
    streaming: bool = True

    @classmethod
    def for_text(cls, session_id: str, text: str) -> RunSseRequest:
        """The request that sends one user message."""
        return cls(session_id=session_id, new_message=Content(role="user", parts=[Part(text=text)]))

    def snake(self) -> dict[str, Any]:
        """The body as the seeds send it: snake_case at the top level."""
        return {"app_name": self.app_name, "user_id": self.user_id, "session_id": self.session_id,
                "new_message": self.new_message.wire(), "streaming": self.streaming}


# ---- what a frame is, once parsed -------------------------------------------------------------

@dataclass(frozen=True)
class Heartbeat:
    """A keep-alive: an SSE comment, an empty `data:`, `event: heartbeat` or `{"type": "heartbeat"}`."""


@dataclass(frozen=True)
class BadFrame:
    """A frame that is not valid JSON or not an event; the stream goes on."""

    raw: str
    reason: str


@dataclass(frozen=True)
class RunError:
    """The run failed: the `{"error": ...}` frame, or an event with `errorCode`/`errorMessage`."""

    message: str
    code: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


Frame = Heartbeat | BadFrame | RunError | AdkEvent
"""Anything one SSE frame can turn into."""


def parse_frame(data: str, event: str = "message") -> Frame:
    """Turn one SSE frame into a `Frame`; never raises."""
    if event and event.lower() in ("heartbeat", "ping", "keepalive", "keep-alive"):
        return Heartbeat()
    text = data.strip()
    if not text:
        return Heartbeat()
    try:
        obj = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        if text.lstrip().startswith('{"error"') or text.lstrip().startswith("{'error'"):
            return RunError(message="The agent failed while working on your request.")
        return BadFrame(raw=text[:500], reason="not valid JSON")
    if not isinstance(obj, dict):
        return BadFrame(raw=text[:500], reason="not a JSON object")
    if str(obj.get("type", "")).lower() in ("heartbeat", "ping", "keepalive"):
        return Heartbeat()
    if "error" in obj and "content" not in obj:
        details = obj.get("error_details") or obj.get("errorDetails") or {}
        details = details if isinstance(details, dict) else {}
        code = details.get("code")  # the local engine says which protocol error it was (2001, …)
        code = str(code) if isinstance(code, int) and not isinstance(code, bool) else None
        return RunError(message=_short(obj.get("error")), details=details, code=code)
    try:
        evt = AdkEvent.model_validate(obj)
    except (ValidationError, RecursionError) as exc:
        return BadFrame(raw=text[:500], reason=f"not an ADK event ({type(exc).__name__})")
    if (evt.error_code or evt.error_message) and not evt.text:
        return RunError(message=_short(evt.error_message or evt.error_code), code=evt.error_code)
    return evt


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text[:300] if text else "The agent reported an error."


# ---- what a turn is, as the client hands it on ------------------------------------------------

@dataclass(frozen=True)
class TextDelta:
    """A streamed piece of the reply, to append."""

    text: str


@dataclass(frozen=True)
class TextFinal:
    """The reply's whole text: it replaces the deltas streamed before it."""

    text: str


@dataclass(frozen=True)
class ToolCalled:
    """The agent started a tool."""

    id: str | None
    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class ToolReturned:
    """A tool finished."""

    id: str | None
    name: str
    response: Any


@dataclass(frozen=True)
class StateChanged:
    """The event carried `actions.stateDelta`."""

    delta: dict[str, Any]


TurnItem = TextDelta | TextFinal | ToolCalled | ToolReturned | StateChanged | Heartbeat | BadFrame | RunError
"""What the client yields while a turn streams."""


def turn_items(event: AdkEvent) -> list[TurnItem]:
    """Split one ADK event into turn items, in order."""
    items: list[TurnItem] = []
    for call in event.function_calls:
        items.append(ToolCalled(call.id, call.name, call.args))
    for resp in event.function_responses:
        items.append(ToolReturned(resp.id, resp.name, resp.response))
    if event.state_delta:
        items.append(StateChanged(dict(event.state_delta)))
    text = event.text
    if text and (event.content is None or event.content.role != "user"):
        items.append(TextDelta(text) if event.partial else TextFinal(text))
    return items
