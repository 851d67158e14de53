"""`NemoClient`: every route of the NemoVideo protocol on one `httpx.AsyncClient`."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import stamina
from pydantic import BaseModel, ValidationError

from reelterm.client._downloads import (
    DownloadProgress,
    resolve_url,
    same_origin,
    stream_to_file,
    target_path,
)
from reelterm.client._errors import BadResponse, OutOfCredits, ReelError
from reelterm.client._sse import iter_turn
from reelterm.client._transport import RETRY_ATTEMPTS, Transport, retry_hook
from reelterm.client._uploads import MultipartUpload, ProgressCallback, check_upload
from reelterm.config import AppPaths, app_paths
from reelterm.protocol import (
    APP_NAME,
    SUPPORTED_UPLOADS,
    ChatMessage,
    Credits,
    ErrorCode,
    RenderOutput,
    RenderRequest,
    RenderStatus,
    RunSseRequest,
    SessionInfo,
    SessionRequest,
    SessionState,
    SessionSummary,
    StateResponse,
    TurnItem,
    UploadResult,
    UrlUploadRequest,
)

M = TypeVar("M", bound=BaseModel)


def _model(cls: type[M], data: Any, what: str) -> M:
    try:
        if not isinstance(data, dict):
            raise ValueError(what)
        return cls.model_validate(data)
    except (ValidationError, ValueError):
        raise BadResponse(f"The backend's answer about {what} did not have the expected shape.",
                          "Check that the backend is a NemoVideo backend.") from None


class NemoClient:
    """An async client for a NemoVideo backend (the hosted API or reelterm's local engine)."""

    def __init__(
        self,
        base_url: str,
        *,
        paths: AppPaths | None = None,
        token: str | None = None,
        rate_limit_wait_s: float = 30.0,
        skill_source: str = "reelterm",
        skill_platform: str = "unknown",
        connect_timeout_s: float = 10.0,
        request_timeout_s: float = 60.0,
        read_timeout_s: float = 300.0,
        idle_timeout_s: float = 600.0,
        turn_timeout_s: float = 900.0,
        transport: httpx.AsyncBaseTransport | None = None,
        upload_types: Sequence[str] = SUPPORTED_UPLOADS,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.upload_types = tuple(upload_types)
        """The extensions this backend takes (checked before a file is sent)."""
        self.paths = paths or app_paths()
        self.read_timeout_s = read_timeout_s
        self.idle_timeout_s = idle_timeout_s
        self.turn_timeout_s = turn_timeout_s
        self._t = Transport(
            self.base_url, self.paths.credentials_file, token, rate_limit_wait_s=rate_limit_wait_s,
            skill_source=skill_source, skill_platform=skill_platform,
            connect_timeout_s=connect_timeout_s, request_timeout_s=request_timeout_s,
            read_timeout_s=read_timeout_s, transport=transport,
        )

    def __repr__(self) -> str:
        return f"NemoClient(base_url={self.base_url!r}, token_source={self.token_source!r})"

    async def __aenter__(self) -> NemoClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._t.http.aclose()

    # ---- identity -----------------------------------------------------------------------------

    @property
    def token_source(self) -> str:
        """Where the token in use came from: `explicit`, `env`, `stored`, `anonymous`, or ''."""
        return self._t.keeper.source

    @property
    def user_id(self) -> str:
        """The backend's user id when known (from the anonymous-token answer), else ''."""
        return self._t.keeper.user_id

    @property
    def client_id(self) -> str:
        """This install's `X-Client-Id`, created and stored on first use."""
        return self._t.keeper.client_id()

    # ---- routes -------------------------------------------------------------------------------

    async def create_session(self, language: str = "en", task_name: str = "project") -> SessionInfo:
        """Start a new session (`POST /api/tasks/me/with-session/nemo_agent`)."""
        body = SessionRequest(task_name=task_name, language=language).model_dump()
        data = await self._t.request("POST", f"/api/tasks/me/with-session/{APP_NAME}", json=body)
        return _model(SessionInfo, data, "the new session")

    async def run_turn(self, session_id: str, text: str) -> AsyncIterator[TurnItem]:
        """Send one message on `/run_sse` and yield the turn's items; never re-posted.

        Before any stream starts, a 1001 (the request was refused at the door, nothing ran) fetches
        a new token and posts once more; once a stream has started nothing is ever sent again.
        """
        body = RunSseRequest.for_text(session_id, text).snake()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.turn_timeout_s
        stack: contextlib.AsyncExitStack | None = None
        async for attempt in stamina.retry_context(on=retry_hook, attempts=RETRY_ATTEMPTS, timeout=None):
            with attempt:
                stack, source = await self._t.open_turn(body, deadline)
        assert stack is not None
        async with stack:
            async for item in iter_turn(source, deadline=deadline, idle_timeout_s=self.idle_timeout_s,
                                        turn_timeout_s=self.turn_timeout_s,
                                        read_timeout_s=self.read_timeout_s):
                yield item

    def out_of_credits(self, detail: str = "") -> OutOfCredits:
        """The typed 2001 for one said inside a turn's stream: for an anonymous user, with the bind link."""
        exc = OutOfCredits(code=ErrorCode.OUT_OF_CREDITS, detail=detail)
        self._t.prepare(exc, None, False, retry=False)
        return exc

    async def upload_files(self, session_id: str, paths: Sequence[str | Path],
                           on_progress: ProgressCallback | None = None) -> UploadResult:
        """Upload files as multipart field `files`, streamed from disk; checks every file first."""
        files = [Path(p) for p in paths]
        if not files:
            raise ValueError("upload_files needs at least one path")
        for path in files:
            check_upload(path, self.upload_types)
        upload = MultipartUpload(files, on_progress)
        data = await self._t.request("POST", self._upload_path(session_id), body=upload.stream,
                                   headers=upload.headers(), timeout=self._t.long)
        return _model(UploadResult, data, "the upload")

    async def upload_urls(self, session_id: str, urls: Sequence[str]) -> UploadResult:
        """Have the backend fetch media from web addresses."""
        body = UrlUploadRequest(urls=list(urls)).model_dump()
        data = await self._t.request("POST", self._upload_path(session_id), json=body, timeout=self._t.long)
        return _model(UploadResult, data, "the upload")

    @staticmethod
    def _upload_path(session_id: str) -> str:
        return f"/api/upload-video/{APP_NAME}/me/{quote(session_id, safe='')}"

    async def credits(self) -> Credits:
        """The credit balance (`GET /api/credits/balance/simple`)."""
        return _model(Credits, await self._t.request("GET", "/api/credits/balance/simple"), "credits")

    async def state(self, session_id: str) -> SessionState:
        """The session's state: draft, media, canvas."""
        data = await self._t.request("GET", f"/api/state/{APP_NAME}/me/{quote(session_id, safe='')}/latest")
        if isinstance(data, dict) and "state" not in data and ("draft" in data or "video_infos" in data):
            data = {"state": data}
        return _model(StateResponse, data, "the session state").state

    async def sessions(self) -> list[SessionSummary]:
        """The user's sessions, newest first (local engine only: `RouteMissing` elsewhere)."""
        data = await self._t.request("GET", f"/api/sessions/{APP_NAME}/me")
        items = data.get("sessions", []) if isinstance(data, dict) else []
        return [_model(SessionSummary, item, "a session") for item in items if isinstance(item, dict)]

    async def transcript(self, session_id: str) -> list[ChatMessage]:
        """A session's chat, oldest first (local engine only: `RouteMissing` elsewhere)."""
        data = await self._t.request("GET", f"/api/sessions/{APP_NAME}/me/{quote(session_id, safe='')}/messages")
        items = data.get("messages", []) if isinstance(data, dict) else []
        return [_model(ChatMessage, item, "a message") for item in items if isinstance(item, dict)]

    async def submit_render(self, session_id: str, draft: Mapping[str, Any] | BaseModel,
                            fmt: str = "mp4", quality: str = "high",
                            at_s: float | None = None) -> RenderStatus:
        """Queue an export of `draft` (`POST /api/render/proxy/lambda`); `at_s` picks a still's time."""
        draft_dict = (draft.model_dump(by_alias=True, mode="json", exclude_none=True)
                      if isinstance(draft, BaseModel) else dict(draft))
        render_id = f"render_{int(time.time() * 1000)}"
        request = RenderRequest(id=render_id, session_id=session_id, draft=draft_dict,
                                output=RenderOutput(format=fmt, quality=quality,
                                                    **({"time": round(at_s, 3)} if at_s is not None else {})))
        data = await self._t.request("POST", "/api/render/proxy/lambda",
                                   json=request.model_dump(by_alias=True, mode="json"))
        status = _model(RenderStatus, data, "the export")
        if not status.id:
            status.id = render_id
        return status

    async def render_status(self, render_id: str) -> RenderStatus:
        """A render job's status (`GET /api/render/proxy/lambda/<id>`)."""
        data = await self._t.request("GET", f"/api/render/proxy/lambda/{quote(render_id, safe='')}")
        status = _model(RenderStatus, data, "the export")
        if not status.id:
            status.id = render_id
        return status

    async def cancel_render(self, render_id: str) -> None:
        """Ask the backend to stop a render job."""
        await self._t.request("POST", f"/api/render/proxy/lambda/{quote(render_id, safe='')}/cancel")

    async def download(self, status_or_url: RenderStatus | str, dest: str | Path,
                       on_progress: DownloadProgress | None = None) -> Path:
        """Stream a finished render (or any URL) to `dest` (a file, or a folder to put it in)."""
        if isinstance(status_or_url, RenderStatus):
            st = status_or_url
            if st.url:
                url = st.url
            elif st.status == "completed" and st.id:
                url = f"/api/render/proxy/{quote(st.id, safe='')}/download"
            else:
                raise ReelError("The export has no file to download yet.",
                                "Wait until the export is complete.")
            fallback = f"{st.id or 'render'}.mp4"
        else:
            url, fallback = status_or_url, "render.mp4"
        absolute = resolve_url(self.base_url, url)
        target = target_path(Path(dest), absolute, fallback)
        if same_origin(absolute, self.base_url):
            headers = self._t.headers(await self._t.token())
        else:
            headers = {}
        try:
            return await stream_to_file(self._t.http, absolute, target, headers=headers,
                                        on_progress=on_progress)
        except ReelError as exc:
            self._t.prepare(exc, None, False, retry=False)
            raise
