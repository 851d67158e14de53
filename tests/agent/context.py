"""An in-memory `TurnContext` with working commit/undo/redo, charge and assets, for agent tests."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelterm.engine.agent.base import OutOfCredits, Reply, ToolStep, TurnContext, UploadInfo
from reelterm.protocol import Draft


@dataclass
class Session:
    """A session's versions, uploads, history and credits, outliving single turns."""

    versions: list[Draft] = field(default_factory=lambda: [Draft()])
    current: int = 0
    uploads: list[UploadInfo] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    credits: float | None = None
    spent: float = 0
    summaries: list[str] = field(default_factory=list)
    asset_dir: Path | None = None
    assets: list[str] = field(default_factory=list)
    language: str = "en"

    @property
    def draft(self) -> Draft:
        """The current version."""
        return self.versions[self.current]

    def context(self) -> TurnContext:
        """A fresh context for one turn."""

        def commit(draft: Draft, summary: str) -> int:
            del self.versions[self.current + 1:]
            self.versions.append(draft.model_copy(deep=True))
            self.summaries.append(summary)
            self.current = len(self.versions) - 1
            return self.current

        def undo() -> Draft | None:
            if self.current == 0:
                return None
            self.current -= 1
            return self.draft

        def redo() -> Draft | None:
            if self.current + 1 >= len(self.versions):
                return None
            self.current += 1
            return self.draft

        def charge(amount: float) -> None:
            if self.credits is not None and self.spent + amount > self.credits:
                raise OutOfCredits(f"needs {amount}")
            self.spent += amount

        def new_asset(kind: str, suffix: str) -> tuple[str, Path]:
            if self.asset_dir is None:
                self.asset_dir = Path(tempfile.mkdtemp(prefix="reelterm-agent-"))
            aid = f"{kind}{len(self.assets) + 1}"
            self.assets.append(aid)
            return f"asset:{aid}", self.asset_dir / f"{aid}{suffix}"

        left = None if self.credits is None else self.credits - self.spent
        return TurnContext(session_id="s1", language=self.language, draft=self.draft.model_copy(deep=True),
                           uploads=list(self.uploads), history=list(self.history), credits_left=left,
                           commit=commit, undo=undo, redo=redo, charge=charge, new_asset=new_asset)

    def send(self, agent: Any, message: str) -> tuple[list[ToolStep], str]:
        """Run one turn; returns the tool steps and the reply text, and records the message."""
        steps = list(agent.respond(self.context(), message))
        self.history.append(message)
        tools = [s for s in steps if isinstance(s, ToolStep)]
        replies = [s for s in steps if isinstance(s, Reply)]
        assert len(replies) == 1, steps
        assert replies[0].text.strip()
        return tools, replies[0].text


def text_upload(uid: str, text: str) -> UploadInfo:
    """An uploaded TXT file with its extracted text."""
    return UploadInfo(id=uid, filename=f"{uid}.txt", kind="text", text=text)


def image_upload(uid: str) -> UploadInfo:
    """An uploaded picture."""
    return UploadInfo(id=uid, filename=f"{uid}.jpg", kind="image", width=1600, height=1200)


def video_upload(uid: str, ms: int, w: int = 1920, h: int = 1080) -> UploadInfo:
    """An uploaded clip with sound."""
    return UploadInfo(id=uid, filename=f"{uid}.mp4", kind="video", duration_ms=ms, width=w, height=h,
                      has_video=True, has_audio=True)


def audio_upload(uid: str, ms: int) -> UploadInfo:
    """An uploaded audio file."""
    return UploadInfo(id=uid, filename=f"{uid}.mp3", kind="audio", duration_ms=ms, has_audio=True)
