"""Contact sheets of generated promos: one frame per scene, landscape, vertical and square.

Run: `python scripts/contact_sheet.py [--out docs/visuals] [--scale 0.5]`.

Each sheet comes from the real engine: the local studio agent turns a seed prompt and a product
text into a draft (the seed prompts, `SEED_PROMPTS` below), `render_draft` renders it with the
one ffmpeg graph, and PyAV reads back one frame per scene (35 % into it, after the entrances).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from reelterm.engine.agent.base import Reply, TurnContext, UploadInfo
from reelterm.engine.agent.studio import StudioAgent
from reelterm.media import render_draft
from reelterm.protocol import Draft

TEXTS = {
    "brewlab": ("Brewlab is a smart coffee scale for people who love a perfect cup. It times your pour to the "
                "second and weighs every gram. The app logs your recipes, ratios and tasting notes. "
                "Brew café-quality coffee 2x faster every morning. Order yours today at brewlab.com."),
    "xiaonuan": "智能保温杯「小暖」全新上市。它能让饮品保温二十四小时，还会提醒你按时喝水。现在下单立享8折优惠。立即扫码购买！",
}
SEED_PROMPTS = {
    "brewlab": "turn this text into a 30-second promotional video with visuals and music",
    "xiaonuan": "把这段文字做成30秒的宣传视频，要有画面和音乐",
}
SHAPES = {"landscape": (1920, 1080), "vertical": (1080, 1920), "square": (1080, 1080)}


def make_draft(name: str) -> Draft:
    """One generation turn of the local studio agent on a fresh in-memory session."""
    drafts: list[Draft] = []
    up = UploadInfo(id="t1", filename="copy.txt", kind="text", text=TEXTS[name])
    ctx = TurnContext(session_id="sheet", language="zh-CN" if name == "xiaonuan" else "en", draft=Draft(),
                      uploads=[up], history=[], credits_left=None,
                      commit=lambda d, s: drafts.append(d) or len(drafts), undo=lambda: None,
                      redo=lambda: None, charge=lambda c: None,
                      new_asset=lambda k, s: (f"asset:{k}", Path(tempfile.mkdtemp()) / f"{k}{s}"))
    steps = list(StudioAgent().respond(ctx, SEED_PROMPTS[name]))
    if not drafts:
        raise SystemExit(f"no draft for {name}: {[s.text for s in steps if isinstance(s, Reply)]}")
    return drafts[-1]


def scene_times(draft: Draft) -> list[float]:
    """Seconds at which to take each scene's frame."""
    base = next(t for t in draft.t if t.tt == 0)
    return [(seg.s + seg.d * 0.35) / 1000 for seg in sorted(base.sg, key=lambda s: s.s)]


def frames(path: Path, times: list[float]):
    """The frames at `times` (PIL images)."""
    import av

    out = []
    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        for t in times:
            c.seek(int(max(0.0, t - 1) / stream.time_base), stream=stream)
            for f in c.decode(stream):
                if f.time is not None and f.time >= t - 0.02:
                    out.append(f.to_image())
                    break
    return out


def sheet(images, thumb: int, cols: int):
    """Frames in a grid, each scaled so that its longer side is `thumb` px."""
    from PIL import Image

    w, h = images[0].size
    s = thumb / max(w, h)
    tw, th = round(w * s), round(h * s)
    rows = (len(images) + cols - 1) // cols
    gap = 8
    out = Image.new("RGB", (cols * tw + (cols + 1) * gap, rows * th + (rows + 1) * gap), (24, 24, 28))
    for i, im in enumerate(images):
        out.paste(im.resize((tw, th), Image.Resampling.LANCZOS),
                  (gap + (i % cols) * (tw + gap), gap + (i // cols) * (th + gap)))
    return out


def main() -> None:
    """Render every seed in every shape and write one JPEG sheet each."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("docs/visuals"))
    ap.add_argument("--scale", type=float, default=0.5, help="render size relative to full HD")
    ap.add_argument("--only", default="", help="one seed name")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reelterm-sheet-") as tmp:
        for name in TEXTS:
            if args.only and name != args.only:
                continue
            base = make_draft(name)
            for shape, (w, h) in SHAPES.items():
                w2, h2 = round(w * args.scale / 2) * 2, round(h * args.scale / 2) * 2
                draft = base.model_copy(update={"m": base.m.model_copy(update={"width": w2, "height": h2})})
                video = Path(tmp) / f"{name}-{shape}.mp4"
                render_draft(draft, video, quality="draft", cache_dir=Path(tmp) / "cache")
                shots = frames(video, scene_times(draft))
                cols = 4 if shape != "landscape" else 3
                dest = args.out / f"{name}-{shape}.jpg"
                sheet(shots, 480 if shape != "landscape" else 560, cols).save(dest, quality=82, optimize=True)
                print(f"{dest} ({dest.stat().st_size // 1024} KB, {len(shots)} scenes)")


if __name__ == "__main__":
    main()
