"""A generated draft renders to a real file with the asked length, size and streams."""

from __future__ import annotations

import time
from pathlib import Path

import av
import pytest

from reelterm import media
from reelterm.engine.planner import plan_video
from reelterm.engine.planner.storyboard import make_storyboard, storyboard_to_draft

from .helpers import TEXT_EN, TEXT_ZH


def _render(draft, out: Path) -> None:
    media.render_draft(draft, out, quality="draft")


@pytest.mark.slow
@pytest.mark.parametrize("text", [TEXT_EN, TEXT_ZH], ids=["en", "zh"])
def test_generated_draft_renders(tmp_path: Path, text: str) -> None:
    plan = plan_video(text, duration_ms=6_000, width=320, height=180)
    out = tmp_path / "promo.mp4"
    started = time.perf_counter()
    _render(plan.draft, out)
    assert time.perf_counter() - started < 30
    with av.open(str(out)) as container:
        vs = container.streams.video[0]
        assert (vs.codec_context.width, vs.codec_context.height) == (320, 180)
        assert container.streams.audio, "music must give an audio stream"
        seconds = container.duration / 1_000_000
    assert abs(seconds - 6.0) <= 0.5


@pytest.mark.slow
def test_vertical_image_free_render_with_narration_track_shape(tmp_path: Path) -> None:
    sb = make_storyboard(TEXT_EN, duration_ms=6_000)
    draft = storyboard_to_draft(sb, width=180, height=320, music="music:calm/calm_acoustic_1")
    out = tmp_path / "v.mp4"
    _render(draft, out)
    with av.open(str(out)) as container:
        vs = container.streams.video[0]
        assert (vs.codec_context.width, vs.codec_context.height) == (180, 320)
        assert abs(container.duration / 1_000_000 - 6.0) <= 0.5


@pytest.mark.slow
@pytest.mark.voice
def test_turn_with_uploads_and_narration_renders(tmp_path: Path) -> None:
    """A whole turn — uploaded picture and clip, narration when the extra is there — renders."""
    import subprocess

    from PIL import Image

    from reelterm.engine.agent.studio import voice
    from reelterm.media._ffmpeg import ffmpeg_exe

    from .context import Session, image_upload, text_upload, video_upload
    from .helpers import AGENT

    Image.new("RGB", (64, 48), (200, 80, 40)).save(tmp_path / "img1.png")
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "testsrc=s=64x64:d=1:r=30",
                    "-f", "lavfi", "-i", "sine=d=1", "-shortest", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", str(tmp_path / "vid1.mp4")], check=True)
    session = Session(uploads=[text_upload("t1", TEXT_EN), image_upload("img1"), video_upload("vid1", 1000, 64, 64)],
                      asset_dir=tmp_path)
    steps, reply = session.send(AGENT, "turn this text into a 6-second 320x180 video with a voiceover")
    draft = session.draft
    assert [s.name for s in steps] == ["generate_video"]
    assert (draft.m.width, draft.m.height) == (320, 180) and abs(draft.duration_ms - 6000) <= 500
    has_voice = any(t.id == "voice" for t in draft.t)
    assert has_voice == voice.available()
    files = {"upload:img1": tmp_path / "img1.png", "upload:vid1": tmp_path / "vid1.mp4"}

    def resolve(src: str) -> Path:
        if src.startswith("asset:"):
            return tmp_path / f"{src.split(':', 1)[1]}.wav"
        return files[src]

    out = tmp_path / "turn.mp4"
    media.render_draft(draft, out, resolve=resolve, quality="draft")
    with av.open(str(out)) as container:
        vs = container.streams.video[0]
        assert (vs.codec_context.width, vs.codec_context.height) == (320, 180)
        assert container.streams.audio
        assert abs(container.duration / 1_000_000 - 6.0) <= 0.5
