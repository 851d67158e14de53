"""Score the key-phrase cutter on labelled product sentences: first phrase acceptable, every phrase well cut.

    python scripts/phrase_score.py [tests/visuals/phrase_labels.jsonl]

A sentence is right when its first key phrase is one of the phrases a designer accepted for it
(case, spacing and a closing full stop aside) and none of its key phrases is badly cut: ending
on a preposition, article, auxiliary or number word ("holds two"), or starting with a
preposition (a lone prepositional phrase).
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reelterm.engine.planner.phrases import key_phrases  # noqa: E402

LABELS = ROOT / "tests/visuals/phrase_labels.jsonl"
_PREPS = {"for", "with", "in", "on", "at", "to", "by", "from", "of", "into", "across", "over", "under", "about",
          "through", "without", "after", "before", "until", "during", "per", "via", "than", "around", "near"}
_END_BAD = _PREPS | {"a", "an", "the", "your", "our", "my", "their", "its", "and", "or", "but", "is", "are", "was",
                     "were", "be", "will", "can", "has", "have", "that", "which", "who", "same", "very", "every",
                     "each", "two", "three", "four", "five", "ten", "twelve", "up"}
_ZH_END_BAD = ("的", "在", "和", "与", "并", "从", "把", "被", "让", "给", "用", "是", "都", "也", "就", "能",
               "可以", "每")


def norm(text: str) -> str:
    """Lower case, single spaces (a no-break space is a space), no closing punctuation."""
    return " ".join(text.replace("\u00a0", " ").lower().split()).strip(" .!。！")


def badly_cut(phrase: str) -> str:
    """Why a key phrase reads as a bad cut ("" when it reads fine)."""
    text = norm(phrase)
    if re.search(r"[\u4e00-\u9fff]", text):
        if text.endswith(_ZH_END_BAD):
            return "ends on a function word"
        return ""
    words = [w.strip(",;:") for w in text.split()]
    if not words:
        return "empty"
    if words[-1] in _END_BAD:
        return f"ends on '{words[-1]}'"
    if words[0] in _PREPS and words[0] not in ("with",):
        return f"starts with '{words[0]}'"
    return ""


def judge(rows: list[dict]) -> list[tuple[dict, list[str], bool, str]]:
    """Each row with its key phrases, whether it is right, and why not."""
    out = []
    for row in rows:
        keys = key_phrases(row["text"], row.get("name", ""))
        bad = next((f"{k!r} {why}" for k in keys if (why := badly_cut(k))), "")
        first_ok = norm(keys[0]) in {norm(o) for o in row["ok"]}
        out.append((row, keys, first_ok and not bad, bad or ("" if first_ok else "first phrase not accepted")))
    return out


def main(path: Path = LABELS) -> float:
    """Print the score per category and the misses; return the share right."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = judge(rows)
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row, _keys, right, _why in results:
        for key in (row["cat"], "zh" if row.get("zh") else "en", "all"):
            per[key][0] += right
            per[key][1] += 1
    for row, keys, right, why in results:
        if not right:
            print(f"MISS {row['text']!r} -> {keys} ({why})")
    for key, (good, n) in sorted(per.items(), key=lambda kv: kv[0] == "all"):
        print(f"{key:<12} {good:>3}/{n:<3} {100 * good / n:5.1f}%")
    return per["all"][0] / per["all"][1]


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else LABELS)
