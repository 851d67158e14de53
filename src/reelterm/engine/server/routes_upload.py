"""Uploads: multipart (field `files`, several) or by URL; content probed, stored under generated names."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from reelterm.engine.intake import UploadRejected, classify
from reelterm.engine.server.deps import AuthDep, engine, owned_session
from reelterm.engine.server.errors import (
    BAD_REQUEST,
    BUSY,
    DISK_FULL_CODE,
    NOT_FOUND,
    STORAGE_FAILED,
    ApiError,
)
from reelterm.engine.server.multipart import (
    BodyMalformed,
    BodyTooLarge,
    ReceivedFile,
    clean_filename,
    discard,
    receive_files,
)
from reelterm.engine.server.openapi import binary, responses
from reelterm.engine.server.state import EngineState
from reelterm.engine.storage import StorageError, storage_error
from reelterm.engine.store import new_id
from reelterm.engine.urlfetch import UrlRefused, UrlTooLarge, fetch_url_async
from reelterm.protocol import APP_NAME, ErrorCode, ok_envelope

router = APIRouter()
MAX_URLS = 10

URL_PATTERN = (r"^https?://([^\s/?#@:\[\]]+|\[[0-9A-Fa-f:.]+\])"
               r"(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?"
               r"([/?#][^\s]*)?$")
"""What a link must look like (http/https, a host, no user name or password, a valid port)."""
MAX_FILES = 32
"""The most files one multipart upload may carry."""

_BODY_DOC = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["files"], "properties": {
        "files": {"type": "array", "minItems": 1, "maxItems": MAX_FILES,
                  "items": {"type": "string", "format": "binary"}}}}},
    "application/json": {"schema": {"type": "object", "required": ["urls"], "properties": {
        "urls": {"type": "array", "minItems": 1, "maxItems": MAX_URLS,
                 "items": {"type": "string", "maxLength": 4000, "pattern": URL_PATTERN}},
        "source_type": {"type": "string", "enum": ["url"]}}}}}}}


def _too_large(eng: EngineState) -> ApiError:
    mb = eng.config.max_upload_bytes / (1024 * 1024)
    return ApiError(ErrorCode.FILE_TOO_LARGE,
                    f"That file is larger than the {mb:g} MB limit. Compress it or trim it, then upload it again.",
                    headers={"Connection": "close"})


@router.post(f"/api/upload-video/{APP_NAME}/me/{{sid:path}}", tags=["uploads"], openapi_extra=_BODY_DOC,
             responses=responses(400, 401, 403, 404, 413, 415, 422, 503, 507))
async def upload(request: Request, sid: str, who: AuthDep) -> dict[str, Any]:
    """Store files (multipart) or fetched URLs (JSON); each is probed before it is accepted."""
    eng = engine(request)
    owned_session(request, sid, who)
    ctype = request.headers.get("content-type", "").lower()
    if ctype.startswith("application/json"):
        received = await _fetch_urls(eng, request)
    elif ctype.startswith("multipart/form-data"):
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_FILES * (eng.config.max_upload_bytes + 64 * 1024):
            raise _too_large(eng)  # over the cap whatever it holds: refused before a byte is read
        try:
            received = await receive_files(request, eng.dirs["tmp"], eng.config.max_upload_bytes,
                                           max_files=MAX_FILES)
        except BodyTooLarge:
            raise _too_large(eng) from None
        except BodyMalformed as exc:
            raise ApiError(BAD_REQUEST, str(exc)) from None
        except StorageError as exc:
            raise _storage(exc) from None
    else:
        raise ApiError(BAD_REQUEST, "Send files as multipart form data (field `files`) or JSON "
                                    "{\"urls\": [...]}.")
    if not received:
        raise ApiError(BAD_REQUEST, "The upload has no files (use the multipart field `files`).")
    try:
        results = await run_in_threadpool(_ingest_all, eng, sid, received)
    finally:
        discard(received)
    return ok_envelope({"files": [_public(request, r) for r in results], "session_state_applied": True})


async def _fetch_urls(eng: EngineState, request: Request) -> list[ReceivedFile]:
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise ApiError(BAD_REQUEST, "The request body is not valid JSON.") from None
    urls = body.get("urls") if isinstance(body, dict) else None
    if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
        raise ApiError(BAD_REQUEST, "Send {\"urls\": [\"https://...\"], \"source_type\": \"url\"}.")
    if len(urls) > MAX_URLS:
        raise ApiError(BAD_REQUEST, f"At most {MAX_URLS} links can be uploaded at once.")
    if body.get("source_type", "url") != "url":
        raise ApiError(BAD_REQUEST, "`source_type` must be \"url\" for a link upload.")
    for url in urls:
        problem = _link_problem(url)
        if problem:
            raise ApiError(BAD_REQUEST, problem)
    if eng.url_fetches >= eng.config.max_url_fetches:
        raise ApiError(BUSY, f"{eng.url_fetches} link uploads are already running, the most this engine "
                             "downloads at once. Try again when one has finished.", headers={"Retry-After": "10"})
    eng.url_fetches += 1  # no await between the check and this: one event loop thread
    got: list[ReceivedFile] = []
    try:
        for url in urls:
            fetched = await fetch_url_async(
                url[:4000], eng.dirs["tmp"], max_bytes=eng.config.max_upload_bytes,
                timeout_s=eng.config.url_timeout_s, allow_private=eng.config.allow_private_urls)
            got.append(ReceivedFile(clean_filename(fetched.filename), fetched.path, fetched.size,
                                    digest=fetched.sha256))
    except UrlTooLarge:
        discard(got)
        raise _too_large(eng) from None
    except UrlRefused as exc:
        discard(got)
        raise ApiError(BAD_REQUEST, str(exc), exc.status) from None
    except BaseException:
        discard(got)
        raise
    finally:
        eng.url_fetches -= 1
    return got


def _link_problem(url: str) -> str | None:
    """Why `url` is not a link the engine fetches (checked before any download), or None."""
    if len(url) > 4000:
        return "A link is longer than 4000 characters."
    if re.fullmatch(URL_PATTERN, url):
        return None
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https") or "://" not in url:
        return "Only http and https links can be uploaded."
    if "@" in url.split("://", 1)[1].split("/", 1)[0]:
        return "Links with a user name or password are not accepted."
    return (f"{url[:80]!r} is not a web link reelterm can fetch: it needs a host name (no spaces) and, "
            "if any, a port from 1 to 65535.")


def _storage(exc: StorageError) -> ApiError:
    return ApiError(DISK_FULL_CODE if exc.full else STORAGE_FAILED, str(exc), headers={"Connection": "close"})


def _ingest_all(eng: EngineState, sid: str, received: list[ReceivedFile]) -> list[dict[str, Any]]:
    """Probe every file first (all or nothing), then move them in and record them."""
    checked = []
    for rec in received:
        try:
            info, text = classify(rec.path, rec.filename)
        except UploadRejected as exc:
            raise ApiError(ErrorCode.UNSUPPORTED_FILE, str(exc)) from None
        checked.append((rec, info, text))
    moved: list[Path] = []
    rows = []
    try:
        for rec, info, text in checked:
            upload_id = new_id("u_")
            dest = eng.dirs["uploads"] / f"{upload_id}.{info['ext']}"
            os.replace(rec.path, dest)
            moved.append(dest)
            rows.append({"upload_id": upload_id, "filename": rec.filename, "kind": info["kind"],
                         "path": dest, "size": rec.size, "sha256": rec.sha256, "info": info, "text": text})
        eng.store.add_uploads(sid, rows)  # one transaction: every file is recorded, or none
    except (OSError, sqlite3.Error) as exc:
        for path in moved:
            with contextlib.suppress(OSError):
                path.unlink()
        raise _storage(storage_error(exc, "the upload")) from None
    return [{"id": r["upload_id"], "filename": r["filename"], "size": r["size"], "hash": r["sha256"],
             **r["info"]} for r in rows]


def _public(request: Request, r: dict[str, Any]) -> dict[str, Any]:
    dur = r.get("duration_ms")
    return {"id": r["id"], "src": f"upload:{r['id']}", "filename": r["filename"], "file_type": r["kind"],
            "cdn_url": str(request.url_for("upload_file", upload_id=r["id"])),
            "duration": None if dur is None else dur / 1000, "duration_ms": dur,
            "width": r.get("width"), "height": r.get("height"), "fps": r.get("fps"),
            "hash": r["hash"], "size": r["size"], "format": r.get("format"),
            "has_video": r.get("has_video", False), "has_audio": r.get("has_audio", False),
            "chars": r.get("chars")}


@router.get("/api/uploads/{upload_id:path}/file", name="upload_file", tags=["uploads"], response_class=FileResponse,
            responses=responses(400, 401, 404, 416, ok=binary("*/*"), partial=True))
def upload_file(request: Request, upload_id: str, who: AuthDep) -> FileResponse:
    """An uploaded file's bytes (Range supported), for its owner."""
    eng = engine(request)
    row = eng.store.db.one("SELECT u.path, u.filename FROM uploads u JOIN sessions s ON s.id = u.session_id"
                           " WHERE u.id = ? AND s.user_id = ?", (upload_id, who.token.user_id))
    if row is None or not Path(row["path"]).is_file():
        raise ApiError(NOT_FOUND, "There is no such upload.")
    return FileResponse(row["path"], filename=_ascii_name(row["filename"]))


def _ascii_name(name: str) -> str:
    return "".join(c if c.isascii() and c.isprintable() and c not in "\"\\/;" else "_" for c in name) or "file"
