"""Benchmark: the 30 s vertical promo with narration and word-timed captions, and libass vs PNGs.

Run: `python bench/captions_bench.py [--quality standard] [--repeat 3]` (needs the `[voice]` extra).

1. One generation turn with a voiceover at 1080x1920 (narration synthesised, captions timed to
   it); the turn is timed alone.
2. `render_draft` of that draft (loudness pass, one graph with the `.ass` burnt in, ducking)
   against its encoder floor: the render's own frames and sound, written raw beforehand, piped
   into the same encoder settings. Ratio target <= 1.3.
3. The same render three ways: without its word captions, with them as reelterm draws them
   (per-word PNG states, one concat-demuxer lane, one `overlay`), and with them as libass
   karaoke instead (`bench/captions_ass.py`: one `.ass` event per word, the `ass` filter with
   the bundled fonts); to the null muxer (the graph alone) and encoded.
Runs are interleaved, medians printed. Never gates CI.
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
from reelterm.media import compile_draft, render_draft  # noqa: E402
from reelterm.media._ffmpeg import ffmpeg_exe  # noqa: E402
from reelterm.media.formats import _X264  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from captions_ass import filter_path, fonts_dir, write_ass  # noqa: E402

from reelterm.protocol import Draft  # noqa: E402

TEXT = ("Meet the Acme AirBottle, the smart water bottle that keeps drinks ice-cold for 24 hours. "
        "It tracks every sip and reminds you to stay hydrated. Its lid glows when it is time to drink. "
        "Order yours today at acme.com.")
MESSAGE = "turn this text into a vertical 30-second promotional video with a voiceover"


def _run(argv: list[str], stdin=None) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdin=stdin)
    return time.perf_counter() - t0


def _variants(data0: dict, draft: Draft, work: Path, resolve, loud, quality: str, cache: Path) -> dict[str, list[str]]:
    """ffmpeg argv (without the binary) for `data0` with no word captions, PNG states and libass."""
    W, H, fps = draft.m.width, draft.m.height, draft.m.fps
    out = {}
    for name in ("none", "png states", "libass"):
        data = dict(data0)
        if name != "png states":
            data["t"] = [t for t in data0["t"] if not (t["tt"] == 7 and t.get("id") == "captions")]
        job = compile_draft(Draft.model_validate(data), work / f"{name[:4]}.mp4", resolve=resolve,
                            quality=quality, cache_dir=cache, loudness=loud)
        argv = list(job.args)
        if name == "libass":
            caps = [s for t in draft.t if t.tt == 7 and t.id == "captions" for s in t.sg]
            ass = write_ass(caps, W, H, fps, round(draft.duration_ms * fps / 1000), "#FFD23F", cache)
            at = argv.index("-map") + 1
            gi = argv.index("-filter_complex") + 1
            argv[gi] += f";{argv[at]}ass=filename={filter_path(ass)}:fontsdir={filter_path(fonts_dir(cache))}[assout]"
            argv[at] = "[assout]"
        out[name] = argv
    return out


def main() -> None:
    """Run the benchmark and print timings and ratios."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--quality", default="standard", choices=sorted(_X264))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    ff = ffmpeg_exe()
    preset, crf = _X264[args.quality]
    enc = ["-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p"]
    agent = StudioAgent()
    with tempfile.TemporaryDirectory(prefix="reelterm-capbench-") as tmp:
        work = Path(tmp)
        (work / "assets").mkdir()
        session = Session(uploads=[text_upload("t1", TEXT)], asset_dir=work / "assets")
        t0 = time.perf_counter()
        steps, reply = session.send(agent, MESSAGE)
        t_turn = time.perf_counter() - t0
        draft = session.draft
        assets = work / "assets"

        def resolve(src: str) -> Path:
            return next(assets.glob(src.split(":", 1)[1] + ".*"))

        voice = next((t for t in draft.t if t.id == "voice"), None)
        print(f"turn with narration: {t_turn:.2f} s; {draft.m.width}x{draft.m.height}, "
              f"{draft.duration_ms / 1000:g} s, {len(voice.sg) if voice else 0} narration clips")
        cache = work / "cache"
        out = work / "promo.mp4"
        render_draft(draft, out, resolve=resolve, quality=args.quality, cache_dir=cache)  # warm caches
        from reelterm.media.probe import probe
        from reelterm.media.render import _measure

        loud = _measure(draft, resolve, cache, probe, None)  # remembered: the render skips it too
        job = compile_draft(draft, work / "raw.mkv", resolve=resolve, quality=args.quality, cache_dir=cache,
                            loudness=loud)
        raw_v, raw_a = work / "frames.yuv", work / "audio.wav"
        graph_args = [a for a in job.args[: job.args.index("-map")]]
        maps = job.args[job.args.index("-map"): job.args.index("-map") + 4]
        subprocess.run([ff, "-v", "error", "-y", *graph_args, maps[0], maps[1], "-f", "rawvideo",
                        "-pix_fmt", "yuv420p", str(raw_v), maps[2], maps[3], "-c:a", "pcm_s16le", str(raw_a)],
                       check=True)
        W, H, fps = draft.m.width, draft.m.height, draft.m.fps
        floor = [ff, "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{W}x{H}",
                 "-r", str(fps), "-i", "pipe:0", "-i", str(raw_a), *enc, "-movflags", "+faststart",
                 "-c:a", "aac", "-b:a", "192k", str(work / "floor.mp4")]
        renders, floors = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            render_draft(draft, out, resolve=resolve, quality=args.quality, cache_dir=cache)
            renders.append(time.perf_counter() - t0)
            with raw_v.open("rb") as fh:
                floors.append(_run(floor, stdin=fh))
        r, f = statistics.median(renders), statistics.median(floors)
        print(f"render_draft: {r:.2f} s   encoder floor: {f:.2f} s   ratio {r / f:.3f} (target <= 1.3)")

        # word captions three ways on the same draft (none, reelterm's PNG states, libass), then
        # the captions alone over a flat colour (the caption work without the rest of the graph)
        t0 = time.perf_counter()
        compile_draft(draft, work / "x.mp4", resolve=resolve, cache_dir=work / "fresh", loudness=loud)
        t_pngs = time.perf_counter() - t0
        alone = {"m": draft.wire()["m"], "t": [
            {"tt": 0, "sg": [{"id": "bg", "s": 0, "d": draft.duration_ms, "src": "color:#203040"}]},
            *[t for t in draft.wire()["t"] if t["tt"] == 7 and t.get("id") == "captions"]]}
        for title, data0, sinks in (("the promo", draft.wire(), ("filter only", "encoded")),
                                    ("captions alone over a colour", alone, ("filter only",))):
            variants = _variants(data0, draft, work, resolve, loud, args.quality, cache)
            for label in sinks:
                results: dict[str, list[float]] = {k: [] for k in variants}
                for _ in range(args.repeat):
                    for name, argv in variants.items():
                        run = argv[:-3] + ["-f", "null", "-"] if label == "filter only" else argv
                        results[name].append(_run([ff, "-v", "error", "-y", *run]))
                print(f"{title}, {label}: " + ", ".join(
                    f"{k} {statistics.median(v):.2f} s" for k, v in results.items()))
        print(f"(drawing the PNG states from an empty cache, inside compile_draft: {t_pngs:.2f} s)")
        print(reply)


if __name__ == "__main__":
    main()
