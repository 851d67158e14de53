"""The session state: draft (wire form), video_infos from the probes, generated media."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from reelterm.engine.server.deps import AuthDep, engine, owned_session
from reelterm.engine.server.openapi import responses
from reelterm.protocol import APP_NAME, ok_envelope

router = APIRouter()


@router.get(f"/api/state/{APP_NAME}/me/{{sid:path}}/latest", tags=["state"], responses=responses(400, 401, 404))
def state(request: Request, sid: str, who: AuthDep) -> dict[str, Any]:
    """The latest state of a session."""
    eng = engine(request)
    session = owned_session(request, sid, who)
    version, draft = eng.store.draft(sid)
    infos = []
    for u in eng.store.uploads(sid):
        info = u["info"]
        dur = info.get("duration_ms")
        infos.append({"id": u["id"], "src": f"upload:{u['id']}", "filename": u["filename"],
                      "file_type": u["kind"], "format": info.get("format"), "size": u["size"],
                      "duration": None if dur is None else dur / 1000, "duration_ms": dur,
                      "width": info.get("width"), "height": info.get("height"), "fps": info.get("fps"),
                      "has_video": info.get("has_video", False), "has_audio": info.get("has_audio", False),
                      "streams": info.get("streams", []), "chars": info.get("chars"),
                      "cdn_url": str(request.url_for("upload_file", upload_id=u["id"]))})
    media = [{"id": a["id"], "src": f"asset:{a['id']}", "kind": a["kind"]} for a in eng.store.assets(sid)]
    return ok_envelope({"state": {
        "draft": draft.wire(), "draft_version": version,
        "video_infos": infos, "generated_media": media,
        "canvas_config": {"width": draft.m.width, "height": draft.m.height, "fps": draft.m.fps},
        "video_analyses": None, "language": session.language,
        "messages_received": len(eng.store.messages(sid)),
    }})
