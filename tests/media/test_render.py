"""render_draft(): real renders of tiny drafts, checked with the reusable assertions."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from reelterm.media import FFmpegFailed, MediaError, RenderCancelled, probe, render_draft

from .assertions import (
    assert_av_within,
    assert_h264_mp4,
    assert_loudness,
    frame_rgb,
    no_partials,
    streams,
)
from .conftest import tiny_draft


def urban(w=160, h=90, fps=10, seconds=3) -> dict:
    ms = seconds * 1000
    return tiny_draft(
        {"tt": 0, "sg": [{"id": "v", "s": 0, "d": ms - 1000, "src": "upload:clip", "in": 200},
                         {"id": "g", "s": ms - 1000, "d": 1000, "src": "gradient:#203040,#a0c0e0",
                          "m": {"transition": "fade", "transition_ms": 300}}]},
        {"tt": 1, "sg": [{"id": "m", "s": 0, "d": ms, "src": "music:happy/happy_acoustic_1",
                          "m": {"volume": 0.35, "fade_out": 500}}]},
        {"tt": 7, "sg": [{"id": "t", "s": 0, "d": ms // 2, "m": {"text": "Urban Dreams", "style": "title"}},
                         {"id": "c", "s": ms // 2, "d": ms // 2, "m": {"text": "城市之梦 caption", "style": "caption"}}]},
        w=w, h=h, fps=fps)


def test_mp4_contract(resolver, tmp_path):
    out = tmp_path / "urban.mp4"
    seen = []
    render_draft(urban(), out, resolve=resolver, quality="draft", on_progress=seen.append,
                 cache_dir=tmp_path / "cache")
    info = assert_h264_mp4(out, 160, 90)
    assert_av_within(out, 0.05, expected_s=3.0)
    assert info["video"]["frames"] == 30
    assert_loudness(out, -14.0, tolerance=2.0, peak_max=-0.5)
    assert seen and seen[-1] == 100.0 and seen == sorted(seen)
    assert no_partials(tmp_path) == []


@pytest.mark.parametrize("suffix, vcodec, acodec", [
    ("webm", "vp9", "opus"), ("mov", "h264", "aac"), ("mkv", "h264", "aac"), ("avi", "h264", "mp3"),
])
def test_video_formats(resolver, tmp_path, suffix, vcodec, acodec):
    out = tmp_path / f"o.{suffix}"
    render_draft(urban(64, 36, 5, 2), out, resolve=resolver, quality="draft", cache_dir=tmp_path / "c")
    info = streams(out)
    assert info["video"]["codec"].startswith(vcodec) or vcodec in info["video"]["codec"]
    assert info["audio"]["codec"] == acodec and info["audio"]["rate"] == 48000
    # AVI cannot signal the MP3 encoder delay, so its audio runs up to ~100 ms long
    assert abs(info["duration"] - 2.0) < (0.25 if suffix == "avi" else 0.1)


@pytest.mark.parametrize("suffix, codec", [("mp3", "mp3"), ("wav", "pcm_s16le"), ("m4a", "aac"), ("aac", "aac")])
def test_audio_only(resolver, tmp_path, suffix, codec):
    out = tmp_path / f"o.{suffix}"
    render_draft(urban(64, 36, 5, 2), out, resolve=resolver, cache_dir=tmp_path / "c")
    info = probe(out)
    assert not info.has_video and info.audio_codec == codec
    assert abs(info.duration_ms - 2000) < 80


def test_gif_and_still(resolver, tmp_path):
    gif, jpg = tmp_path / "o.gif", tmp_path / "o.jpg"
    render_draft(urban(64, 36, 5, 2), gif, resolve=resolver, cache_dir=tmp_path / "c")
    render_draft(urban(64, 36, 5, 2), jpg, resolve=resolver, cache_dir=tmp_path / "c")
    assert probe(gif).video_codec == "gif" and not probe(gif).is_image
    assert probe(jpg).is_image and probe(jpg).width == 64


def test_rotation_is_honoured(resolver, tmp_path):
    out = tmp_path / "rot.mp4"
    draft = tiny_draft({"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "upload:rotated", "m": {"fit": "cover"}}]},
                       w=90, h=160, fps=10)
    render_draft(draft, out, resolve=resolver, quality="draft", cache_dir=tmp_path / "c")
    px = frame_rgb(out).astype(int)
    top, bottom = px[20, 45], px[140, 45]
    left, right = px[80, 10], px[80, 80]
    # the red|blue halves were side by side before the 90° display rotation: now stacked
    assert np.abs(top - bottom).sum() > 200
    assert np.abs(left - right).sum() < 80


def test_gaps_are_black_and_text_only_draft(resolver, tmp_path):
    out = tmp_path / "gap.mp4"
    draft = tiny_draft({"tt": 0, "sg": [{"s": 1000, "d": 1000, "src": "color:#ffffff"}]},
                       {"tt": 7, "sg": [{"s": 1500, "d": 500, "m": {"text": "hi", "style": "caption"}}]})
    render_draft(draft, out, resolve=resolver, quality="draft", cache_dir=tmp_path / "c")
    assert frame_rgb(out, 0.2).mean() < 20 and frame_rgb(out, 1.2).mean() > 230
    assert_av_within(out, 0.05, 2.0)
    only_text = tmp_path / "text.mp4"
    render_draft(tiny_draft({"tt": 7, "sg": [{"s": 0, "d": 1000, "m": {"text": "Only text"}}]}), only_text,
                 cache_dir=tmp_path / "c", quality="draft")
    assert_h264_mp4(only_text, 64, 36)


def test_cancel_leaves_nothing(resolver, tmp_path):
    cancel = threading.Event()
    out = tmp_path / "big.mp4"
    draft = tiny_draft({"tt": 0, "sg": [{"s": 0, "d": 600_000, "src": "gradient:#000000,#ffffff"}]},
                       w=640, h=360, fps=30)
    with pytest.raises(RenderCancelled):
        render_draft(draft, out, quality="high", cache_dir=tmp_path / "c",
                     on_progress=lambda pct: cancel.set(), cancel=cancel)
    assert not out.exists() and no_partials(tmp_path) == []


def test_ffmpeg_failure_leaves_nothing(resolver, tmp_path, monkeypatch):
    from reelterm.media import _ffmpeg

    monkeypatch.setattr(_ffmpeg, "ffmpeg_exe", lambda: "false")
    out = tmp_path / "x.mp4"
    with pytest.raises(FFmpegFailed):
        render_draft(urban(64, 36, 5, 1), out, resolve=resolver, cache_dir=tmp_path / "c")
    assert not out.exists() and no_partials(tmp_path) == []


def test_missing_reference(tmp_path):
    with pytest.raises(MediaError, match="upload:nothing"):
        render_draft(tiny_draft({"tt": 0, "sg": [{"s": 0, "d": 500, "src": "upload:nothing"}]}),
                     tmp_path / "x.mp4", cache_dir=tmp_path / "c")
    assert list(tmp_path.glob("*.mp4")) == []


def test_upper_video_track_timing_and_clip_sound(resolver, tmp_path):
    out = tmp_path / "layers.mp4"
    draft = tiny_draft({"tt": 0, "sg": [{"s": 0, "d": 3000, "src": "color:#000000"}]},
                       {"tt": 0, "sg": [{"s": 1000, "d": 1000, "src": "color:#ffffff"},
                                        {"s": 2000, "d": 1000, "src": "upload:clip", "in": 99_000}]})
    render_draft(draft, out, resolve=resolver, quality="draft", cache_dir=tmp_path / "c")
    assert frame_rgb(out, 0.4).mean() < 20
    assert frame_rgb(out, 1.4).mean() > 230
    assert 20 < frame_rgb(out, 2.4).mean() < 230  # the clip (in-point past its end: last frames held)
    assert_av_within(out, 0.05, 3.0)
    audio_only = tmp_path / "layers.wav"
    render_draft(draft, audio_only, resolve=resolver, cache_dir=tmp_path / "c")
    assert abs(probe(audio_only).duration_ms - 3000) < 30


def test_gradient_background_drifts(tmp_path):
    out = tmp_path / "grad.mp4"
    draft = tiny_draft({"tt": 0, "sg": [{"s": 0, "d": 3000, "src": "gradient:#102030,#e0c0a0"}]},
                       w=160, h=90, fps=10)
    render_draft(draft, out, quality="draft", cache_dir=tmp_path / "c")
    first, later = frame_rgb(out, 0.0).astype(int), frame_rgb(out, 2.0).astype(int)
    assert np.abs(first - later).mean() > 2  # it moves...
    assert np.abs(first.mean(axis=(0, 1)) - later.mean(axis=(0, 1))).max() < 40  # ...but stays itself
    assert_av_within(out, 0.05, 3.0)


def test_loud_peaky_sound_is_levelled_and_limited(tmp_path):
    """A quiet bed with full-scale near-Nyquist bursts: +gain to -14 LUFS, the limiter holds the peaks."""
    import subprocess

    from reelterm.media._ffmpeg import ffmpeg_exe

    from .assertions import loudness

    loud = tmp_path / "loud.wav"
    expr = "0.1*sin(2*PI*220*t)+if(lt(mod(t\\,1)\\,0.001)\\,0.99*sin(2*PI*3001*t+PI/4)\\,0)"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"aevalsrc={expr}:s=48000:d=4", "-ac", "2", str(loud)], check=True)
    draft = tiny_draft({"tt": 0, "sg": [{"s": 0, "d": 4000, "src": "color:#202020"}]},
                       {"tt": 1, "sg": [{"s": 0, "d": 4000, "src": "upload:loud"}]})
    out = tmp_path / "loud.mp4"
    render_draft(draft, out, resolve=lambda src: loud, quality="draft", cache_dir=tmp_path / "c")
    lufs, peak = loudness(out)
    assert peak <= -1.0, peak
    assert abs(lufs + 14.0) <= 2.0, lufs
    assert_av_within(out, 0.05, expected_s=4.0)


def test_loudness_measured_once_per_mix(tmp_path, monkeypatch):
    """The measuring pass is remembered per mix: a caption edit or another quality skips it."""
    import subprocess

    from reelterm.media import loudness as L
    from reelterm.media._ffmpeg import ffmpeg_exe

    tone = tmp_path / "tone.wav"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", "sine=f=440:d=2",
                    str(tone)], check=True)
    runs = []
    real = L.run_ffmpeg
    monkeypatch.setattr(L, "run_ffmpeg", lambda args, **kw: (runs.append(kw.get("what")), real(args, **kw))[1])

    def draft(text: str) -> dict:
        return tiny_draft({"tt": 1, "sg": [{"s": 0, "d": 2000, "src": "upload:tone"}]},
                          {"tt": 7, "sg": [{"s": 0, "d": 2000, "m": {"text": text}}]})

    kw = {"resolve": lambda src: tone, "cache_dir": tmp_path / "c"}
    render_draft(draft("one"), tmp_path / "a.mp4", quality="draft", **kw)
    render_draft(draft("two"), tmp_path / "b.mp4", quality="standard", **kw)
    assert runs == ["loudness measurement"]  # the renders themselves go through run_to
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", "sine=f=440:d=2",
                    "-af", "volume=0.2", str(tone)], check=True)  # the sound changed: measured again
    render_draft(draft("two"), tmp_path / "c.mp4", quality="draft", **kw)
    assert runs == ["loudness measurement"] * 2
    assert_loudness(tmp_path / "c.mp4", -14.0, tolerance=2.0, peak_max=-1.0)
