"""The local agent through the worker and the real engine: export in every format from chat, the seeds."""

from __future__ import annotations

import pytest
from worker_helpers import backend_of

from reelterm.media import probe
from reelterm.protocol import AUDIO_EXPORTS, EXPORT_FORMATS, STILL_EXPORTS
from reelterm.worker import events as ev

pytestmark = pytest.mark.slow


async def _merged(make_worker, engine, media):
    worker, rec = make_worker(backend_of(engine))
    assert await worker.start(new=True)
    await worker.send(f"upload {media / 'clip.mp4'} {media / 'tone.wav'}")
    await worker.send("merge this audio and video")
    assert rec.of(ev.StateUpdated), rec.events
    return worker, rec


def _is(path, fmt: str) -> bool:
    info = probe(path)
    if fmt in AUDIO_EXPORTS:
        return info.has_audio and not info.has_video
    if fmt in STILL_EXPORTS:
        return info.is_image
    return info.has_video


@pytest.mark.parametrize("routed", [True, False], ids=["app-route", "agent"])
async def test_every_format_asked_in_chat_is_the_format_written(make_worker, engine, media, routed: bool):
    """"export as m4a" routed by the worker, and "make it … and export as m4a" through the agent."""
    worker, rec = await _merged(make_worker, engine, media)
    for fmt in EXPORT_FORMATS:
        before = len(rec.of(ev.RenderDone))
        if routed:
            await worker.send(f"export as {fmt}")
        else:
            await worker.chat(f"export it as {fmt} in draft quality")
        await worker.wait_renders()
        done = rec.of(ev.RenderDone)
        assert len(done) == before + 1, (fmt, [e for e in rec.events if isinstance(e, ev.ErrorRaised)])
        path = done[-1].path
        assert path.suffix == f".{fmt}" and path.stat().st_size > 0 and _is(path, fmt), (fmt, path)


async def test_chinese_export_request_writes_aac(make_worker, engine, media):
    worker, rec = await _merged(make_worker, engine, media)
    await worker.send("导出为aac")
    await worker.wait_renders()
    path = rec.of(ev.RenderDone)[-1].path
    assert path.suffix == ".aac" and _is(path, "aac")


AURORA = ("Meet Aurora, the smart desk lamp that adjusts its light to the time of day. "
          "It wakes you gently and helps you focus at night.")


async def test_seed_prompt_with_the_text_after_the_colon(make_worker, engine):
    worker, rec = make_worker(backend_of(engine))
    assert await worker.start(new=True)
    await worker.chat(f"convert a two-sentence product description into a 1080p MP4: {AURORA}")
    reply = rec.of(ev.ReplyFinal)[-1].text
    assert "Aurora" in reply and "Which text" not in reply and "credit" not in reply
    draft = rec.of(ev.StateUpdated)[-1].state.draft
    assert (draft.m.width, draft.m.height) == (1920, 1080)
    words = " ".join(s.m.text or "" for t in draft.t if t.tt == 7 for s in t.sg)
    assert "Aurora" in words and "1080p" not in words and "product description" not in words
    queued = rec.of(ev.RenderQueued)
    assert queued and queued[-1].fmt == "mp4"
    await worker.cancel_render(queued[-1].render_id)  # the 30 s 1080p render itself is not under test


async def test_compound_request_is_one_undo_in_the_engine_store(make_worker, engine, media):
    worker, rec = await _merged(make_worker, engine, media)
    before = rec.of(ev.StateUpdated)[-1].state.draft.wire()
    await worker.chat("make it vertical, mute the audio and cut it to 0.5 seconds")
    after = rec.of(ev.StateUpdated)[-1].state.draft
    assert (after.m.width, after.m.height) == (1080, 1920) and after.duration_ms == 500
    assert after.t[1].sg[0].m.volume == 0
    await worker.chat("undo")
    assert rec.of(ev.StateUpdated)[-1].state.draft.wire() == before
