"""Benchmark (a) a 30 s 1080p30 draft vs the encoder-only floor, and (b) the same draft in MoviePy.

    python bench/render_bench.py [--quality standard] [--seconds 30] [--no-moviepy]

The draft: a background video, music at 35%, a title 0-3 s and two captions. The floor is the
same frames and samples reelterm's graph hands its encoder (written out raw beforehand, untimed),
piped raw through an OS pipe into one ffmpeg with the same encoder settings; the same ffmpeg
reading the raw file directly is printed beside it. MoviePy 2.2.1 gets the same inputs (the same
text PNGs with the same fades, at the same spots) and the same x264/AAC settings. Ratios are
measured side by side in one run; `--quality` takes several presets.
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
from reelterm.media.compile import compile_draft
from reelterm.media.formats import _X264
from reelterm.media.probe import probe
from reelterm.media.render import _measure, render_draft
from reelterm.protocol.draft import Draft

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


def floor_argv(wav: Path, out: Path, quality: str) -> list[str]:
    """One ffmpeg encoding raw yuv420p frames from stdin and `wav` with the render's settings."""
    preset, crf = _X264[quality]
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{W}x{H}", "-r", str(FPS), "-i", "pipe:0",
            "-i", str(wav), "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p",
            "-movflags", "+faststart", "-c:a", "aac", "-ar", "48000", "-ac", "2", "-b:a", "192k", str(out)]


def floor_piped(raw: Path, wav: Path, out: Path, quality: str) -> None:
    """The floor: frames spliced from the page cache into a pipe (no copy through user space)."""
    proc = subprocess.Popen(floor_argv(wav, out, quality), stdin=subprocess.PIPE)
    assert proc.stdin is not None
    with raw.open("rb") as frames:
        size, offset = raw.stat().st_size, 0
        while offset < size:
            sent = os.splice(frames.fileno(), proc.stdin.fileno(), size - offset, offset_src=offset)
            if not sent:
                break
            offset += sent
    proc.stdin.close()
    if proc.wait():
        raise subprocess.CalledProcessError(proc.returncode, "floor")


def floor_file(raw: Path, wav: Path, out: Path, quality: str) -> None:
    """For reference: the same ffmpeg reading the raw file itself (no pipe at all)."""
    with raw.open("rb") as frames:
        subprocess.run(floor_argv(wav, out, quality), stdin=frames, check=True)


def dump_encoder_input(draft: dict, resolve, quality: str, work: Path, raw: Path, wav: Path) -> None:
    """Write the exact frames and samples the render's encoders receive, raw (untimed)."""
    model = Draft.model_validate(draft)
    loudness = _measure(model, resolve, work / "cache", probe, None)
    job = compile_draft(model, work / "unused.mp4", resolve=resolve, quality=quality, cache_dir=work / "cache",
                        loudness=loudness)
    at = job.args.index("-map")
    video, audio = job.args[at + 1], job.args[at + 3]
    ff(*job.args[:at], "-map", video, "-f", "rawvideo", "-pix_fmt", "yuv420p", str(raw),
       "-map", audio, "-c:a", "pcm_s16le", "-ar", "48000", "-ac", "2", str(wav))


def moviepy_run(work: Path, draft: dict, resolve, out: Path, quality: str, seconds: int) -> None:
    from moviepy import AudioFileClip, CompositeVideoClip, ImageClip, VideoFileClip
    from moviepy.audio.fx import AudioFadeOut, MultiplyVolume
    from moviepy.video.fx import CrossFadeIn, CrossFadeOut

    from reelterm.media.assets import resolve_music
    from reelterm.media.text_images import render_text

    preset, crf = _X264[quality]
    bg = VideoFileClip(str(resolve("upload:background"))).subclipped(0, seconds)
    layers = [bg]
    for seg in draft["t"][2]["sg"]:
        img = render_text(seg["m"]["text"], seg["m"]["style"], None, W, H, work / "cache")
        fade = 0.3 if seg["m"]["style"] == "title" else 0.15  # reelterm's default text fades
        layers.append(ImageClip(str(img.path)).with_start(seg["s"] / 1000)
                      .with_duration(seg["d"] / 1000).with_position((img.x, img.y))
                      .with_effects([CrossFadeIn(fade), CrossFadeOut(fade)]))
    music = AudioFileClip(str(resolve_music("music:calm/calm_acoustic_1"))).subclipped(0, seconds)
    music = music.with_effects([MultiplyVolume(0.35), AudioFadeOut(1.0)])
    video = CompositeVideoClip(layers, size=(W, H)).with_audio(music).with_duration(seconds)
    video.write_videofile(str(out), fps=FPS, codec="libx264", preset=preset, audio_codec="aac",
                          audio_fps=48000, threads=os.cpu_count(), logger=None,
                          ffmpeg_params=["-crf", str(crf), "-pix_fmt", "yuv420p", "-movflags", "+faststart"])
    video.close()
    bg.close()


def median(runs: list[tuple[float, float]], i: int) -> float:
    return statistics.median(r[i] for r in runs)


def bench_quality(work: Path, draft: dict, resolve, quality: str, args) -> None:
    """(a) and (b) at one preset, printed as they finish."""
    out = work / "reelterm.mp4"
    kw = {"resolve": resolve, "quality": quality, "cache_dir": work / "cache"}
    render_draft(draft, out, **kw)  # warm-up: text PNGs and the loudness measurement cached
    raw, wav = work / "frames.yuv", work / "audio.wav"
    dump_encoder_input(draft, resolve, quality, work, raw, wav)
    renders, piped, filed = [], [], []
    for _ in range(args.repeat):  # interleaved so that load changes hit all alike
        renders.append(timed(lambda: render_draft(draft, out, **kw)))
        piped.append(timed(lambda: floor_piped(raw, wav, work / "floor.mp4", quality)))
        filed.append(timed(lambda: floor_file(raw, wav, work / "floor.mp4", quality)))
    raw.unlink()
    r, rc = median(renders, 0), median(renders, 1)
    f, fc = median(piped, 0), median(piped, 1)
    g, gc = median(filed, 0), median(filed, 1)
    preset = _X264[quality][0]
    print(f"-- quality {quality} ({preset}); load average {os.getloadavg()[0]:.2f} (2 cores)")
    print(f"(a) reelterm render     {r:6.2f} s wall {rc:6.2f} s CPU   runs {[round(w, 2) for w, _ in renders]}")
    print(f"    floor, piped raw    {f:6.2f} s wall {fc:6.2f} s CPU   runs {[round(w, 2) for w, _ in piped]}")
    print(f"    floor, file read    {g:6.2f} s wall {gc:6.2f} s CPU   runs {[round(w, 2) for w, _ in filed]}")
    print(f"    ratio vs piped      {r / f:6.3f} wall {rc / fc:6.3f} CPU   (target <= 1.15)")
    print(f"    ratio vs file read  {r / g:6.3f} wall {rc / gc:6.3f} CPU", flush=True)
    if args.no_moviepy or args.transitions:
        return
    try:
        m, mc = timed(lambda: moviepy_run(work, draft, resolve, work / "moviepy.mp4", quality, args.seconds))
    except ImportError:
        print("(b) MoviePy is not installed: pip install moviepy==2.2.1")
        return
    print(f"(b) MoviePy 2.2.1       {m:6.2f} s wall {mc:6.2f} s CPU")
    print(f"    speed-up            {m / r:6.1f}x wall {mc / rc:5.1f}x CPU   (target >= 12x)")
    print(f"    encoder floor's own {m / f:6.1f}x wall {mc / fc:5.1f}x CPU   (what no renderer can beat)", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", nargs="+", default=["standard"], choices=list(_X264))
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=3, help="runs of the render and each floor (median)")
    ap.add_argument("--no-moviepy", action="store_true")
    ap.add_argument("--transitions", action="store_true", help="4 scenes with fades (no MoviePy run)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="reelterm-bench-") as tmp:
        work = Path(tmp)
        print(f"preparing a {args.seconds} s {W}x{H}@{FPS} background…", flush=True)
        make_background(work / "background.mp4", args.seconds)
        draft = the_draft(args.seconds, 4 if args.transitions else 1)

        def resolve(src: str) -> Path:
            return work / f"{src.split(':', 1)[1]}.mp4"

        for quality in args.quality:
            bench_quality(work, draft, resolve, quality, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
