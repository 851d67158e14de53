"""Benchmark (c): `reelterm merge` (Python start included) vs a raw `ffmpeg -c copy` mux.

    python bench/merge_bench.py [--seconds 120] [--repeat 5]

Inputs: a 2-minute 1080p30 H.264 video and a 2-minute AAC file, both made here first (untimed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reelterm.media._ffmpeg import ffmpeg_exe


def ff(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y", *args], check=True)


def timed(argv: list[str], env: dict[str, str] | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=120)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="reelterm-merge-bench-") as tmp:
        work = Path(tmp)
        video, audio = work / "video.mp4", work / "audio.m4a"
        print(f"preparing a {args.seconds} s 1080p30 video and an AAC file…", flush=True)
        ff("-f", "lavfi", "-i", f"testsrc2=s=1920x1080:r=30:d={args.seconds}", "-c:v", "libx264",
           "-preset", "ultrafast", "-crf", "28", "-pix_fmt", "yuv420p", str(video))
        ff("-f", "lavfi", "-i", f"sine=f=440:d={args.seconds}:sample_rate=48000", "-ac", "2",
           "-c:a", "aac", str(audio))
        size_mb = video.stat().st_size / 1e6
        raw = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y", "-i", str(video), "-i", str(audio),
               "-map", "0:v", "-map", "1:a", "-c", "copy", "-shortest", str(work / "raw.mp4")]
        raw_fs = [*raw[:-1], "-movflags", "+faststart", str(work / "raw_fs.mp4")]
        ours = [sys.executable, "-m", "reelterm", "merge", str(video), str(audio), "-o", str(work / "ours.mp4")]
        # as an installed reelterm runs: with its bytecode cache (pip writes it at install time),
        # even where PYTHONDONTWRITEBYTECODE is set for this shell
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        timed(raw)
        timed(ours, env)  # warm the page cache and write the bytecode cache
        t_raw, t_fs, t_ours = [], [], []
        for _ in range(args.repeat):  # interleaved so that load changes hit all alike
            t_raw.append(timed(raw))
            t_fs.append(timed(raw_fs))
            t_ours.append(timed(ours, env))
        r, fs, o = statistics.median(t_raw), statistics.median(t_fs), statistics.median(t_ours)
        print(f"video {size_mb:.0f} MB; load average {os.getloadavg()[0]:.2f} (2 cores shared)")
        print(f"(c) ffmpeg -c copy            {r:5.2f} s  runs {[round(x, 2) for x in t_raw]}")
        print(f"    ffmpeg -c copy +faststart {fs:5.2f} s  runs {[round(x, 2) for x in t_fs]}")
        print(f"    reelterm merge            {o:5.2f} s  runs {[round(x, 2) for x in t_ours]}  (+faststart)")
        print(f"    ratio vs plain copy       {o / r:5.2f}  (target <= 2.0)")
        print(f"    ratio vs copy +faststart  {o / fs:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
