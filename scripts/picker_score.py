"""Score the picture picker on the labelled scene sentences: per category, then every miss.

    python scripts/picker_score.py [tests/visuals/picker_labels.jsonl]

A sentence is right when the picker's choice is one of its acceptable pictures, or when it is
labelled "none" (no acceptable picture) and the picker returns None. The label files were written
when the library had only the Fluent sets; a choice from a set added later (IconPark, Streamline, Freehand,
Flat Color) is judged by `picker_newer_sets.jsonl`, a person's verdict on that sentence and
picture, and listed as "unjudged" until someone adds one.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reelterm.engine.planner.picker import pick_pictures  # noqa: E402

LABELS = ROOT / "tests/visuals/picker_labels.jsonl"
VERDICTS = ROOT / "tests/visuals/picker_newer_sets.jsonl"
LABELLED_SETS = ("fluent", "fluent-ui")


def verdicts() -> dict[tuple[str, str], bool]:
    """(sentence, ref) -> whether a person judged that picture of a newer set right for it."""
    lines = VERDICTS.read_text(encoding="utf-8").splitlines() if VERDICTS.exists() else []
    return {(v["text"], v["ref"]): v["right"] for v in map(json.loads, filter(str.strip, lines))}


def newer(ref: str | None) -> bool:
    """True for a picture of a set the label files predate."""
    return ref is not None and ref[5:].split("/", 1)[0] not in LABELLED_SETS


def acceptable(row: dict) -> set[str]:
    """The refs a designer accepted for this sentence (`ui/x` is the fluent-ui set)."""
    return {f"icon:fluent-ui/{o[3:]}" if o.startswith("ui/") else f"icon:fluent/{o}" for o in row["ok"]}


def judge(rows: list[dict]) -> list[tuple[dict, str | None, bool]]:
    """Each labelled row with the picker's choice (alone in its video) and whether it is right."""
    out = []
    said = verdicts()
    for row in rows:
        got = pick_pictures([row["text"]], names=row.get("names", ()))[0]
        ok = acceptable(row)
        right = got in ok if ok else got is None
        if newer(got):
            right = said.get((row["text"], got), False)
        out.append((row, got, right))
    return out


def main(path: Path = LABELS) -> float:
    """Print the score per category and the misses; return the share right."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = judge(rows)
    per: dict[str, list[bool]] = defaultdict(list)
    for row, _, right in results:
        per[row["cat"]].append(right)
    for cat, marks in sorted(per.items()):
        print(f"{cat:12} {sum(marks):3}/{len(marks):<3} {100 * sum(marks) / len(marks):5.1f}%")
    total = sum(r for *_, r in results)
    print(f"{'all':12} {total:3}/{len(results):<3} {100 * total / len(results):5.1f}%\n")
    said = verdicts()
    for row, got, right in results:
        if not right:
            print(f"MISS [{row['cat']}] {row['text']}\n     got {got}; ok {row['ok'] or 'none'}")
    for row, got, _ in results:
        if newer(got) and (row["text"], got) not in said:
            print(f"UNJUDGED (a newer set's picture, counted as a miss) {row['text']!r}: {got}")
    return total / len(results)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else LABELS)
