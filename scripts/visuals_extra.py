"""Small colour sets for subjects nobody else draws, with words written for reelterm.

Used by build_visuals.py only: Streamline Ultimate Color, Freehand Color, Plump Color and Streamline Color (CC BY 4.0,
npm `@iconify-json/streamline-ultimate-color`, `-freehand-color`, `-plump-color`, `streamline-color`) and Icons8
Flat Color Icons (MIT, npm `@iconify-json/flat-color-icons`). `visuals_extra_words.tsv` and
`visuals_more_words.tsv` list the curated pictures with English and Chinese words; a row whose
subject the library already has is skipped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from visuals_iconpark import tile_svg

WORDS = (Path(__file__).with_name("visuals_extra_words.tsv"), Path(__file__).with_name("visuals_more_words.tsv"))
SETS = {"st": ("streamline", "iconify-json-streamline-ultimate-color"),
        "fh": ("freehand", "iconify-json-streamline-freehand-color"),
        "fc": ("flatcolor", "iconify-json-flat-color-icons"),
        "pl": ("plump", "iconify-json-streamline-plump-color"),
        "sc": ("streamline-color", "iconify-json-streamline-color")}


def singular_name(text: str) -> str:
    """`Stack of Bills` -> `stack of bill` (how names are compared for sameness)."""
    return " ".join(w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 3 else w
                    for w in re.findall(r"[a-z0-9]+", text.lower()))


def extra_sets(src: Path, taken_en: set[str], taken_zh: set[str], to_hant) -> tuple[dict, dict[str, str]]:
    """{set: rows} and SVG files of the listed pictures whose subject is new to the library."""
    packs = {key: json.loads((src / f"{pack}/package/icons.json").read_text()) for key, (_, pack) in SETS.items()}
    rows: dict[str, list[dict]] = {name: [] for name, _ in SETS.values()}
    files: dict[str, str] = {}
    for line in (ln for words in WORDS for ln in words.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        key, ident, en, tags, zh, zh_tags = (line.split("\t") + [""] * 6)[:6]
        icons = packs[key]
        if ident not in icons["icons"] or singular_name(en) in taken_en or zh in taken_zh:
            continue
        taken_en.add(singular_name(en))
        taken_zh.add(zh)
        zh_list = [t for t in zh_tags.split(",") if t]
        zh_list += [h for h in (to_hant(t) for t in [zh, *zh_list]) if h != zh and h not in zh_list]
        set_name = SETS[key][0]
        rows[set_name].append({"id": ident, "en": en, "tags": [t for t in tags.split(",") if t], "zh": zh,
                               "zh_tags": zh_list, "group": None, "sub": None, "cat": "extra"})
        icon = icons["icons"][ident]
        w, h = icon.get("width", icons.get("width", 24)), icon.get("height", icons.get("height", 24))
        if key == "fh" and w == h:  # hand-drawn line art: on a white tile like IconPark's
            files[f"{set_name}/{ident}.svg"] = tile_svg(icon["body"], w, pad=0.12)
        else:
            files[f"{set_name}/{ident}.svg"] = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
                                                f'viewBox="0 0 {w} {h}">{icon["body"]}</svg>')
    return rows, files
