"""Benchmark: a 30-second text-to-video turn, and text -> MP4 on disk vs. its own encoder floor.

Run: `python bench/text_to_video.py [--quality standard] [--height 1080] [--repeat 3]`.

1. The agent turn (message -> draft committed, music chosen) timed alone, median of 20.
2. Text -> MP4: the turn plus `render_draft` (text images made, one ffmpeg graph), timed.
3. The floor: the same output's frames and audio, decoded beforehand to raw files, piped to the
   same encoder settings (libx264 preset/crf of the quality, yuv420p, AAC) and timed.
Prints both today's gradient-only render (the same draft without pictures and layouts) and the
render with visuals side by side, with their ratios (target for visuals <= 1.3). Never gates CI.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from agent.context import Session, text_upload  # noqa: E402
from reelterm.engine.agent.studio import StudioAgent  # noqa: E402
from reelterm.media import probe, render_draft  # noqa: E402
from reelterm.media._ffmpeg import ffmpeg_exe  # noqa: E402
from reelterm.media.formats import _X264  # noqa: E402

TEXT = ("Meet the Acme AirBottle, the smart water bottle that keeps drinks ice-cold for 24 hours. "
        "It tracks every sip and reminds you to stay hydrated. Order yours today at acme.com.")
MESSAGE = "turn this text into a 30-second promotional video with visuals and music"


def turn(agent: StudioAgent) -> Session:
    """One generation turn on a fresh session."""
    session = Session(uploads=[text_upload("t1", TEXT)])
    session.send(agent, MESSAGE)
    return session


def main() -> None:
    """Run the benchmark and print the timings and the ratio."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--quality", default="standard", choices=sorted(_X264))
    ap.add_argument("--transitions", action="store_true", help="add fade transitions (a second turn)")
    ap.add_argument("--height", type=int, default=1080, help="short side of the canvas")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each variant (medians printed)")
    args = ap.parse_args()
    agent = StudioAgent()
    turn(agent)  # warm imports and the music list
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        turn(agent)
        times.append(time.perf_counter() - t0)
    print(f"generation turn (message -> draft): median {statistics.median(times) * 1000:.1f} ms")

    runs: dict[str, list[dict]] = {"gradient-only": [], "visuals": []}
    for _ in range(args.repeat):  # interleaved, so both see the same load
        for variant in runs:
            runs[variant].append(run(agent, args, variant))
    rows = [{k: (statistics.median(r[k] for r in rs) if isinstance(rs[0][k], float) else rs[0][k])
             for k in rs[0]} for rs in runs.values()]
    print(f"{'':28}" + "".join(f"{r['variant']:>16}" for r in rows))
    for key, label in (("total", "text -> MP4 on disk (s)"), ("render", "render alone (s)"),
                       ("floor", "encoder floor (s)"), ("ratio", "ratio to floor"),
                       ("cpu", "render CPU (s, children)"), ("cpu_floor", "floor CPU (s)"),
                       ("cpu_ratio", "CPU ratio to floor"), ("inputs", "ffmpeg inputs")):
        print(f"{label:28}" + "".join(f"{r[key]:>16.2f}" if isinstance(r[key], float) else f"{r[key]:>16}"
                                      for r in rows))
    print(f"output: {rows[-1]['size']}, quality {args.quality}; targets: visuals ratio <= 1.3, text -> MP4 <= 12 s")


def _cpu() -> float:
    """CPU seconds used by finished child processes (ffmpeg), steadier than wall time on a busy machine."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def gradient_only(draft):
    """Today's look before visuals: no pictures track, no layouts (gradient strips and centred words)."""
    data = draft.wire()
    data["t"] = [t for t in data["t"] if t.get("id") != "pictures"]
    for t in data["t"]:
        for seg in t["sg"]:
            for key in ("layout", "scene", "role", "qr", "move"):
                seg.get("m", {}).pop(key, None)
    return type(draft).model_validate(data)


def run(agent: StudioAgent, args, variant: str) -> dict:
    """Turn + render one variant, then time the encoder alone on the same frames."""
    from reelterm.media import compile_draft

    ffmpeg = ffmpeg_exe()
    preset, crf = _X264[args.quality]
    with tempfile.TemporaryDirectory(prefix="reelterm-bench-") as tmp:
        work = Path(tmp)
        out = work / "promo.mp4"
        t0 = time.perf_counter()
        session = turn(agent)
        if args.transitions:
            session.send(agent, "add fade transitions")
        draft = session.draft
        if variant == "gradient-only":
            draft = gradient_only(draft)
        if args.height != 1080:
            draft = draft.model_copy(update={"m": draft.m.model_copy(update={
                "width": round(1920 * args.height / 1080 / 2) * 2, "height": args.height})})
        t_turn = time.perf_counter() - t0
        t1, c1 = time.perf_counter(), _cpu()
        render_draft(draft, out, quality=args.quality, cache_dir=work / "cache")
        t_render, c_render = time.perf_counter() - t1, _cpu() - c1
        t_total = time.perf_counter() - t0
        inputs = compile_draft(draft, work / "x.mp4", cache_dir=work / "cache").args.count("-i")
        info = probe(out)
        w, h, fps = info.width, info.height, info.fps or 30
        raw_v, raw_a = work / "frames.yuv", work / "audio.wav"
        subprocess.run([ffmpeg, "-v", "error", "-y", "-i", str(out), "-f", "rawvideo", "-pix_fmt", "yuv420p",
                        str(raw_v), "-vn", "-c:a", "pcm_s16le", str(raw_a)], check=True)
        floor_out = work / "floor.mp4"
        t0, c0 = time.perf_counter(), _cpu()
        with raw_v.open("rb") as frames:
            subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p",
                            "-s", f"{w}x{h}", "-r", str(fps), "-i", "pipe:0", "-i", str(raw_a),
                            "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p",
                            "-movflags", "+faststart", "-c:a", "aac", str(floor_out)],
                           stdin=frames, check=True)
        t_floor, c_floor = time.perf_counter() - t0, _cpu() - c0
    del t_turn
    return {"variant": variant, "total": t_total, "render": t_render, "floor": t_floor,
            "ratio": t_total / t_floor, "inputs": inputs, "cpu": c_render, "cpu_floor": c_floor,
            "cpu_ratio": c_render / c_floor,
            "size": f"{w}x{h} @ {fps:g} fps, {info.duration_ms / 1000:.2f} s"}

if __name__ == "__main__":
    main()
