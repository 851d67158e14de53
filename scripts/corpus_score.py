"""Print the agent corpus score per category (tests/agent/corpus); `-v` lists each failure.

Run from the repository root: `python scripts/corpus_score.py [-v] [CATEGORY...]`.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.agent.corpus import load, run  # noqa: E402


def main(argv: list[str]) -> int:
    """Score every case; exit 1 below 95%."""
    verbose = "-v" in argv
    only = {a for a in argv if not a.startswith("-")}
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    started = time.perf_counter()
    for case in load():
        if only and case.category not in only:
            continue
        problems = run(case)
        totals[case.category][1] += 1
        if problems:
            if verbose:
                print(f"FAIL {case.id}: {case.message[:100]!r}\n    " + "\n    ".join(problems))
        else:
            totals[case.category][0] += 1
    passed = sum(p for p, _ in totals.values())
    count = sum(n for _, n in totals.values())
    for cat, (p, n) in sorted(totals.items()):
        print(f"{cat:14} {p:4}/{n:<4} {p / n:6.1%}")
    print(f"{'total':14} {passed:4}/{count:<4} {passed / max(1, count):6.1%}  ({time.perf_counter() - started:.1f} s)")
    return 0 if passed >= 0.95 * count else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
