"""The timeline's editing keys, the playhead and frame previews, against the real local engine."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from reelterm.config import Settings, app_paths
from reelterm.protocol import Draft
from reelterm.tui.app import ReelApp
from support.demo import screen_text, until

pytestmark = pytest.mark.slow
PROMPT = "make a 12-second video about a smart water bottle that keeps drinks cold, with music"


def engine_app(**kwargs) -> ReelApp:
    """The app as `reelterm` opens it: the embedded engine and the real worker; it counts the
    turns the worker finished (`app.turns_done`) and keeps the last state's draft."""
    from reelterm.cli.app_backend import BackendOpener
    from reelterm.worker import events as ev

    paths = app_paths().ensure()
    opener = BackendOpener(None, paths, Settings())
    app = ReelApp(opener, on_shutdown=opener.aclose, **kwargs)
    app.turns_done = 0  # type: ignore[attr-defined]
    emit = app.link.emit  # the callback the worker is given

    def counting(event) -> None:
        if isinstance(event, ev.TurnFinished):
            app.turns_done += 1  # type: ignore[attr-defined]
        emit(event)

    app.link.emit = counting
    return app




async def made_video(pilot, app: ReelApp) -> Draft:
    """Connect, ask for a video, wait for its timeline."""
    await until(pilot, lambda: app.status.connection == "connected")
    await pilot.press(*PROMPT, "enter")
    await until(pilot, lambda: app.timeline.draft is not None and app.timeline.draft.ready
                and not app.status.activity)
    assert app.timeline.draft is not None
    return app.timeline.draft


def where(draft: Draft, seg_id: str) -> tuple[int, int]:
    """(track row, segment index) of a segment."""
    for row, track in enumerate(draft.t):
        for col, seg in enumerate(track.sg):
            if seg.id == seg_id:
                return row, col
    raise AssertionError(f"no segment {seg_id}")


def seg_of(draft: Draft, seg_id: str):
    """The segment with this id, or None."""
    return next((s for t in draft.t for s in t.sg if s.id == seg_id), None)


async def press_and_wait(pilot, app: ReelApp, *keys: str) -> Draft:
    """Press keys on the timeline; wait for the agent's turn and the new state."""
    turns = app.turns_done
    await pilot.press(*keys)
    await until(pilot, lambda: app.turns_done > turns)
    await pilot.pause(0.2)  # the state came before the turn's end: let the app show it
    await until(pilot, lambda: not app.status.activity)
    assert app.timeline.draft is not None
    return app.timeline.draft


async def test_each_editing_key_changes_the_draft_and_undo_restores_it() -> None:
    app = engine_app()
    async with app.run_test(size=(120, 36)) as pilot:
        original = await made_video(pilot, app)
        timeline = app.timeline
        timeline.focus()
        scenes = sorted(next(t for t in original.t if t.id == "video").sg, key=lambda s: s.s)
        body = [s for s in scenes if s.m.name not in ("Title card", "End card")]
        scene = body[0]
        text = next(t for t in original.t if t.tt == 7).sg[0]
        music = next(t for t in original.t if t.tt == 1).sg[0]

        def select(seg_id: str) -> None:
            timeline.cursor = where(timeline.draft, seg_id)

        cases = [  # key, segment, check(before, after)
            ("x", scene.id, lambda b, a: seg_of(a, scene.id) is None),
            ("full_stop", text.id, lambda b, a: seg_of(a, text.id).s == seg_of(b, text.id).s + 100),
            ("greater_than_sign", text.id, lambda b, a: seg_of(a, text.id).s == seg_of(b, text.id).s + 1000),
            ("right_square_bracket", scene.id, lambda b, a: seg_of(a, scene.id).d == seg_of(b, scene.id).d - 100
             and seg_of(a, scene.id).s == seg_of(b, scene.id).s),
            ("left_square_bracket", scene.id, lambda b, a: seg_of(a, scene.id).s == seg_of(b, scene.id).s + 100
             and seg_of(a, scene.id).d == seg_of(b, scene.id).d - 100),
            ("right_curly_bracket", scene.id, lambda b, a: seg_of(a, scene.id).d == seg_of(b, scene.id).d + 100),
            ("left_curly_bracket", scene.id, lambda b, a: seg_of(a, scene.id).s == seg_of(b, scene.id).s - 100),
            ("v", music.id, lambda b, a: round(seg_of(a, music.id).m.volume * 100)
             == round(seg_of(b, music.id).m.volume * 100) + 10),
            ("V", music.id, lambda b, a: round(seg_of(a, music.id).m.volume * 100)
             == round(seg_of(b, music.id).m.volume * 100) - 10),
        ]
        for key, seg_id, check in cases:
            select(seg_id)
            await pilot.pause(0.05)
            before = timeline.draft
            after = await press_and_wait(pilot, app, key)
            assert check(before, after), (key, seg_of(before, seg_id), seg_of(after, seg_id))
            restored = await press_and_wait(pilot, app, "u")
            assert restored.wire() == before.wire(), key

        # nudge earlier (after a nudge later, so there is room), split at the playhead
        select(text.id)
        await press_and_wait(pilot, app, "greater_than_sign")
        moved = await press_and_wait(pilot, app, "greater_than_sign")
        after = await press_and_wait(pilot, app, "less_than_sign")
        assert seg_of(after, text.id).s == seg_of(moved, text.id).s - 1000, screen_text(app)
        after = await press_and_wait(pilot, app, "comma")
        assert seg_of(after, text.id).s == seg_of(moved, text.id).s - 1100
        select(scene.id)
        await pilot.press("t", "F")  # playhead to the scene's start, then one second on
        await pilot.pause(0.05)
        assert timeline.playhead_ms == scene.s + 1000
        assert f"▼ {(scene.s + 1000) / 1000:.2f}s" in str(timeline.border_title)
        before = timeline.draft
        after = await press_and_wait(pilot, app, "s")
        halves = sorted((s for s in next(t for t in after.t if t.id == "video").sg
                         if s.id == scene.id or s.id.startswith(f"{scene.id}-")), key=lambda s: s.s)
        assert [(h.s, h.end) for h in halves] == [(scene.s, scene.s + 1000), (scene.s + 1000, scene.end)]
        assert (await press_and_wait(pilot, app, "u")).wire() == before.wire()
        redone = await press_and_wait(pilot, app, "U")
        assert redone.wire() == after.wire()
        await press_and_wait(pilot, app, "u")

        # move a scene later, then undo
        if len(body) > 1:
            select(body[0].id)
            before = timeline.draft
            after = await press_and_wait(pilot, app, "L")
            assert seg_of(after, body[0].id).s > seg_of(before, body[0].id).s
            assert seg_of(after, body[1].id).s < seg_of(before, body[1].id).s
            assert (await press_and_wait(pilot, app, "u")).wire() == before.wire()

        # the words of a text segment, edited in place (quotes and a line break kept)
        select(text.id)
        before = timeline.draft
        await pilot.press("e")
        await until(pilot, lambda: app.query("#segment-text"))
        editor = app.query_one("#segment-text")
        assert editor.text == text.m.text  # it opens with the current words
        editor.load_text('Ice-cold "all day"')
        editor.move_cursor(editor.document.end)
        turns = app.turns_done
        await pilot.press("ctrl+j", *"24 h", "enter")
        await until(pilot, lambda: app.turns_done > turns)
        await pilot.pause(0.2)
        assert seg_of(timeline.draft, text.id).m.text == 'Ice-cold "all day"\n24 h'
        assert (await press_and_wait(pilot, app, "u")).wire() == before.wire()

        # a key that cannot apply says why and sends nothing
        select(text.id)
        turns = len(app.chat.query(".-user"))
        await pilot.press("v")
        await pilot.pause(0.2)
        assert len(app.chat.query(".-user")) == turns
        assert "Only audio segments" in screen_text(app)
        # a failed edit on the engine says why: the id is gone after a delete
        select(scene.id)
        deleted = await press_and_wait(pilot, app, "x")
        turns = app.turns_done
        await app.edits.send(f"delete segment {scene.id}")  # the same request again: the id is gone
        await until(pilot, lambda: app.turns_done > turns)
        await until(pilot, lambda: not app.status.activity and scene.id in app.chat.last_reply_text())
        assert "no segment" in app.chat.last_reply_text().lower()  # it says why
        assert timeline.draft.wire() == deleted.wire()  # nothing changed
        restored = await press_and_wait(pilot, app, "u")
        assert seg_of(restored, scene.id) is not None


def _frame_of(video: Path, index: int) -> np.ndarray:
    import av

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate)
        for frame in container.decode(stream):
            if round(frame.time * fps) == index:
                return frame.to_ndarray(format="rgb24").astype(int)
    raise AssertionError(f"no frame {index}")


async def test_preview_pane_shows_the_frame_the_render_will_have() -> None:
    from PIL import Image

    from reelterm.worker.draft_keys import draft_key

    app = engine_app(export_quality="standard")
    async with app.run_test(size=(160, 45)) as pilot:
        draft = await made_video(pilot, app)
        pane = app.frames.pane
        assert pane.display and pane.region.width > 60
        app.timeline.focus()
        await pilot.press("pagedown", "F", "F", "f", "f", "f")  # a scene start, then 2 s and 3 frames
        at = app.timeline.playhead_ms
        key = draft_key(draft)
        await until(pilot, lambda: pane.shown == (key, at), timeout=60)
        assert f"{at / 1000:.2f} s · rendered" in screen_text(app)
        scenes = len(next(t for t in draft.t if t.id == "video").sg)
        await until(pilot, lambda: len(pane.query(".board-image")) == scenes)  # one frame per scene
        still = np.asarray(Image.open(app.frames.cache[(key, at)]).convert("RGB")).astype(int)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: any(j.path for j in app.renders.jobs.values()), timeout=180)
        video = next(j.path for j in app.renders.jobs.values() if j.path)
        index = int(at * draft.m.fps // 1000)
        frame = _frame_of(video, index)
        assert still.shape == frame.shape
        mad = float(np.abs(still - frame).mean())
        assert mad < 3.0, mad
        neighbour = float(np.abs(still - _frame_of(video, index + 15)).mean())
        # the comparison can tell frames apart: half a second later the picture has moved
        assert neighbour > mad
        # a stale frame is never shown as current: move the playhead, the old picture goes at once
        await pilot.press("F")
        assert pane.shown != (key, at)
        assert "Rendering the frame" in screen_text(app) or pane.shown == (key, at + 1000)


async def test_preview_pane_only_in_wide_terminals() -> None:
    app = engine_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await made_video(pilot, app)
        assert not app.frames.pane_visible()
        assert "rendered by the backend" not in screen_text(app)
        from reelterm.tui.preview import PreviewScreen

        await pilot.press("f3", "F", "p")  # p: the rendered frame at the playhead, full screen
        await until(pilot, lambda: isinstance(app.screen, PreviewScreen)
                    and "at 1.0 s" in screen_text(app))
        await pilot.press("escape")
        await pilot.resize_terminal(160, 45)
        await until(pilot, lambda: app.frames.pane_visible() and app.frames.pane.shown is not None)


async def test_a_message_typed_100ms_after_start_is_sent_once_after_connecting() -> None:
    from reelterm.cli.app_backend import BackendOpener
    from reelterm.worker import events as ev

    opener = BackendOpener(None, app_paths().ensure(), Settings())

    async def cold_start(emit):  # a first run: imports and the engine take about a second
        await asyncio.sleep(3.0)
        return await opener(emit)

    app = ReelApp(cold_start, on_shutdown=opener.aclose)
    seen: list[object] = []
    emit = app.link.emit  # the callback the worker is given

    def recording(event) -> None:
        seen.append(event)
        emit(event)

    app.link.emit = recording
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        assert not app.link.connected
        app.query_one("#prompt").load_text("hello there")
        await pilot.press("enter")
        assert app.link.outbox.waiting == ["hello there"]
        await until(pilot, lambda: any("will be sent as soon as the backend is ready" in e.copy_text
                                       for e in app.chat.query(".-notice")))
        await until(pilot, lambda: any(isinstance(e, ev.TurnFinished) for e in seen))
        started = [e for e in seen if isinstance(e, ev.TurnStarted)]
        connected = next(i for i, e in enumerate(seen) if isinstance(e, ev.Connected))
        assert [e.text for e in started] == ["hello there"]
        assert seen.index(started[0]) > connected
        await pilot.pause(0.5)
        assert len([e for e in seen if isinstance(e, ev.TurnStarted)]) == 1
        state = app.link.backend.last_state
        assert state is not None and state.model_extra.get("messages_received") == 1


async def test_the_chat_and_timeline_come_back_and_sessions_switch() -> None:
    from reelterm.tui.widgets.sessions import SessionsScreen

    app = engine_app()
    async with app.run_test(size=(120, 32)) as pilot:
        draft = await made_video(pilot, app)
        reply = app.chat.last_reply_text()
        first = app.status.session
    again = engine_app()
    async with again.run_test(size=(120, 32)) as pilot:
        await until(pilot, lambda: again.timeline.draft is not None and again.timeline.draft.ready
                    and again.chat.query(".restored"))
        assert again.status.session == first
        assert [e.copy_text for e in again.chat.query(".-user")] == [PROMPT]  # the chat came back
        assert again.chat.last_reply_text() == reply
        assert again.timeline.draft.wire() == draft.wire()
        # a new session, then back to the first from the sessions screen
        await pilot.press("ctrl+n")
        await until(pilot, lambda: again.status.session != first)
        await pilot.press(*"hello", "enter")
        await until(pilot, lambda: again.chat.last_reply_text() and not again.status.activity)
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(again.screen, SessionsScreen) and again.screen.ids)
        sessions = again.screen
        assert sessions.ids[1] == first and "Smart water bottle".lower() in screen_text(again).lower()
        await pilot.press("j", "enter")
        await until(pilot, lambda: again.status.session == first and again.timeline.draft is not None
                    and again.timeline.draft.ready)
        await until(pilot, lambda: PROMPT in [e.copy_text for e in again.chat.query(".-user")])
        assert "hello" not in [e.copy_text for e in again.chat.query(".-user")]
