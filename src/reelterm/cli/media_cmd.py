"""`reelterm render`, `reelterm merge`, `reelterm convert`: headless media jobs, no Textual.

Heavy imports (PyAV, Pillow, pydantic) stay inside the command functions.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from reelterm.cli.exit_codes import EXIT_BACKEND, EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK

QUALITIES = ("draft", "standard", "high")
"""`reelterm.media.formats.QUALITIES`, copied: importing media here would slow every command's start
(tests/test_cli_main.py keeps the two equal)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `render`, `merge` and `convert`."""
    p = sub.add_parser("render", help="render a draft JSON file to a video/audio/image file",
                       description="Render a draft (docs/draft.md) with one ffmpeg process. "
                       "upload:ID and asset:ID refer to a file named ID.<ext> in --media-dir.")
    p.add_argument("draft", type=Path, help="the draft, as JSON")
    p.add_argument("-o", "--output", type=Path, required=True, help="output file; format from suffix")
    p.add_argument("--quality", choices=QUALITIES, default="standard")
    p.add_argument("--media-dir", type=Path, default=None,
                   help="where upload:ID / asset:ID files live (default: the draft's folder)")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("merge", help="put an audio file under a video (stream copy when possible)")
    p.add_argument("video", type=Path)
    p.add_argument("audio", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--fit", choices=("shortest", "loop", "pad"), default="shortest",
                   help="length policy: cut to the shorter, loop the audio, or pad it with silence")
    p.add_argument("--mix", action="store_true", help="mix with the video's own sound instead of replacing it")
    p.add_argument("--quality", choices=QUALITIES, default="standard")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("convert", help="convert between mp4 mov avi webm mkv jpg png gif webp mp3 wav m4a aac")
    p.add_argument("input", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--quality", choices=QUALITIES, default="standard")
    p.set_defaults(func=cmd_convert)


class _Progress:
    """A bar on a terminal, a line every 10% otherwise (both on stderr)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()
        self.shown = -1

    def __call__(self, pct: float) -> None:
        if self.tty:
            done = int(pct / 100 * 30)
            sys.stderr.write(f"\r{self.label} [{'#' * done}{'.' * (30 - done)}] {pct:5.1f}%")
            sys.stderr.flush()
        else:
            step = int(pct // 10) * 10
            if step > self.shown:
                self.shown = step
                print(f"{self.label}: {step}%", file=sys.stderr, flush=True)

    def end(self) -> None:
        if self.tty and self.shown != -2:
            sys.stderr.write("\n")
            self.shown = -2


def _run(label: str, job: Callable[[_Progress], object]) -> int:
    from reelterm.media.errors import FFmpegFailed, MediaError, RenderCancelled

    bar = _Progress(label)
    try:
        job(bar)
    except RenderCancelled as exc:
        bar.end()
        print(f"reelterm {label}: {exc}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except FFmpegFailed as exc:
        bar.end()
        print(f"reelterm {label}: {exc}", file=sys.stderr)
        return EXIT_BACKEND
    except MediaError as exc:
        bar.end()
        print(f"reelterm {label}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        bar.end()
        raise
    bar.end()
    return EXIT_OK


def media_resolver(media_dir: Path) -> Callable[[str], Path]:
    """`upload:ID`/`asset:ID` -> the first file in `media_dir` named `ID` or `ID.<ext>`."""

    def resolve(src: str) -> Path:
        _, _, ident = src.partition(":")
        exact = media_dir / ident
        if ident and exact.is_file():
            return exact
        matches = sorted(p for p in media_dir.glob(f"{ident}.*") if p.is_file() and not p.name.startswith("."))
        if not ident or not matches:
            raise FileNotFoundError(f"{src}: no file named {ident}.* in {media_dir}")
        return matches[0]

    return resolve


def cmd_render(args: argparse.Namespace) -> int:
    """Render a draft file."""
    import json

    from reelterm.protocol.draft import DraftError, validate_local_draft

    path: Path = args.draft
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(f"reelterm render: {path} does not exist.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"reelterm render: {path.name} is not a JSON draft ({exc.__class__.__name__}).", file=sys.stderr)
        return EXIT_BAD_INPUT
    if isinstance(data, dict) and isinstance(data.get("draft"), dict):
        data = data["draft"]  # a state or export body that wraps the draft
    if not isinstance(data, dict):
        print(f"reelterm render: {path.name} is not a draft object.", file=sys.stderr)
        return EXIT_BAD_INPUT
    resolve = media_resolver(args.media_dir or path.resolve().parent)

    def known(src: str) -> bool:
        from reelterm.media.pictures import bundled_exists

        bundled = bundled_exists(src)
        if bundled is not None:
            return bundled
        try:
            resolve(src)
            return True
        except FileNotFoundError:
            return False

    try:
        draft = validate_local_draft(data, known)
    except DraftError as exc:
        print(f"reelterm render: {path.name} is not a valid draft: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT

    def job(bar: _Progress) -> None:
        from reelterm.media.render import render_draft

        warnings: list[str] = []
        out = render_draft(draft, args.output, resolve=resolve, quality=args.quality, on_progress=bar,
                           on_warning=warnings.append)
        bar.end()
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(out)

    return _run("render", job)


def cmd_merge(args: argparse.Namespace) -> int:
    """Merge a video with an audio file."""

    def job(bar: _Progress) -> None:
        from reelterm.media.merge import merge

        result = merge(args.video, args.audio, args.output, fit=args.fit, mix=args.mix,
                       quality=args.quality, on_progress=bar)
        bar.end()
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(result.path)

    return _run("merge", job)


def cmd_convert(args: argparse.Namespace) -> int:
    """Convert a file to the format of the output's suffix."""

    def job(bar: _Progress) -> None:
        from reelterm.media.convert import convert

        out = convert(args.input, args.output, quality=args.quality, on_progress=bar)
        bar.end()
        print(out)

    return _run("convert", job)
