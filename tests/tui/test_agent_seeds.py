"""The seeds' prompts typed into the app (Pilot, the real embedded engine, worker and agent)."""

from __future__ import annotations

import pytest

from reelterm.tui.widgets.chat import Reply
from reelterm.tui.widgets.prompt import PromptArea
from support.demo import screen_text

from .test_engine import engine_app, until

pytestmark = pytest.mark.slow

AURORA = ("Meet Aurora, the smart desk lamp that adjusts its light to the time of day. "
          "It wakes you gently and helps you focus at night.")


async def _say(pilot, text: str) -> None:
    prompt = pilot.app.query_one(PromptArea)
    prompt.focus()
    prompt.insert(text)
    await pilot.press("enter")


async def test_first_seed_prompt_in_the_app_makes_the_video_and_asks_for_an_mp4() -> None:
    app = engine_app()
    async with app.run_test(size=(120, 32)) as pilot:
        await until(pilot, lambda: app.status.connection == "connected")
        await _say(pilot, f"convert a two-sentence product description into a 1080p MP4: {AURORA}")
        await until(pilot, lambda: app.timeline.draft is not None and app.timeline.draft.ready and app.renders.jobs)
        draft = app.timeline.draft
        assert (draft.m.width, draft.m.height) == (1920, 1080)
        words = " ".join(s.m.text or "" for t in draft.t if t.tt == 7 for s in t.sg)
        assert "Aurora" in words and "convert" not in words and "1080p" not in words
        job = next(iter(app.renders.jobs.values()))
        assert job.fmt == "mp4"
        app.action_cancel_render(job.id)  # the 30 s 1080p render itself is not under test
        await until(pilot, lambda: app.renders.jobs[job.id].status in ("cancelled", "failed", "completed"))
        await until(pilot, lambda: app.query(Reply) and not app.query(Reply).last().streaming)
        assert "Which text" not in screen_text(app)


async def test_compound_request_and_one_undo_in_the_app() -> None:
    app = engine_app()
    async with app.run_test(size=(120, 32)) as pilot:
        await until(pilot, lambda: app.status.connection == "connected")
        await _say(pilot, f"make a 20 second video: {AURORA}")
        await until(pilot, lambda: app.timeline.draft is not None and app.timeline.draft.duration_ms == 20_000)
        first = app.timeline.draft.wire()
        await _say(pilot, "make it vertical, cut it to 10 seconds and drop the music")
        await until(pilot, lambda: app.timeline.draft.duration_ms == 10_000)
        draft = app.timeline.draft
        assert (draft.m.width, draft.m.height) == (1080, 1920) and not any(t.id == "music" for t in draft.t)
        await _say(pilot, "undo")
        await until(pilot, lambda: app.timeline.draft.wire() == first)
