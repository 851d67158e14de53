"""Reusable checks on rendered files: codecs, pixel format, faststart, A/V length, loudness."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import av

from reelterm.media._ffmpeg import ffmpeg_exe


def streams(path: Path) -> dict:
    """Codec, pixel format, size, rate, channels and per-stream durations (s) of a file."""
    info: dict = {}
    with av.open(str(path)) as c:
        for s in c.streams:
            dur = float(s.duration * s.time_base) if s.duration is not None else None
            if s.type == "video" and "video" not in info:
                cc = s.codec_context
                info["video"] = {"codec": cc.name, "pix_fmt": cc.format.name if cc.format else None,
                                 "width": cc.width, "height": cc.height, "duration": dur,
                                 "fps": float(s.average_rate or 0), "frames": s.frames}
            elif s.type == "audio" and "audio" not in info:
                cc = s.codec_context
                info["audio"] = {"codec": getattr(cc.codec, "canonical_name", cc.name),
                                 "rate": cc.sample_rate, "channels": cc.channels, "duration": dur}
        info["duration"] = (c.duration or 0) / 1_000_000
    return info


def assert_h264_mp4(path: Path, width: int | None = None, height: int | None = None) -> dict:
    """H.264 yuv420p video, AAC 48 kHz stereo, faststart."""
    info = streams(path)
    assert info["video"]["codec"] == "h264", info
    assert info["video"]["pix_fmt"] == "yuv420p", info
    if width:
        assert (info["video"]["width"], info["video"]["height"]) == (width, height), info
    assert info["audio"]["codec"] == "aac", info
    assert info["audio"]["rate"] == 48000 and info["audio"]["channels"] == 2, info
    assert_faststart(path)
    return info


def assert_faststart(path: Path) -> None:
    """The `moov` box comes before `mdat` (the file plays while it downloads)."""
    data = path.read_bytes()
    pos, order = 0, []
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8].decode("latin-1")
        order.append(kind)
        if size == 1:
            size = int.from_bytes(data[pos + 8:pos + 16], "big")
        if size < 8:
            break
        pos += size
    assert "moov" in order and "mdat" in order, order
    assert order.index("moov") < order.index("mdat"), order


def assert_av_within(path: Path, tolerance_s: float = 0.05, expected_s: float | None = None) -> None:
    """Audio and video lengths agree within `tolerance_s` (and match `expected_s` when given)."""
    info = streams(path)
    v, a = info["video"]["duration"], info["audio"]["duration"]
    assert v is not None and a is not None, info
    assert abs(v - a) <= tolerance_s, (v, a)
    if expected_s is not None:
        assert abs(v - expected_s) <= tolerance_s, (v, expected_s)


def loudness(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) measured with ffmpeg's ebur128 filter."""
    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-vn",
                           "-af", "ebur128=peak=true", "-f", "null", "-"],
                          capture_output=True, text=True, check=True)
    summary = proc.stderr[proc.stderr.rfind("Summary:"):]
    lufs = float(re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))
    return lufs, peak


def assert_loudness(path: Path, target: float = -14.0, tolerance: float = 1.5, peak_max: float = -0.5) -> None:
    """Integrated loudness near `target` LUFS and true peak at most `peak_max` dBTP."""
    lufs, peak = loudness(path)
    assert abs(lufs - target) <= tolerance, lufs
    assert peak <= peak_max, peak


def frame_rgb(path: Path, t: float = 0.0):
    """The first frame at or after `t` seconds, as an RGB numpy array."""
    with av.open(str(path)) as c:
        for frame in c.decode(video=0):
            if frame.time is None or frame.time >= t - 1e-6:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"no frame at {t}s in {path}")


def no_partials(folder: Path) -> list[Path]:
    """Temp files a job may have left behind in `folder` (should be empty)."""
    return [p for p in folder.iterdir() if ".part" in p.name]
