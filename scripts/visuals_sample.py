"""Draw a sample sheet of the bundled pictures for docs/visuals.md (docs/images/library-sample.png).

    python scripts/visuals_sample.py [OUT.png] [--size 112]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SAMPLE = ("fluent/hot-beverage", "fluent/rocket", "fluent/package", "fluent/locked", "fluent/chart-increasing",
          "fluent/dog", "fluent/man-technologist", "fluent/birthday-cake", "fluent/leafy-green",
          "fluent/house", "fluent/airplane", "fluent/graduation-cap",
          "fluent-flat/hot-beverage", "fluent-flat/rocket", "fluent-flat/package", "fluent-flat/dog",
          "fluent-ui/calendar", "fluent-ui/shield-checkmark", "fluent-ui/people-team", "fluent-ui/savings",
          "fluent-ui/bot-sparkle", "fluent-ui/chat", "fluent-ui/megaphone-loud", "fluent-ui/lightbulb",
          "iconpark/hot-pot", "streamline/business-lucky-cat", "freehand/saving-money-seedling",
          "flatcolor/mind-map", "plump/food-truck-event-fair", "streamline-color/container")


def main() -> None:
    """Write the sheet: six pictures a row on a light background."""
    import pyvips

    from reelterm.media.visuals import picture_png

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", nargs="?", default=str(ROOT / "docs/images/library-sample.png"))
    ap.add_argument("--size", type=int, default=112)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tiles = [pyvips.Image.new_from_file(str(picture_png(f"icon:{ref}", args.size, cache_dir=Path(tmp))))
                 .flatten(background=[238, 238, 243]).embed(8, 8, args.size + 16, args.size + 16,
                                                            extend="background", background=[238, 238, 243])
                 for ref in SAMPLE]
        sheet = pyvips.Image.arrayjoin(tiles, across=6, shim=4, background=[255, 255, 255])
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        sheet.pngsave(args.out, compression=9, palette=True)
    print(args.out)


if __name__ == "__main__":
    main()
