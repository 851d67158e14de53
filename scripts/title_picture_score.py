"""Score the title card's picture on product descriptions: does it show what the product is?

    python scripts/title_picture_score.py [tests/visuals/title_pictures.jsonl]

A description is right when the title card's picture (the real storyboard's) has one of its
acceptable words in its name.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reelterm.engine.planner.storyboard import make_storyboard  # noqa: E402

LABELS = ROOT / "tests/visuals/title_pictures.jsonl"


def title_picture(text: str) -> str:
    """The title card's picture ref for a product text."""
    pics = make_storyboard(text).scenes[0].pictures
    return pics[0] if pics else ""


def main(path: Path = LABELS) -> float:
    """Print every miss and the share right; return it."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    right = 0
    for row in rows:
        ref = title_picture(row["text"])
        ok = any(word in ref.rsplit("/", 1)[-1] for word in row["ok"])
        right += ok
        if not ok:
            print(f"MISS {row['text'][:70]!r} -> {ref}")
    print(f"all {right}/{len(rows)} {100 * right / len(rows):.1f}%")
    return right / len(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else LABELS)
