"""The engine's records: clients, tokens (hashed), sessions, draft versions, uploads, assets, messages."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelterm.engine.agent.base import OutOfCredits, UploadInfo
from reelterm.engine.store.db import Database
from reelterm.protocol import Draft


def hash_token(token: str) -> str:
    """The stored form of a bearer token."""
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def new_id(prefix: str, nbytes: int = 8) -> str:
    """A random id such as `u_3f2a…`."""
    return f"{prefix}{secrets.token_hex(nbytes)}"


class RateLimited(Exception):
    """A second anonymous token was asked for inside the window."""


@dataclass(frozen=True)
class TokenRow:
    """A valid token's owner and budget."""

    hash: str
    client_id: str
    user_id: str
    expires_at: float
    budget: float | None
    used: float

    @property
    def available(self) -> float | None:
        """Credits left, or None when unlimited."""
        return None if self.budget is None else max(0.0, self.budget - self.used)


@dataclass(frozen=True)
class SessionRow:
    """A session."""

    id: str
    task_id: str
    user_id: str
    token_hash: str
    language: str
    current_version: int


class Store:
    """Every engine record, in one SQLite file that survives restarts."""

    def __init__(self, db_path: Path) -> None:
        self.db = Database(db_path)

    def close(self) -> None:
        """Close the database connections."""
        self.db.close()

    # ---- tokens ---------------------------------------------------------------------------
    def issue_token(self, client_id: str, *, lifetime_s: float, window_s: float,
                    budget: float | None, prefix: str = "nmv_usr_") -> tuple[str, TokenRow]:
        """A new anonymous token for `client_id`; raises `RateLimited` inside the window."""
        now = time.time()
        token = prefix + secrets.token_urlsafe(32)
        row = TokenRow(hash_token(token), client_id, new_id("anon_"), now + lifetime_s, budget, 0.0)
        with self.db.tx() as conn:
            last = conn.execute("SELECT MAX(created_at) AS t FROM tokens WHERE client_id = ?",
                                (client_id,)).fetchone()
            if window_s > 0 and last and last["t"] is not None and now - last["t"] < window_s:
                raise RateLimited(client_id)
            conn.execute("INSERT OR IGNORE INTO clients (id, created_at) VALUES (?, ?)", (client_id, now))
            conn.execute("INSERT INTO tokens (hash, client_id, user_id, created_at, expires_at, budget, used)"
                         " VALUES (?, ?, ?, ?, ?, ?, 0)",
                         (row.hash, client_id, row.user_id, now, row.expires_at, budget))
        return token, row

    def register_token(self, token: str, *, client_id: str, lifetime_s: float,
                       budget: float | None, user_id: str | None = None) -> TokenRow:
        """Store a token made elsewhere (the embedded engine's), bypassing the rate limit."""
        now = time.time()
        row = TokenRow(hash_token(token), client_id, user_id or new_id("local_"), now + lifetime_s,
                       budget, 0.0)
        with self.db.tx() as conn:
            conn.execute("INSERT OR IGNORE INTO clients (id, created_at) VALUES (?, ?)", (client_id, now))
            conn.execute("INSERT OR REPLACE INTO tokens (hash, client_id, user_id, created_at, expires_at,"
                         " budget, used) VALUES (?, ?, ?, ?, ?, ?, 0)",
                         (row.hash, client_id, row.user_id, now, row.expires_at, budget))
        return row

    def check_token(self, token: str) -> TokenRow | None:
        """The token's record when it exists and has not expired."""
        row = self.db.one("SELECT * FROM tokens WHERE hash = ?", (hash_token(token),))
        if row is None or row["expires_at"] <= time.time():
            return None
        return TokenRow(row["hash"], row["client_id"], row["user_id"], row["expires_at"],
                        row["budget"], row["used"])

    def token_row(self, token_hash: str) -> TokenRow | None:
        """A token's record by hash (expired or not)."""
        row = self.db.one("SELECT * FROM tokens WHERE hash = ?", (token_hash,))
        if row is None:
            return None
        return TokenRow(row["hash"], row["client_id"], row["user_id"], row["expires_at"],
                        row["budget"], row["used"])

    def charge(self, token_hash: str, amount: float) -> None:
        """Spend credits atomically; raises `OutOfCredits` when the budget would be overrun."""
        if amount <= 0:
            return
        with self.db.tx() as conn:
            row = conn.execute("SELECT budget, used FROM tokens WHERE hash = ?", (token_hash,)).fetchone()
            if row is None:
                raise OutOfCredits("unknown token")
            if row["budget"] is not None and row["used"] + amount > row["budget"] + 1e-9:
                raise OutOfCredits(f"{amount:g} credits needed, {max(0, row['budget'] - row['used']):g} left")
            conn.execute("UPDATE tokens SET used = used + ? WHERE hash = ?", (amount, token_hash))

    def expire_token(self, token: str) -> None:
        """Make a token expire now (tests and revocation)."""
        with self.db.tx() as conn:
            conn.execute("UPDATE tokens SET expires_at = 0 WHERE hash = ?", (hash_token(token),))

    # ---- sessions and drafts -------------------------------------------------------------
    def create_session(self, tok: TokenRow, task_name: str, language: str) -> SessionRow:
        """A new session with an empty draft as version 0."""
        now = time.time()
        sid, task_id = new_id("sess_", 12), new_id("task_")
        with self.db.tx() as conn:
            conn.execute("INSERT INTO sessions (id, task_id, user_id, token_hash, task_name, language,"
                         " created_at, current_version) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                         (sid, task_id, tok.user_id, tok.hash, task_name, language, now))
            conn.execute("INSERT INTO drafts (session_id, version, parent, body, summary, created_at)"
                         " VALUES (?, 0, NULL, ?, 'empty timeline', ?)",
                         (sid, json.dumps(Draft().wire()), now))
        return SessionRow(sid, task_id, tok.user_id, tok.hash, language, 0)

    def session(self, sid: str, user_id: str | None = None) -> SessionRow | None:
        """A session (owned by `user_id` when given), or None."""
        row = self.db.one("SELECT * FROM sessions WHERE id = ?", (sid,))
        if row is None or (user_id is not None and row["user_id"] != user_id):
            return None
        return SessionRow(row["id"], row["task_id"], row["user_id"], row["token_hash"],
                          row["language"], row["current_version"])

    def draft(self, sid: str) -> tuple[int, Draft]:
        """The current draft version and the draft."""
        row = self.db.one("SELECT d.version, d.body FROM drafts d JOIN sessions s ON s.id = d.session_id"
                          " AND d.version = s.current_version WHERE s.id = ?", (sid,))
        if row is None:
            return 0, Draft()
        return row["version"], Draft.model_validate(json.loads(row["body"]))

    def commit_draft(self, sid: str, draft: Draft, summary: str) -> int:
        """Store a new draft version after the current one and make it current."""
        body = json.dumps(draft.wire())
        with self.db.tx() as conn:
            cur = conn.execute("SELECT current_version FROM sessions WHERE id = ?", (sid,)).fetchone()
            if cur is None:
                raise KeyError(sid)
            top = conn.execute("SELECT MAX(version) AS v FROM drafts WHERE session_id = ?", (sid,)).fetchone()
            version = int(top["v"] or 0) + 1
            conn.execute("INSERT INTO drafts (session_id, version, parent, body, summary, created_at)"
                         " VALUES (?, ?, ?, ?, ?, ?)",
                         (sid, version, cur["current_version"], body, summary[:300], time.time()))
            conn.execute("UPDATE sessions SET current_version = ? WHERE id = ?", (version, sid))
        return version

    def undo(self, sid: str) -> Draft | None:
        """Step back to the current version's parent; None at the start."""
        with self.db.tx() as conn:
            row = conn.execute("SELECT d.parent FROM drafts d JOIN sessions s ON s.id = d.session_id AND"
                               " d.version = s.current_version WHERE s.id = ?", (sid,)).fetchone()
            if row is None or row["parent"] is None:
                return None
            conn.execute("UPDATE sessions SET current_version = ? WHERE id = ?", (row["parent"], sid))
        return self.draft(sid)[1]

    def redo(self, sid: str) -> Draft | None:
        """Step forward to the newest child of the current version; None when there is none."""
        with self.db.tx() as conn:
            row = conn.execute("SELECT MAX(d.version) AS v FROM drafts d JOIN sessions s ON"
                               " s.id = d.session_id AND d.parent = s.current_version WHERE s.id = ?",
                               (sid,)).fetchone()
            if row is None or row["v"] is None:
                return None
            conn.execute("UPDATE sessions SET current_version = ? WHERE id = ?", (row["v"], sid))
        return self.draft(sid)[1]

    # ---- messages ------------------------------------------------------------------------
    def add_message(self, sid: str, text: str, role: str = "user") -> int:
        """Record a received user message (or, with `role="agent"`, the agent's reply); returns how
        many user messages the session has received."""
        with self.db.tx() as conn:
            conn.execute("INSERT INTO messages (session_id, text, created_at, role) VALUES (?, ?, ?, ?)",
                         (sid, text, time.time(), role))
            row = conn.execute("SELECT COUNT(*) AS n FROM messages WHERE session_id = ? AND role = 'user'",
                               (sid,)).fetchone()
        return int(row["n"])

    def messages(self, sid: str) -> list[str]:
        """The session's received user messages, oldest first."""
        return [r["text"] for r in self.db.query(
            "SELECT text FROM messages WHERE session_id = ? AND role = 'user' ORDER BY id", (sid,))]

    def transcript(self, sid: str, limit: int = 500) -> list[dict[str, Any]]:
        """The newest `limit` messages of the session, user and agent, oldest first."""
        rows = self.db.query("SELECT role, text, created_at FROM messages WHERE session_id = ?"
                             " ORDER BY id DESC LIMIT ?", (sid, limit))
        return [{"role": r["role"], "text": r["text"], "time": r["created_at"]} for r in reversed(rows)]

    def sessions_of(self, user_id: str, limit: int = 100) -> list[dict[str, Any]]:
        """A user's sessions, most recently used first: id, title, messages, length and times."""
        rows = self.db.query(
            "SELECT s.id, s.language, s.created_at, d.body,"
            " (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id AND m.role = 'user') AS n,"
            " (SELECT MAX(created_at) FROM messages m WHERE m.session_id = s.id) AS last,"
            " (SELECT text FROM messages m WHERE m.session_id = s.id AND m.role = 'user'"
            "  ORDER BY id LIMIT 1) AS first"
            " FROM sessions s JOIN drafts d ON d.session_id = s.id AND d.version = s.current_version"
            " WHERE s.user_id = ? ORDER BY COALESCE(last, s.created_at) DESC LIMIT ?", (user_id, limit))
        out = []
        for r in rows:
            draft = Draft.model_validate(json.loads(r["body"]))
            title = draft.m.title if draft.ready and draft.m.title else " ".join((r["first"] or "").split())
            out.append({"session_id": r["id"], "title": title[:80], "messages": int(r["n"]),
                        "duration_ms": draft.duration_ms if draft.ready else 0, "language": r["language"],
                        "created_at": r["created_at"], "updated_at": r["last"] or r["created_at"]})
        return out

    # ---- uploads and assets --------------------------------------------------------------
    def add_upload(self, sid: str, *, upload_id: str, filename: str, kind: str, path: Path,
                   size: int, sha256: str, info: dict[str, Any], text: str | None) -> None:
        """Record a stored, probed upload."""
        self.add_uploads(sid, [{"upload_id": upload_id, "filename": filename, "kind": kind, "path": path,
                                "size": size, "sha256": sha256, "info": info, "text": text}])

    def add_uploads(self, sid: str, rows: list[dict[str, Any]]) -> None:
        """Record several stored uploads in one transaction (all or none); keys as `add_upload`'s."""
        now = time.time()
        with self.db.tx() as conn:
            conn.executemany("INSERT INTO uploads (id, session_id, filename, kind, path, size, sha256, info,"
                             " text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [(r["upload_id"], sid, r["filename"], r["kind"], str(r["path"]), r["size"],
                               r["sha256"], json.dumps(r["info"]), r["text"], now) for r in rows])

    def uploads(self, sid: str) -> list[dict[str, Any]]:
        """The session's uploads, oldest first, as dicts (`info` parsed)."""
        rows = self.db.query("SELECT * FROM uploads WHERE session_id = ? ORDER BY created_at, rowid", (sid,))
        return [{**dict(r), "info": json.loads(r["info"])} for r in rows]

    def upload_infos(self, sid: str) -> list[UploadInfo]:
        """The session's uploads as the agent sees them."""
        out = []
        for u in self.uploads(sid):
            info = u["info"]
            out.append(UploadInfo(id=u["id"], filename=u["filename"], kind=u["kind"],
                                  duration_ms=info.get("duration_ms"), width=info.get("width"),
                                  height=info.get("height"), has_video=bool(info.get("has_video")),
                                  has_audio=bool(info.get("has_audio")), text=u["text"]))
        return out

    def add_asset(self, sid: str, kind: str, path: Path) -> str:
        """Record a generated asset; returns its id."""
        asset_id = new_id("a_")
        with self.db.tx() as conn:
            conn.execute("INSERT INTO assets (id, session_id, kind, path, created_at) VALUES (?, ?, ?, ?, ?)",
                         (asset_id, sid, kind, str(path), time.time()))
        return asset_id

    def assets(self, sid: str) -> list[dict[str, Any]]:
        """The session's generated assets, oldest first."""
        return [dict(r) for r in self.db.query(
            "SELECT * FROM assets WHERE session_id = ? ORDER BY created_at, rowid", (sid,))]

    def source_path(self, sid: str, src: str) -> Path | None:
        """The file behind `upload:ID` / `asset:ID` of this session, or None."""
        kind, _, ident = src.partition(":")
        table = {"upload": "uploads", "asset": "assets"}.get(kind)
        if table is None:
            return None
        row = self.db.one(f"SELECT path FROM {table} WHERE id = ? AND session_id = ?", (ident, sid))  # noqa: S608
        if row is None:
            return None
        path = Path(row["path"])
        return path if path.is_file() else None
