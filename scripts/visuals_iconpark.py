"""IconPark (ByteDance, Apache-2.0) for the visual library: curated, one drawing per new subject.

Used by build_visuals.py only. IconPark draws product concepts the emoji lack (kettle, scooter,
router, lipstick case, solar panel…) in a two-colour style, and names each icon in Chinese with
Chinese tags (npm `@icon-park/svg` icons.json); the drawings come from npm `@iconify-json/icon-park`.
A subject the Fluent sets already draw is left out, so each subject has one picture.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

# Categories that are interface marks, letters, logos, gestures, star signs or plain shapes.
DROP_CATEGORIES = {"Edit", "Arrows", "Brand", "Operate", "Components", "Character", "Constellation",
                   "Hands", "Graphics", "Base", "Abstract", "Emoji"}
# Words that only say which state or variant of a subject an icon is ("calendar-add", "wifi-off").
VARIANT_WORDS = set("""one two three four five six seven eight nine ten eleven twelve add remove delete
success error failed fail lock unlock locking unlocked search setting settings edit editing upload
download up down left right r l back forward in out on off open close closed dot ok plus minus
check checked cancel find share sync refresh reduce new list mode""".split())
# Names that are file-type or interface marks although their category is a thing.
DROP_NAME = re.compile(r"^(?:file|folder|inbox|handle|f-|zero-|key-|page|doc-|text|align|layout|"
                       r"application|switch|preview|view|insert|split|merge|sort|cursor|mouse-|data|database|"
                       r"weixin|email|mail-|message-|phone-|people-|user-|link-|disabled?-|collect|connect|"
                       r"battery-|volume-|play-|replay|remind|close-|email|network|loading|storage|arrow|"
                       r"chart-|date-|history|iron-disable|goblet-|usb-|micro-sd|mini-sd|sim|sd|s-turn|u-turn|"
                       r"every-user|wrong-user|turn-around|up-and-down|left-and|lower-branch|general-branch|"
                       r"bottom-bar|hunting-gear|material|acceleration|activity-source|discovery-index|"
                       r"whole-site|pull-requests|safe-retrieval|font-|image-files|invalid-files|medical-files|"
                       r"positive-dynamics|negative-dynamics|healthy-recognition|thinking-problem|"
                       r"personal-|light-member|open-an-account|transaction-order|flight-airflow|in-flight|"
                       r"flash-payment|payment-method|painted-screen|full-screen|playback|vertical-timeline)|"
                       r"-(?:zodiac|key|r|l|file|files|folder|data|sort|one-way|cross)$|"
                       r"^(?:a-cane|ad|ad-product|me|min|log|light|set-off|booth|api|order|other|level|local|theme|trace|format|"
                       r"branch|master|slave|income|expenses|concern|consume|transform|optimize|optional|"
                       r"instruction|permissions|composition|detection|abnormal|average|maximum|increase|"
                       r"receive|caution|command|chinese|english|terminal|transfer|audit|harm|gas|thin|"
                       r"play|pause|record|ripple|signal|float|magic|paint|shade|toxins|skull|prison|sperm|"
                       r"uterus|period|death-star|holy-sword|church-one|frigate|kitchen-knife|blade|"
                       r"multi-function-knife|heavy-metal|pesticide|radiation|coronavirus|plastic-surgery|"
                       r"injection|tower-of-babel|maya|dubai|i-mac|iphone|ipad-one|iwatch|mac-finder|"
                       r"nintendo-switch|baokemeng|pokeball-one|xiaodu-home|gopro|excel|neural|endocrine|"
                       r"orthopedic|gastrointestinal|renal|nasal|abdominal|chest|lung|brain|foot|fingernail|"
                       r"waistline|breast-pump|international|engineering-brand|connection-point|"
                       r"relational-graph|tree-diagram|parabola|sinusoid|bezier-curve|oscillator|"
                       r"potentiometer|resistor|heater-resistor|kagi-map|bullet-map|viencharts|pivot-table|"
                       r"area-map|map-distance|map-road|market-analysis|maslow-pyramids|children-pyramid|"
                       r"add-subtract|arithmetic-buttons|stand-up|water-no|pure-natural|anti-corrosion|"
                       r"date-comes-back|shopping-cart-del|collection-records|collection-files|"
                       r"radio-nanny|people-safe|email-push|check-in|find-one|copy-one|list-add|edit-name|"
                       r"add-music|add-two|frigate|sorcerer-hat|space-colony|future-build-one|"
                       r"oil-industry|composition|tent-banner|lip-tattoo|unicast|multicast|ethernet-on|"
                       r"thunderbolt|stack-light|cast-screen|carousel-video|mail-package|mail-review|"
                       r"mail-unpacking|message-unread|message-sent|message-emoji|voice-off|voice-input|"
                       r"baggage-delay|battery-tips|source-code|code-laptop|code-computer|database-code|"
                       r"imbalance|led-diode)$")


# Subjects whose Chinese name another picture carries only as a tag, yet a different thing:
# a pumpkin is no jack-o'-lantern, a Chinese hot pot no fondue.
TAGGED_BUT_NEW = {"pumpkin", "sippy-cup", "floor-tile", "slippers", "hot-pot", "server", "guide-board",
                  "picture-album"}
# Pictures of things a promo shows, although their category or name pattern above is left out,
# with the English name written for them: IconPark's ids say too little ("radio nanny").
RESCUED = {"radio-nanny": "baby monitor", "usb-type-c": "USB-C port", "text-recognition": "text recognition",
           "float": "swim ring", "mosaic": "mosaic blur", "viewfinder": "viewfinder",
           "color-filter": "colour filter", "contrast": "contrast",
           "respect": "fist salute", "format-brush": "format painter", "guide-board": "signpost",
           "picture-album": "photo album", "ssd": "SSD"}
ZH_NAMES = {"usb-type-c": "Type-C接口", "radio-nanny": "婴儿监视器", "ssd": "固态硬盘"}
"""Chinese names written for reelterm where IconPark's title is no Chinese or not the usual word."""


def tile_svg(body: str, size: int, pad: float = 0.0) -> str:
    """A line drawing on a white rounded tile: dark outlines stay visible on any scene colour.

    `pad` (a share of the size) shrinks a drawing that runs to its edges into the tile.
    """
    r = size * 0.22
    if pad:
        body = f'<g transform="translate({size * pad:g} {size * pad:g}) scale({1 - 2 * pad:g})">{body}</g>'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">'
            f'<rect x="0.5" y="0.5" width="{size - 1}" height="{size - 1}" rx="{r:g}" fill="#fff"/>{body}</svg>')


def subject_key(name: str) -> str:
    """An IconPark name without its variant words: `calendar-thirty-two` -> `calendar`."""
    parts = [p for p in name.split("-") if p not in VARIANT_WORDS]
    return "-".join(parts) or name


def icon_park(src: Path, taken_en: set[str], taken_zh: set[str], to_hant) -> tuple[list[dict], dict[str, str]]:
    """Rows and SVG files of the IconPark subjects not already in `taken_en` / `taken_zh`.

    `taken_en` holds the singular English names and name heads of the pictures already in the
    library, `taken_zh` their Chinese names and tags; `to_hant` converts to Traditional Chinese.
    """
    meta = json.loads((src / "icon-park-svg/package/icons.json").read_text())
    icons = json.loads((src / "iconify-json-icon-park/package/icons.json").read_text())
    size = icons.get("width", 48)
    rows, files, seen = [], {}, set()
    for m in sorted(meta, key=lambda m: (len(m["name"]), m["name"])):  # the plainest name first
        name, title = m["name"], ZH_NAMES.get(m["name"], m["title"].strip())
        if name not in icons["icons"] or name not in RESCUED and (m["category"] in DROP_CATEGORIES
                                                                   or DROP_NAME.search(name)):
            continue
        key = subject_key(RESCUED.get(name, name).lower().replace(" ", "-"))
        words = key.split("-")
        single = " ".join(w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 3 else w for w in words)
        if (key in seen or single in taken_en or words[-1] in taken_en and len(words) == 1
                or title in taken_zh and name not in TAGGED_BUT_NEW or not re.search(r"[\u4e00-\u9fff]", title)):
            continue
        seen.add(key)
        tags_zh = [t.strip() for t in [m["title"], *m.get("tag", [])] if t.strip() and t.strip() != title]
        hant = [to_hant(t) for t in [title, *tags_zh]]
        tags_zh += [t for t in hant if t != title and t not in tags_zh]
        rows.append({"id": name, "en": RESCUED.get(name, key.replace("-", " ")), "tags": [], "zh": title, "zh_tags": tags_zh,
                     "group": None, "sub": None, "cat": m["category"].lower()})
        body = icons["icons"][name]["body"]
        files[f"iconpark/{name}.svg"] = tile_svg(body, size)
    return rows, files
