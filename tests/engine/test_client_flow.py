"""The whole flow with `reelterm.client.NemoClient` against the real engine on loopback."""

from __future__ import annotations

import asyncio
import os

import pytest

from reelterm import client as client_mod
from reelterm.config import app_paths
from reelterm.engine.embedded import start_embedded
from reelterm.protocol import StateChanged, TextDelta, TextFinal, ToolCalled, ToolReturned

from .helpers import decode, make_media


@pytest.mark.slow
async def test_token_session_upload_turn_export_download(tmp_path, reelterm_home):
    paths = app_paths().ensure()
    video = make_media(tmp_path / "walk.mp4", "video", 2.0)
    audio = make_media(tmp_path / "song.m4a", "audio", 3.0)
    eng = await asyncio.to_thread(start_embedded, paths)
    try:
        assert eng.config.data_dir == paths.engine_dir
        async with client_mod.NemoClient(eng.base_url, paths=paths) as c:  # anonymous token
            info = await c.create_session(language="en")
            result = await c.upload_files(info.session_id, [video, audio])
            assert [f.file_type for f in result.files] == ["video", "audio"]
            state = await c.state(info.session_id)
            assert [round(v["duration"], 1) for v in state.video_infos] == [2.0, 3.0]
            items = [item async for item in c.run_turn(info.session_id, "merge this audio and video")]
            kinds = [type(i) for i in items]
            assert ToolCalled in kinds and ToolReturned in kinds and StateChanged in kinds
            assert TextDelta in kinds and isinstance(items[-1], TextFinal)
            assert "Merged walk.mp4" in items[-1].text and "song.m4a" in items[-1].text
            state = await c.state(info.session_id)
            assert state.draft is not None and state.draft.ready
            credits = await c.credits()
            assert credits.unlimited
            st = await c.submit_render(info.session_id, state.draft, fmt="mp4", quality="draft")
            assert st.status == "pending"
            for _ in range(600):
                st = await c.render_status(st.id)
                if st.finished:
                    break
                await asyncio.sleep(0.1)
            assert st.status == "completed" and st.url and st.progress == 100
            out = await c.download(st, tmp_path / "out")
            got = decode(out)
            assert got["streams"] == ["audio", "video"] and got["duration"] == pytest.approx(2.0, abs=0.2)
            assert got["frames"] >= 19
    finally:
        await asyncio.to_thread(eng.stop)


async def test_client_maps_every_engine_error(tmp_path, reelterm_home):
    paths = app_paths().ensure()
    eng = await asyncio.to_thread(start_embedded, paths, credits=0, max_upload_bytes=1024 * 1024)
    bad = tmp_path / "notes.mp4"
    bad.write_text("text renamed to mp4\n" * 10)
    big = tmp_path / "big.mp4"
    big.write_bytes(os.urandom(2 * 1024 * 1024))
    try:
        async with client_mod.NemoClient(eng.base_url, paths=paths, token=eng.token) as c:
            sid = (await c.create_session()).session_id
            with pytest.raises(client_mod.UnsupportedFile) as info:
                await c.upload_files(sid, [bad])
            assert info.value.sentence.startswith("'notes.mp4' is named like a .mp4 file")
            assert info.value.sentence.endswith("reelterm can read.")  # the reason, then its own advice
            assert info.value.action.startswith("Check that it is the file you meant")
            junk = tmp_path / "photo.jpeg"
            junk.write_bytes(b"\x00\x9f not a picture\n" * 20)
            with pytest.raises(client_mod.UnsupportedFile) as info:
                await c.upload_files(sid, [junk])
            # the reason, then the formats once, as the action (not inside the sentence too)
            assert info.value.sentence.endswith("reelterm accepts.") and "Use one of" not in info.value.sentence
            assert info.value.action.startswith("Use one of: mp4")
            with pytest.raises(client_mod.FileTooLarge):
                await c.upload_files(sid, [big])
            with pytest.raises(client_mod.SessionNotFound):
                await c.state("sess_gone")
            with pytest.raises(client_mod.OutOfCredits):
                async for _ in c.run_turn(sid, "merge"):
                    pass
            with pytest.raises(client_mod.ReelError) as err:
                await c.submit_render(sid, {"t": [{"tt": 0, "sg": [{"s": -5, "d": 10, "src": "color:#000000"}]}]})
            assert "negative" in (err.value.detail + err.value.sentence)
        async with client_mod.NemoClient(eng.base_url, paths=paths, token="nmv_usr_bogus") as c:
            # 1001 -> the client fetches an anonymous token once and goes on
            assert (await c.create_session()).session_id
            assert c.token_source == "anonymous"
    finally:
        await asyncio.to_thread(eng.stop)
