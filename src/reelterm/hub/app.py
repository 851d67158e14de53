"""The workers' Celery app, for running Celery directly: `celery -A reelterm.hub.app worker`.

Reads `REELTERM_HUB` (the broker URL; its password, or `REELTERM_HUB_PASSWORD`),
`REELTERM_STORE` (the shared store), optionally `REELTERM_HUB_WORK` (the work folder) and
`REELTERM_HUB_VISIBILITY` (seconds). `reelterm worker` sets these and starts the same app.
Importing it points `REELTERM_HOME` into the work folder: a worker writes nowhere else (and its store).
"""

from __future__ import annotations

import os

from reelterm.hub import tasks
from reelterm.hub.config import HubError, broker_url, make_app, password_file, visibility_from_env


def _url() -> str:
    url = os.environ.get("REELTERM_HUB", "")
    if not url:
        raise HubError("Set REELTERM_HUB to the broker's URL (redis://:PASSWORD@host:6379/0).")
    from reelterm.config import app_paths

    return broker_url(url, password_files=(password_file(app_paths().state_dir),))


app = make_app(_url(), visibility_s=visibility_from_env())
"""The Celery app with reelterm's four tasks."""
tasks.register(app)
# everything a render may cache on its own (text images, pictures, memos) stays in the work folder
_WORK = tasks.work_root()
os.environ["REELTERM_HUB_WORK"] = str(_WORK)
os.environ["REELTERM_HOME"] = str(_WORK / "home")
