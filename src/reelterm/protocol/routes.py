"""Request and response bodies of every route in protocol.md (the `data` inside the envelope)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from reelterm.protocol.draft import Draft

APP_NAME = "nemo_agent"
"""The ADK app name every route carries."""


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class AnonymousToken(_Lenient):
    """`POST /api/auth/anonymous-token`."""

    token: str = Field(repr=False)
    user_id: str = ""
    expires_at: str | None = None
    credits: int | float | None = None

    def __str__(self) -> str:
        return f"AnonymousToken(user_id={self.user_id!r}, token=<hidden>)"


class SessionRequest(_Lenient):
    """Body of `POST /api/tasks/me/with-session/nemo_agent`."""

    task_name: str = "project"
    language: str = "en"


class SessionInfo(_Lenient):
    """A created session."""

    task_id: str = ""
    session_id: str
    user_id: str = ""


class UploadedFile(_Lenient):
    """One file the backend accepted."""

    filename: str = ""
    file_type: str = ""
    cdn_url: str = ""
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    hash: str = ""
    id: str = ""


class UploadResult(_Lenient):
    """`POST /api/upload-video/nemo_agent/me/<sid>`."""

    files: list[UploadedFile] = Field(default_factory=list)
    session_state_applied: bool = False


class UrlUploadRequest(_Lenient):
    """Body of an upload by URL."""

    urls: list[str]
    source_type: Literal["url"] = "url"


class Credits(_Lenient):
    """`GET /api/credits/balance/simple`; `None` available means unlimited."""

    available: float | None = None
    frozen: float = 0
    total: float | None = None

    @property
    def unlimited(self) -> bool:
        """True when the backend sets no budget."""
        return self.available is None


class SessionState(_Lenient):
    """`state` of `GET /api/state/nemo_agent/me/<sid>/latest`."""

    draft: Draft | None = None
    video_infos: list[Any] = Field(default_factory=list)
    generated_media: list[Any] = Field(default_factory=list)
    canvas_config: Any = None
    video_analyses: Any = None

    @model_validator(mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        if isinstance(value, dict):
            value = dict(value)
            for key in ("video_infos", "generated_media"):
                item = value.get(key)
                if item is None:
                    value[key] = []
                elif isinstance(item, dict):
                    value[key] = list(item.values())
            if not isinstance(value.get("draft"), dict | Draft | None):
                value["draft"] = None
        return value


class StateResponse(_Lenient):
    """The `data` of the state route."""

    state: SessionState = Field(default_factory=SessionState)


class RenderOutput(_Lenient):
    """The `output` of a render request."""

    format: str = "mp4"
    quality: str = "high"


class SessionSummary(_Lenient):
    """One session in the local engine's `GET /api/sessions/nemo_agent/me` (not on the hosted API)."""

    session_id: str
    title: str = ""
    messages: int = 0
    """How many messages the user sent."""
    duration_ms: int = 0
    """The video's length (0: an empty timeline)."""
    created_at: float = 0.0
    updated_at: float = 0.0
    """Unix seconds of the last message (or the creation)."""


class ChatMessage(_Lenient):
    """One message of a session's chat (local engine only): `role` is `user` or `agent`."""

    role: str = "user"
    text: str = ""
    time: float = 0.0


class RenderRequest(BaseModel):
    """Body of `POST /api/render/proxy/lambda`."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")
    id: str
    session_id: str = Field(alias="sessionId")
    draft: dict[str, Any]
    output: RenderOutput = Field(default_factory=RenderOutput)


RenderState = Literal["pending", "processing", "completed", "failed", "cancelled"]


class RenderStatus(_Lenient):
    """A render job's status; the file URL may be `output.url` or `outputUrl`, at the top or under `data`."""

    id: str = ""
    status: str = "pending"
    progress: float = 0
    url: str | None = None
    error: str | None = None
    warnings: list[str] = Field(default_factory=list)
    """What the render had to work around, a sentence each (reelterm's engine; others send none)."""

    @field_validator("warnings", mode="before")
    @classmethod
    def _sentences_only(cls, value: Any) -> list[str]:
        """Anything but a list of strings (another backend's own idea of "warnings") is none."""
        if not isinstance(value, list):
            return []
        return [w[:300] for w in value if isinstance(w, str)][:20]

    @model_validator(mode="before")
    @classmethod
    def _find_url(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        value = dict(value)
        inner = value.get("data")
        if isinstance(inner, dict):
            value = {**inner, **{k: v for k, v in value.items() if k != "data" and k not in inner}}
        url = value.get("url") or value.get("outputUrl") or value.get("output_url")
        out = value.get("output")
        if not url and isinstance(out, dict):
            url = out.get("url")
        elif not url and isinstance(out, str):
            url = out
        value["url"] = url if isinstance(url, str) and url else None
        status = str(value.get("status") or "pending").lower()
        value["status"] = {"done": "completed", "succeeded": "completed", "success": "completed",
                           "error": "failed", "canceled": "cancelled", "queued": "pending",
                           "running": "processing"}.get(status, status)
        try:
            value["progress"] = max(0.0, min(100.0, float(value.get("progress") or 0)))
        except (TypeError, ValueError):
            value["progress"] = 0.0
        err = value.get("error")
        if err is not None and not isinstance(err, str):
            value["error"] = str(err.get("message") if isinstance(err, dict) else err)
        return value

    @property
    def finished(self) -> bool:
        """True when the job will not change any more."""
        return self.status in ("completed", "failed", "cancelled")
