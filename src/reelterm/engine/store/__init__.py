"""The engine's SQLite store."""

from reelterm.engine.store.db import SCHEMA_VERSION, Database
from reelterm.engine.store.store import RateLimited, SessionRow, Store, TokenRow, hash_token, new_id

__all__ = ["SCHEMA_VERSION", "Database", "RateLimited", "SessionRow", "Store", "TokenRow",
           "hash_token", "new_id"]
