"""Renders: submit, status, cancel, and the output file (with HTTP Range)."""

from __future__ import annotations

import contextlib
import json
import re
import secrets
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from reelterm.engine.renders import FORMATS, QUALITIES
from reelterm.engine.renders.queue import STILLS
from reelterm.engine.server.deps import (
    Auth,
    AuthDep,
    auth,
    engine,
    owned_session,
    require_attribution,
)
from reelterm.engine.server.errors import BAD_REQUEST, NOT_FOUND, ApiError
from reelterm.engine.server.openapi import FILE_TYPES, binary, responses
from reelterm.engine.sources import known_source
from reelterm.protocol import DraftError, ok_envelope, validate_local_draft

router = APIRouter()
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class OutputBody(BaseModel):
    """What to make."""

    model_config = ConfigDict(extra="allow")
    format: str = Field("mp4", max_length=10, json_schema_extra={"enum": list(FORMATS)})
    quality: str = Field("high", max_length=20, json_schema_extra={"enum": list(QUALITIES)})
    time: float | None = Field(None, ge=0, le=86_400)
    """A still's (jpg/png) time in seconds: the frame on screen then (default 1 s, or mid-way)."""


class RenderBody(BaseModel):
    """Body of the submit route (as the hosted render proxy takes it)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    id: str | None = Field(None, max_length=200)
    session_id: str = Field(alias="sessionId", max_length=200)
    draft: dict[str, Any]
    output: OutputBody = Field(default_factory=OutputBody)


def _status(request: Request, job: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": job["id"], "sessionId": job["session_id"], "status": job["status"],
                           "progress": round(float(job["progress"]), 1), "error": job["error"],
                           "format": job["format"], "quality": job["quality"]}
    with contextlib.suppress(TypeError, ValueError):  # what the render worked around (a sentence each)
        warnings = json.loads(job.get("warnings") or "[]")
        out["warnings"] = [w for w in warnings if isinstance(w, str)] if isinstance(warnings, list) else []
    if job["status"] == "completed" and job["output_path"]:
        url = str(request.url_for("render_download", job_id=job["id"])) + f"?key={job['download_key']}"
        out["output"] = {"url": url, "format": job["format"]}
        out["outputUrl"] = url
    return out


def _job(request: Request, job_id: str, who: Auth) -> dict[str, Any]:
    job = engine(request).queue.get(job_id) if len(job_id) <= 200 else None
    if job is None or job["user_id"] != who.token.user_id:
        raise ApiError(NOT_FOUND, "There is no such render.")
    return job


@router.post("/api/render/proxy/lambda", tags=["renders"], dependencies=[Depends(require_attribution)],
             responses=responses(400, 401, 402, 404, 413, 422, 507))
def submit(request: Request, body: RenderBody, who: AuthDep) -> dict[str, Any]:
    """Validate the draft strictly and queue the render; export costs no credits."""
    eng = engine(request)
    session = owned_session(request, body.session_id, who)
    fmt, quality = body.output.format, body.output.quality  # as the schema's enums: lower case
    if fmt not in FORMATS:
        raise ApiError(BAD_REQUEST, f"The format {fmt[:10]!r} is not offered; use one of {', '.join(FORMATS)}.")
    if quality not in QUALITIES:
        raise ApiError(BAD_REQUEST, f"The quality {quality[:20]!r} is not offered; use one of {', '.join(QUALITIES)}.")
    try:
        draft = validate_local_draft(body.draft, known_source(eng.store, session.id))
    except DraftError as exc:
        raise ApiError(BAD_REQUEST, "The draft cannot be rendered: " + " ".join(exc.problems[:5])) from None
    if not draft.ready:
        raise ApiError(BAD_REQUEST, "The timeline is empty; add something to it before exporting.")
    at_ms = _still_at(body.output, fmt, draft.duration_ms)
    problems = _missing_music(draft)
    if problems:
        raise ApiError(BAD_REQUEST, "The draft cannot be rendered: " + " ".join(problems[:5]))
    asked = body.id or ""
    usable = _ID.fullmatch(asked) is not None and asked != "lambda"  # "lambda" would shadow routes
    job_id = asked if usable else f"render_{secrets.token_hex(6)}"
    job_id = eng.queue.submit(job_id, session.id, who.token.user_id, draft.wire(), fmt, quality, at_ms)
    out = _status(request, eng.queue.get(job_id) or {})
    if out["status"] == "processing":  # a worker already took it; the answer says what was queued
        out.update(status="pending", progress=5.0)
    return ok_envelope(out)


def _still_at(output: OutputBody, fmt: str, duration_ms: int) -> int | None:
    """The time (ms) a still shows; a time on a video, or past the end, is refused with a sentence."""
    if output.time is None:
        return None
    if fmt not in STILLS:
        raise ApiError(BAD_REQUEST, f"A time picks the frame of a still ({', '.join(STILLS)}), not of a {fmt} file.")
    at_ms = round(output.time * 1000)
    if at_ms >= duration_ms:
        raise ApiError(BAD_REQUEST, f"{output.time:g} s is past the end of the timeline ({duration_ms / 1000:g} s).")
    return at_ms


def _missing_music(draft: Any) -> list[str]:
    refs = {seg.src for t in draft.t for seg in t.sg if seg.src and seg.src.startswith("music:")}
    if not refs:
        return []
    try:
        from reelterm.media.assets import resolve_music
    except ImportError:
        return ["Bundled music is not available on this engine."]
    out = []
    for ref in sorted(refs):
        try:
            resolve_music(ref)
        except Exception:  # noqa: BLE001
            out.append(f"There is no bundled music called {ref[:60]}.")
    return out


# before the status route: a wrong method on …/cancel then says Allow: POST
@router.post("/api/render/proxy/lambda/{job_id:path}/cancel", tags=["renders"],
             responses=responses(400, 401, 404, 413, 507))
def cancel(request: Request, job_id: str, who: AuthDep) -> dict[str, Any]:
    """Stop a render (kills its ffmpeg); a finished render is left as it is."""
    job = _job(request, job_id, who)
    if job["status"] in ("pending", "processing"):
        job = engine(request).queue.cancel(job_id) or job
    return ok_envelope(_status(request, job))


@router.get("/api/render/proxy/lambda/{job_id:path}", tags=["renders"], responses=responses(400, 401, 404, 405))
def status(request: Request, job_id: str, who: AuthDep) -> dict[str, Any]:
    """A render's status: pending, processing, completed, failed or cancelled; progress 0-100."""
    if job_id.endswith("/cancel"):  # the cancel route, asked with GET: not a render called "…/cancel"
        raise ApiError(405, "Cancel a render with POST.", 405, {"Allow": "POST"})
    return ok_envelope(_status(request, _job(request, job_id, who)))


@router.get("/api/render/proxy/{job_id:path}/download", name="render_download", tags=["renders"],
            response_class=FileResponse, responses=responses(400, 401, 404, 416, ok=binary(*FILE_TYPES), partial=True))
def download(request: Request, job_id: str, key: str | None = None) -> FileResponse:
    """The finished file (Range supported): by its URL's key, or with the owner's token."""
    eng = engine(request)
    job = eng.queue.get(job_id) if len(job_id) <= 200 else None
    if job is None:
        raise ApiError(NOT_FOUND, "There is no such render.")
    if not (key and secrets.compare_digest(key, job["download_key"])):
        who = auth(request, request.headers.get("x-client-id", "-") or "-", _creds(request))
        if who.token.user_id != job["user_id"]:
            raise ApiError(NOT_FOUND, "There is no such render.")
    if job["status"] != "completed" or not job["output_path"] or not Path(job["output_path"]).is_file():
        raise ApiError(NOT_FOUND, "That render has no finished file yet.")
    media = {"mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm", "mkv": "video/x-matroska",
             "avi": "video/x-msvideo", "gif": "image/gif", "mp3": "audio/mpeg", "wav": "audio/wav",
             "m4a": "audio/mp4", "aac": "audio/aac", "jpg": "image/jpeg", "png": "image/png",
             "webp": "image/webp", "srt": "application/x-subrip",
             "vtt": "text/vtt"}.get(job["format"], "application/octet-stream")
    return FileResponse(job["output_path"], media_type=media, filename=f"{job_id}.{job['format']}")


def _creds(request: Request) -> Any:
    from fastapi.security import HTTPAuthorizationCredentials

    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return HTTPAuthorizationCredentials(scheme=scheme, credentials=token.strip()) if token else None
