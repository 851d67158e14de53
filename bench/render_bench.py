"""Benchmark (a) a 30 s 1080p30 draft vs the encoder-only floor, and (b) the same draft in MoviePy.

    python bench/render_bench.py [--quality standard] [--seconds 30] [--no-moviepy]

The draft: a background video, music at 35%, a title 0-3 s and two captions. The floor is the
same frames (decoded from reelterm's own output beforehand, untimed) and the same audio samples
piped raw into the same encoder settings. MoviePy 2.2.1 gets the same inputs (the same text PNGs,
placed at the same spots) and the same x264/AAC settings. Ratios are measured side by side in one run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reelterm.media._ffmpeg import ffmpeg_exe
from reelterm.media.formats import _X264
from reelterm.media.render import render_draft

W, H, FPS = 1920, 1080, 30


def ff(*args: str, **kw) -> None:
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y", *args], check=True, **kw)


def make_background(path: Path, seconds: int) -> None:
    ff("-f", "lavfi", "-i", f"testsrc2=s={W}x{H}:r={FPS}:d={seconds}", "-c:v", "libx264",
       "-preset", "ultrafast", "-crf", "23", "-pix_fmt", "yuv420p", str(path))


def the_draft(seconds: int, scenes: int = 1) -> dict:
    ms = seconds * 1000
    step = ms // scenes  # --transitions: the background in `scenes` pieces, 500 ms fades between
    video = [{"id": f"bg{i}", "s": i * step, "d": step if i < scenes - 1 else ms - i * step, "in": i * step,
              "src": "upload:background", "m": {"transition": "fade", "transition_ms": 500} if i else {}}
             for i in range(scenes)]
    return {
        "m": {"title": "bench", "width": W, "height": H, "fps": FPS},
        "t": [
            {"tt": 0, "sg": video},
            {"tt": 1, "sg": [{"id": "bgm", "s": 0, "d": ms, "src": "music:calm/calm_acoustic_1",
                              "m": {"volume": 0.35, "fade_out": 1000}}]},
            {"tt": 7, "sg": [
                {"id": "title", "s": 0, "d": 3000, "m": {"text": "Urban Dreams", "style": "title"}},
                {"id": "c1", "s": 5000, "d": 7000, "m": {"text": "The city never sleeps", "style": "caption"}},
                {"id": "c2", "s": 15000, "d": 7000, "m": {"text": "Lights, motion, people", "style": "caption"}},
            ]},
        ],
    }


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its finished children)."""
    c0, t0 = _cpu(), time.perf_counter()
    fn()
    return time.perf_counter() - t0, _cpu() - c0


def floor_run(raw: Path, wav: Path, out: Path, quality: str) -> None:
    preset, crf = _X264[quality]
    with raw.open("rb") as frames:
        ff("-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{W}x{H}", "-r", str(FPS), "-i", "pipe:0",
           "-i", str(wav), "-map", "0:v", "-map", "1:a",
           "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p",
           "-movflags", "+faststart", "-c:a", "aac", "-ar", "48000", "-ac", "2", "-b:a", "192k",
           str(out), stdin=frames)


def moviepy_run(work: Path, draft: dict, resolve, out: Path, quality: str, seconds: int) -> None:
    from moviepy import AudioFileClip, CompositeVideoClip, ImageClip, VideoFileClip
    from moviepy.audio.fx import AudioFadeOut, MultiplyVolume

    from reelterm.media.assets import resolve_music
    from reelterm.media.text_images import render_text

    preset, crf = _X264[quality]
    bg = VideoFileClip(str(resolve("upload:background"))).subclipped(0, seconds)
    layers = [bg]
    for seg in draft["t"][2]["sg"]:
        img = render_text(seg["m"]["text"], seg["m"]["style"], None, W, H, work / "cache")
        layers.append(ImageClip(str(img.path)).with_start(seg["s"] / 1000)
                      .with_duration(seg["d"] / 1000).with_position((img.x, img.y)))
    music = AudioFileClip(str(resolve_music("music:calm/calm_acoustic_1"))).subclipped(0, seconds)
    music = music.with_effects([MultiplyVolume(0.35), AudioFadeOut(1.0)])
    video = CompositeVideoClip(layers, size=(W, H)).with_audio(music).with_duration(seconds)
    video.write_videofile(str(out), fps=FPS, codec="libx264", preset=preset, audio_codec="aac",
                          audio_fps=48000, threads=os.cpu_count(), logger=None,
                          ffmpeg_params=["-crf", str(crf), "-pix_fmt", "yuv420p", "-movflags", "+faststart"])
    video.close()
    bg.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", default="standard", choices=list(_X264))
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=2, help="runs of the render and the floor (median)")
    ap.add_argument("--no-moviepy", action="store_true")
    ap.add_argument("--transitions", action="store_true", help="4 scenes with fades (no MoviePy run)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="reelterm-bench-") as tmp:
        work = Path(tmp)
        bg = work / "background.mp4"
        print(f"preparing a {args.seconds} s {W}x{H}@{FPS} background…", flush=True)
        make_background(bg, args.seconds)
        draft = the_draft(args.seconds, 4 if args.transitions else 1)

        def resolve(src: str) -> Path:
            return work / f"{src.split(':', 1)[1]}.mp4"

        out = work / "reelterm.mp4"
        kw = {"resolve": resolve, "quality": args.quality, "cache_dir": work / "cache"}
        render_draft(draft, out, **kw)  # warm-up: text PNGs cached, files in the page cache
        # the floor's inputs: reelterm's own frames and samples, raw (untimed)
        raw, wav = work / "frames.yuv", work / "audio.wav"
        ff("-i", str(out), "-map", "0:v", "-f", "rawvideo", "-pix_fmt", "yuv420p", str(raw))
        ff("-i", str(out), "-map", "0:a", "-c:a", "pcm_s16le", str(wav))
        renders, floors = [], []
        for _ in range(args.repeat):  # interleaved so that load changes hit both alike
            renders.append(timed(lambda: render_draft(draft, out, **kw)))
            floors.append(timed(lambda: floor_run(raw, wav, work / "floor.mp4", args.quality)))
        raw.unlink()
        r = statistics.median(w for w, _ in renders)
        f = statistics.median(w for w, _ in floors)
        rc = statistics.median(c for _, c in renders)
        fc = statistics.median(c for _, c in floors)
        print(f"load average {os.getloadavg()[0]:.2f} (2 cores shared); quality {args.quality}")
        print(f"(a) reelterm render  {r:6.2f} s wall {rc:6.2f} s CPU   runs {[round(w, 2) for w, _ in renders]}")
        print(f"    encoder floor    {f:6.2f} s wall {fc:6.2f} s CPU   runs {[round(w, 2) for w, _ in floors]}")
        print(f"    ratio            {r / f:6.3f} wall {rc / fc:6.3f} CPU   (target <= 1.15)")
        if not args.no_moviepy and not args.transitions:
            try:
                m, mc = timed(lambda: moviepy_run(work, draft, resolve, work / "moviepy.mp4", args.quality,
                                                  args.seconds))
            except ImportError:
                print("(b) MoviePy is not installed: pip install moviepy==2.2.1")
            else:
                print(f"(b) MoviePy 2.2.1    {m:6.2f} s wall {mc:6.2f} s CPU")
                print(f"    speed-up         {m / r:6.1f}x wall {mc / rc:5.1f}x CPU   (target >= 12x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
