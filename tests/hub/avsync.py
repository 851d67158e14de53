"""A synthetic clip that exposes chunk-join mistakes, and the checks that read it back.

The clip: a frame-number barcode (12 bars, one bit each) in the top half, a white flash in the
bottom half every 15 frames, a steady 220 Hz tone and a one-frame 1 kHz beep at every flash.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

BITS = 12
EVERY = 15


def make_clip(path: Path, *, frames: int, fps: int = 24, size: tuple[int, int] = (160, 90)) -> Path:
    """Write the clip (H.264 near-lossless + AAC) with `frames` frames."""
    from reelterm.media._ffmpeg import ffmpeg_exe

    w, h = size
    bar = f"mod(floor(N/pow(2,floor(X*{BITS}/W))),2)"
    lum = f"if(lt(Y,H/2),16+219*{bar},if(eq(mod(N,{EVERY}),0),235,16))"
    beep = f"if(lt(mod(t*{fps},{EVERY}),1),0.6*sin(2*PI*1000*t),0)"
    tone = "0.15*sin(2*PI*220*t)"
    secs = frames / fps
    args = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"color=c=black:s={w}x{h}:r={fps}:d={secs},format=gray,"
                                 f"geq=lum='{lum}',format=yuv420p",
            "-f", "lavfi", "-i", f"aevalsrc='{tone}+{beep}':s=48000:c=stereo:d={secs}",
            "-c:v", "libx264", "-qp", "0", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "192k", "-frames:v", str(frames), str(path)]
    subprocess.run(args, check=True, timeout=120)
    return path


@dataclass
class Reading:
    """What a rendered file shows."""

    codes: list[int]  # the barcode of each frame, in order
    pts: list[float]  # each frame's time (s)
    keyframes: list[int]  # indices of key frames
    flashes: list[float]  # times of frames with the bottom half white
    beeps: list[float]  # onsets of the loud beeps (s)
    quietest_5ms: float  # the lowest RMS over any 5 ms window inside the sound
    audio_s: float
    pix_fmt: str
    codecs: tuple[str, str]


def read(path: Path) -> Reading:
    """Decode `path` with PyAV and read barcodes, flashes, key frames and beep onsets."""
    import av
    import numpy as np

    codes, pts, keys, flashes = [], [], [], []
    with av.open(str(path)) as box:
        vs = box.streams.video[0]
        pix, vcodec = vs.codec_context.pix_fmt, vs.codec_context.name
        acodec = box.streams.audio[0].codec_context.name if box.streams.audio else ""
        for packet in box.demux(vs):
            for frame in packet.decode():
                img = frame.to_ndarray(format="gray")
                h, w = img.shape
                row = img[h // 4]
                bits = [row[int((i + 0.5) * w / BITS)] > 128 for i in range(BITS)]
                codes.append(sum(1 << i for i, b in enumerate(bits) if b))
                t = float(frame.pts * vs.time_base)
                pts.append(t)
                if img[3 * h // 4, w // 2] > 128:
                    flashes.append(t)
            if packet.is_keyframe and packet.pts is not None:
                keys.append(packet.pts)
    order = sorted(range(len(pts)), key=lambda i: pts[i])
    codes, pts = [codes[i] for i in order], [pts[i] for i in order]
    with av.open(str(path)) as box:
        vs = box.streams.video[0]
        key_times = sorted(float(p * vs.time_base) for p in keys)
    keyframes = [min(range(len(pts)), key=lambda i, t=t: abs(pts[i] - t)) for t in key_times]
    samples, rate, start = [], 48000, None
    with av.open(str(path)) as box:
        for frame in box.decode(audio=0):
            if start is None:
                start = float(frame.pts * frame.time_base) if frame.pts is not None else 0.0
            rate = frame.sample_rate
            samples.append(frame.to_ndarray().reshape(-1, frame.samples)[0])
    x = np.concatenate(samples) if samples else np.zeros(1)
    start = start or 0.0
    loud = np.abs(x) > 0.5 * np.abs(x).max()
    beeps, last = [], -1.0
    for i in np.flatnonzero(loud):
        t = start + i / rate
        if t - last > 0.2:
            beeps.append(t)
        last = t
    win = int(rate * 0.005)
    end = pts[-1] + (pts[-1] - pts[-2] if len(pts) > 1 else 0.0)  # the picture's end
    inside = x[: max(0, int((end - start) * rate) - win)]  # the encoder's tail padding is not a gap
    body = inside[: len(inside) - len(inside) % win].reshape(-1, win)
    rms = np.sqrt((body ** 2).mean(axis=1))
    quiet = float(rms.min()) if len(rms) else 0.0
    return Reading(codes, pts, keyframes, flashes, beeps, quiet, len(x) / rate, pix, (vcodec, acodec))


def check(reading: Reading, frames: int, fps: int, chunk_starts: list[int] | None = None) -> None:
    """Assert the join-sensitive properties (see the module docstring)."""
    assert reading.codes == list(range(frames)), _first_bad(reading.codes)
    steps = {round((b - a) * fps * 1000) for a, b in zip(reading.pts, reading.pts[1:], strict=False)}
    assert steps == {1000}, f"frame steps vary: {sorted(steps)[:5]}"
    flashes = [f for f in reading.flashes]
    assert len(flashes) == (frames + EVERY - 1) // EVERY
    assert len(reading.beeps) == len(flashes), (reading.beeps, flashes)
    worst = max(abs(b - f) for b, f in zip(reading.beeps, flashes, strict=True))
    assert worst <= 0.002, f"a beep is {worst * 1000:.1f} ms from its flash"
    assert reading.quietest_5ms > 0.01, "a silent gap in the sound"
    assert abs(reading.audio_s - frames / fps) < 0.05
    for start in chunk_starts or []:
        assert start in reading.keyframes, f"no keyframe at chunk start {start}"


def _first_bad(codes: list[int]) -> str:
    for i, c in enumerate(codes):
        if c != i:
            return f"frame {i} shows barcode {c} ({len(codes)} frames)"
    return f"{len(codes)} frames"
