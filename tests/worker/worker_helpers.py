"""Helpers of the worker tests: an event recorder, fast timings, small local agents."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any, TypeVar

from reelterm.engine.agent.base import Reply, Step, ToolStep, TurnContext
from reelterm.protocol import Draft, DraftMeta, Segment, SegmentMeta, Track, TrackType
from reelterm.worker import Backend, TurnTimings, WorkerTimings

E = TypeVar("E")


class Recorder:
    """The `emit` callback: keeps every event in order."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    def __call__(self, event: Any) -> None:
        self.events.append(event)

    def of(self, kind: type[E]) -> list[E]:
        """The events of one type."""
        return [e for e in self.events if isinstance(e, kind)]

    def names(self) -> list[str]:
        """Event class names in order."""
        return [type(e).__name__ for e in self.events]

    async def wait_for(self, kind: type[E], timeout: float = 20.0, count: int = 1) -> E:
        """Wait until `count` events of `kind` arrived; return the last one."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.of(kind)) < count:
            if loop.time() > deadline:
                raise AssertionError(f"no {kind.__name__} within {timeout}s; got {self.names()}")
            await asyncio.sleep(0.02)
        return self.of(kind)[count - 1]


def backend_of(eng: Any) -> Backend:
    """The worker's view of an embedded engine."""
    return Backend(eng.base_url, eng.token, True, "local engine")


def fast_timings(still_working_s: float = 120.0, heartbeat_timeout_s: float = 600.0,
                 turn_timeout_s: float = 900.0, state_poll_s: float = 0.05,
                 render_poll_s: float = 0.1, broken_polls: int = 5) -> WorkerTimings:
    """Worker timings for tests: fast polls, real turn limits unless given."""
    return WorkerTimings(turn=TurnTimings(still_working_s, heartbeat_timeout_s, turn_timeout_s),
                         state_poll_s=state_poll_s, render_poll_s=render_poll_s,
                         broken_polls=int(broken_polls))


def titled_draft(title: str, seconds: float = 2.0) -> Draft:
    """A one-track colour draft with a title card."""
    ms = int(seconds * 1000)
    return Draft(
        t=[Track(tt=TrackType.VIDEO, sg=[Segment(id="bg", s=0, d=ms, src="color:#203040")]),
           Track(tt=TrackType.TEXT, sg=[Segment(id="t1", s=0, d=ms, m=SegmentMeta(text=title, style="title"))])],
        m=DraftMeta(title=title, width=64, height=64, fps=10))


class SilentAgent:
    """Edits the draft (a title card) and says nothing: a silent turn."""

    def respond(self, ctx: TurnContext, message: str) -> Iterator[Step]:
        """One turn: commit a draft, no reply."""
        version = ctx.commit(titled_draft("Urban Dreams"), "added a title")
        yield ToolStep("add_title", {"text": "Urban Dreams"}, {"status": "ok"}, {"draft_version": version})


class SlowAgent:
    """Starts a tool, then waits (until `release` is set or 30 s) before committing and replying."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def respond(self, ctx: TurnContext, message: str) -> Iterator[Step]:
        """One slow turn."""
        self.calls += 1
        yield ToolStep("think", {"about": message[:20]}, {"status": "ok"})
        self.started.set()
        self.release.wait(30)
        yield Reply("Done thinking.")


class ReplyAgent:
    """Answers every message with a fixed text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def respond(self, ctx: TurnContext, message: str) -> Iterator[Step]:
        """One turn: the fixed reply."""
        yield Reply(self.text)
