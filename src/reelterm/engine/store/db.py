"""SQLite in WAL mode: one connection per thread, a versioned schema."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
"""The schema this code writes; older files are migrated at open."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS clients (id TEXT PRIMARY KEY, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, user_id TEXT NOT NULL,
    created_at REAL NOT NULL, expires_at REAL NOT NULL,
    budget REAL, used REAL NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS tokens_client ON tokens (client_id, created_at);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, task_id TEXT NOT NULL, user_id TEXT NOT NULL, token_hash TEXT NOT NULL,
    task_name TEXT NOT NULL, language TEXT NOT NULL, created_at REAL NOT NULL,
    current_version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS drafts (
    session_id TEXT NOT NULL, version INTEGER NOT NULL, parent INTEGER, body TEXT NOT NULL,
    summary TEXT NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (session_id, version));
CREATE TABLE IF NOT EXISTS uploads (
    id TEXT PRIMARY KEY, session_id TEXT NOT NULL, filename TEXT NOT NULL, kind TEXT NOT NULL,
    path TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, info TEXT NOT NULL,
    text TEXT, created_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS uploads_session ON uploads (session_id, created_at);
CREATE TABLE IF NOT EXISTS assets (
    id TEXT PRIMARY KEY, session_id TEXT NOT NULL, kind TEXT NOT NULL, path TEXT NOT NULL,
    created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, text TEXT NOT NULL,
    created_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS messages_session ON messages (session_id, id);
CREATE TABLE IF NOT EXISTS renders (
    id TEXT PRIMARY KEY, session_id TEXT NOT NULL, user_id TEXT NOT NULL, draft TEXT NOT NULL,
    format TEXT NOT NULL, quality TEXT NOT NULL, status TEXT NOT NULL, progress REAL NOT NULL,
    error TEXT, output_path TEXT, download_key TEXT NOT NULL, owner TEXT, lease_until REAL,
    attempts INTEGER NOT NULL DEFAULT 0, cancel_requested INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL, updated_at REAL NOT NULL, warnings TEXT);
CREATE INDEX IF NOT EXISTS renders_status ON renders (status, created_at);
"""


PRIVATE_FILE = 0o600
"""The mode of the database and its `-wal`/`-shm` files: they hold messages, drafts and download keys."""


def make_private(path: Path) -> None:
    """Create `path` (if missing) as 0600 and make it and its WAL/SHM files 0600, whatever the folder's
    mode or the umask; SQLite gives the `-wal` and `-shm` files it creates the database file's mode."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with suppress(FileNotFoundError):
            os.chmod(each, PRIVATE_FILE)


class Database:
    """A SQLite file shared by threads (and processes): each thread gets its own connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        make_private(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._migrate()

    def conn(self) -> sqlite3.Connection:
        """This thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction taken at once (`BEGIN IMMEDIATE`), committed or rolled back."""
        conn = self.conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")  # a COMMIT that fails (disk full) is rolled back too
        except BaseException:
            if conn.in_transaction:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Rows of a read."""
        return self.conn().execute(sql, params).fetchall()

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        """The first row of a read, or None."""
        row: sqlite3.Row | None = self.conn().execute(sql, params).fetchone()
        return row

    def close(self) -> None:
        """Close every connection this object opened."""
        with self._lock:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._all.clear()
        self._local = threading.local()

    def _migrate(self) -> None:
        self.conn().executescript(_SCHEMA)
        columns = {r["name"] for r in self.conn().execute("PRAGMA table_info(renders)")}
        if "warnings" not in columns:  # added after schema 1 shipped: additive, older code ignores it
            self.conn().execute("ALTER TABLE renders ADD COLUMN warnings TEXT")
        if "at_ms" not in columns:  # additive: the time a still (jpg/png) shows
            self.conn().execute("ALTER TABLE renders ADD COLUMN at_ms INTEGER")
        columns = {r["name"] for r in self.conn().execute("PRAGMA table_info(messages)")}
        if "role" not in columns:  # additive too: the agent's replies are kept beside the user's messages
            self.conn().execute("ALTER TABLE messages ADD COLUMN role TEXT NOT NULL DEFAULT 'user'")
        with self.tx() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row["value"]) if row else 0
            if version > SCHEMA_VERSION:
                raise RuntimeError(f"{self.path} was written by a newer reelterm (schema {version}).")
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                         (str(SCHEMA_VERSION),))
