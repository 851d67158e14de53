"""A fingerprint of a draft's content (light: the app imports it at start)."""

from __future__ import annotations

import hashlib
import json

from reelterm.protocol import Draft


def draft_key(draft: Draft | None) -> str:
    """A fingerprint of the draft's content: a preview belongs to exactly one timeline."""
    if draft is None:
        return ""
    body = json.dumps(draft.wire(), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:20]
