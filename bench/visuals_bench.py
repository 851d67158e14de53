"""The visual library's costs: install size, drawing time at 512 px, cache hits, picker time.

    python bench/visuals_bench.py [--pictures 60] [--repeat 5]

Not a gate (wall time on a shared machine is noise): prints medians and CPU seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def install_size() -> None:
    """Vendored data in the repository and the pyvips wheels' installed footprint."""
    import importlib.util

    from reelterm.media.visuals._library import DATA

    print(f"vendored data (src/reelterm/media/visuals/data): {_dir_mb(DATA):.1f} MB")
    for name in ("pictures.zip", "pictures.json", "kinds.json", "not_nouns.txt"):
        print(f"  {name:14} {(DATA / name).stat().st_size / 1e6:6.2f} MB")
    spec = importlib.util.find_spec("pyvips")
    if spec and spec.origin:
        site = Path(spec.origin).parents[1]
        parts = [site / "pyvips", *site.glob("pyvips_binary*"), *site.glob("_libvips*")]
        print(f"pyvips + pyvips-binary installed: {sum(_dir_mb(p) if p.is_dir() else p.stat().st_size / 1e6 for p in parts):.1f} MB")


def draw(n: int) -> None:
    """Cold draws at 512 px (cache empty) of n pictures spread over the library, then cache hits."""
    from reelterm.media.visuals import library, picture_png

    pics = library().all()
    refs = [p.ref for p in pics[:: max(1, len(pics) // n)]][:n]
    with tempfile.TemporaryDirectory() as tmp:
        cold, hits = [], []
        cpu0 = time.process_time()
        for ref in refs:
            t = time.perf_counter()
            picture_png(ref, 512, cache_dir=Path(tmp))
            cold.append(time.perf_counter() - t)
        cpu = time.process_time() - cpu0
        for ref in refs:
            t = time.perf_counter()
            picture_png(ref, 512, cache_dir=Path(tmp))
            hits.append(time.perf_counter() - t)
    print(f"draw at 512 px, {len(refs)} pictures: median {statistics.median(cold) * 1e3:.1f} ms, "
          f"max {max(cold) * 1e3:.0f} ms, CPU {cpu / len(refs) * 1e3:.1f} ms each")
    print(f"cache hit: median {statistics.median(hits) * 1e6:.0f} µs")


def pick(repeat: int) -> None:
    """Index build (first call in a process) and picking for 10 scene sentences."""
    import json

    t = time.perf_counter()
    from reelterm.engine.planner.picker import pick_pictures
    pick_pictures(["warm up"])
    first = time.perf_counter() - t
    rows = [json.loads(line) for line in (ROOT / "tests/visuals/picker_labels.jsonl").read_text().splitlines()]
    texts = [r["text"] for r in rows[::20]][:10]
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        pick_pictures(texts)
        runs.append(time.perf_counter() - t)
    print(f"picker: import + index build {first * 1e3:.0f} ms (once per process); "
          f"10 sentences {statistics.median(runs) * 1e3:.1f} ms")


def main() -> None:
    """Print every figure."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pictures", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    install_size()
    draw(args.pictures)
    pick(args.repeat)


if __name__ == "__main__":
    main()
