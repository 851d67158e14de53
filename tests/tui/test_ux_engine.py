"""Review findings checked on the real local engine: a split at a frame's exact time."""

from __future__ import annotations

import pytest

from support.demo import screen_text
from tui.test_editing_engine import engine_app, made_video, press_and_wait, seg_of, until, where

pytestmark = pytest.mark.slow


async def test_a_split_at_a_frame_uses_and_says_the_exact_time() -> None:
    """The playhead at 5.033 s (a frame after 5 s) split at 5 s and said so."""
    app = engine_app()
    async with app.run_test(size=(120, 36)) as pilot:
        draft = await made_video(pilot, app)
        timeline = app.timeline
        timeline.focus()
        scene = max(next(t for t in draft.t if t.id == "video").sg, key=lambda s: s.d)
        timeline.cursor = where(draft, scene.id)
        await pilot.press("t", "F", "f")  # the scene's start, one second on, one frame on
        await until(pilot, lambda: timeline.playhead_ms > scene.s + 1000)
        at_ms = timeline.playhead_ms
        assert at_ms % 1000  # not a whole second
        after = await press_and_wait(pilot, app, "s")
        exact = f"{at_ms / 1000:.3f}".rstrip("0")
        assert f"at {exact}s" in screen_text(app)  # the request says the time it uses
        halves = sorted((s for t in after.t for s in t.sg if s.id == scene.id or s.id.startswith(f"{scene.id}-")),
                        key=lambda s: s.s)
        assert [h.end for h in halves][0] == at_ms, (at_ms, [(h.s, h.end) for h in halves])
        assert seg_of(after, scene.id) is not None
        assert f"at {exact} s" in app.chat.last_reply_text()  # and the reply says that time, not 2.4
