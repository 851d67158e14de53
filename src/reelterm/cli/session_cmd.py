"""Headless commands on the backend worker: chat, upload, state, credits, export, renders."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import re
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TextIO

from reelterm.cli.exit_codes import EXIT_BACKEND, EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE
from reelterm.cli.llm_options import add_llm_options

if TYPE_CHECKING:
    from reelterm.worker import BackendWorker

QUALITIES = ("draft", "standard", "high")
"""`reelterm.media.formats.QUALITIES`, copied: importing media here would slow every command's start
(tests/test_cli_main.py keeps the two equal)."""

_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|.?)")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without terminal escape sequences or control characters (newlines and tabs stay)."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def one_line(text: str) -> str:
    """`text` made printable on a single line (for file names in progress lines)."""
    return printable(" ".join(text.split()))


def session_id(value: str) -> str:
    """An argparse type: a session id is one word without slashes (it goes into URL paths)."""
    if not value or len(value) > 200 or re.search(r"[\s/\\\x00-\x1f\x7f]", value):
        raise argparse.ArgumentTypeError(f"{value[:40]!r} is not a session id (one word, no slashes)")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `chat`, `upload`, `state`, `credits`, `export` and `renders`."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--session", metavar="SID", type=session_id,
                        help="use this session (default: the last one)")
    common.add_argument("--new", action="store_true", help="start a new session")
    common.add_argument("--json", action="store_true", help="print one JSON object per event per line")
    common.add_argument("--api", metavar="URL|nemo|local", default=argparse.SUPPRESS,
                        help="backend (also accepted before the command; default REELTERM_API, config, local)")
    add_llm_options(common, default=argparse.SUPPRESS)

    p = sub.add_parser("chat", parents=[common], help="send one message to the agent and print the reply")
    p.add_argument("message", metavar="MESSAGE", help="the message ('-' reads it from stdin)")
    p.add_argument("--file", "-f", action="append", default=[], metavar="F",
                   help="upload a file (or URL) before the message; repeatable")
    p.set_defaults(func=run_chat)

    p = sub.add_parser("upload", parents=[common], help="upload files or web addresses to the session")
    p.add_argument("items", nargs="+", metavar="FILE|URL")
    p.set_defaults(func=run_upload)

    p = sub.add_parser("state", parents=[common], help="show the session's timeline")
    p.set_defaults(func=run_state)

    p = sub.add_parser("credits", parents=[common], help="show the credit balance")
    p.set_defaults(func=run_credits)

    p = sub.add_parser("export", parents=[common], help="render the timeline and download the video")
    p.add_argument("--format", dest="fmt", default=None, help="container, e.g. mp4 (default from config)")
    p.add_argument("--quality", choices=QUALITIES, default=None, help="default from config (high)")
    p.add_argument("-o", "--output", default=None, metavar="PATH", help="file or folder to save to")
    p.add_argument("--no-wait", action="store_true", help="print the render id and return at once")
    p.add_argument("--subtitles", choices=("srt", "vtt"), default=None,
                   help="also write the captions as a subtitle file beside the video")
    p.set_defaults(func=run_export)

    p = sub.add_parser("renders", parents=[common],
                       help="list exports and finish the unfinished ones (poll and download)")
    p.add_argument("--list", dest="list_only", action="store_true", help="only list, do not resume")
    p.set_defaults(func=run_renders)


# ---- output ------------------------------------------------------------------------------------

class Printer:
    """Turns worker events into terminal output (or JSON lines) and works out the exit code."""

    def __init__(self, as_json: bool, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.as_json = as_json
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.tty = self.out.isatty() and not as_json
        self.bar = self.err.isatty() and not as_json
        self.code = EXIT_OK
        self.streamed = ""
        self.render_ids: list[str] = []
        self._steps: dict[str, int] = {}
        self._bar_open = False

    def fail(self, code: int) -> None:
        """Record a failure; bad input wins over a backend error."""
        if self.code != EXIT_BAD_INPUT:
            self.code = code

    def say(self, text: str, err: bool = False) -> None:
        """One line of human output (closing an open progress bar first)."""
        if self._bar_open:
            self.err.write("\n")
            self._bar_open = False
        stream = self.err if err else self.out
        stream.write(printable(text) + "\n")
        stream.flush()

    def progress(self, key: str, label: str, pct: float) -> None:
        """A bar on a terminal, else a plain line every 25%."""
        pct = max(0.0, min(100.0, pct))
        if self.bar:
            filled = int(pct / 5)
            self.err.write(f"\r[{'#' * filled}{'-' * (20 - filled)}] {pct:5.1f}% {one_line(label)}\x1b[K")
            self.err.flush()
            self._bar_open = pct < 100
            if pct >= 100:
                self.err.write("\n")
            return
        step = int(pct // 25)
        if self._steps.get(key) != step:
            self._steps[key] = step
            self.say(f"{label}: {pct:.0f}%", err=True)

    def __call__(self, event: Any) -> None:
        from reelterm.worker import events as ev
        from reelterm.worker.serialize import event_to_dict

        if isinstance(event, ev.ErrorRaised):
            self.fail(EXIT_BAD_INPUT if event.bad_input else EXIT_BACKEND)
        elif isinstance(event, ev.TurnFinished) and not event.ok:
            self.fail(EXIT_BACKEND)
        elif isinstance(event, ev.RenderFailed | ev.SessionReplaced) and getattr(event, "lost", True):
            self.fail(EXIT_BACKEND)
        elif isinstance(event, ev.RenderQueued):
            self.render_ids.append(event.render_id)
        if self.as_json:
            self.out.write(json.dumps(event_to_dict(event), ensure_ascii=False) + "\n")
            self.out.flush()
            return
        self.human(event)

    def human(self, event: Any) -> None:  # noqa: C901 - one branch per event type
        """Human output for one event."""
        from reelterm.worker import events as ev

        if isinstance(event, ev.ReplyDelta):
            if self.tty:
                self.streamed += event.text
                self.out.write(printable(event.text))
                self.out.flush()
        elif isinstance(event, ev.ReplyFinal):
            if self.tty and self.streamed and event.text.startswith(self.streamed):
                self.say(event.text[len(self.streamed):])
            elif self.tty and self.streamed:
                self.say("\n" + event.text)
            else:
                self.say(event.text)
            self.streamed = ""
        elif isinstance(event, ev.ToolStarted | ev.ToolFinished):
            self.say(f"· {event.summary}", err=True)
        elif isinstance(event, ev.StillWorking):
            self.say(f"… {event.text} ({event.elapsed_s / 60:.0f} min)", err=True)
        elif isinstance(event, ev.StateUpdated):
            if event.reason in ("refresh", "gui"):
                self.say(event.overview)
            elif event.summary:
                self.say(event.summary)
        elif isinstance(event, ev.UploadProgress):
            self.progress(f"up:{event.filename}", f"Uploading {one_line(event.filename)}",
                          event.sent * 100 / event.total if event.total else 100)
        elif isinstance(event, ev.UploadDone):
            for f in event.files:
                extra = ", ".join(x for x in (f.file_type, f"{f.duration:.1f} s" if f.duration else "") if x)
                self.say(f"Uploaded {one_line(f.filename or f.cdn_url or '')}" + (f" ({extra})" if extra else ""))
        elif isinstance(event, ev.RenderQueued):
            self.say(f"Export {event.render_id} queued ({event.fmt}, {event.quality}).", err=True)
        elif isinstance(event, ev.RenderProgress):
            label = "Downloading" if event.status == "downloading" else "Rendering"
            self.progress(f"r:{event.render_id}:{label}", f"{label} {event.render_id}", event.progress)
        elif isinstance(event, ev.RenderDone):
            self.say(str(event.path))
        elif isinstance(event, ev.RenderFailed):
            prefix = "" if event.cancelled else "Error: "
            action = f" {event.action}" if event.action else ""
            self.say(f"{prefix}Export {event.render_id}: {event.sentence}{action}", err=True)
        elif isinstance(event, ev.CreditsUpdated):
            c = event.credits
            self.say("Credits: unlimited." if c.unlimited else
                     f"Credits: {c.available:g} available, {c.frozen:g} frozen"
                     + (f", {c.total:g} total." if c.total is not None else "."))
        elif isinstance(event, ev.ErrorRaised):
            self.say(f"Error: {event.sentence}" + (f" {event.action}" if event.action else ""), err=True)
        elif isinstance(event, ev.Notice):
            self.say(("Warning: " if event.warning else "") + event.text, err=True)
        elif isinstance(event, ev.SessionReplaced):
            self.say(event.notice, err=True)

    def error(self, sentence: str, code: int) -> int:
        """Report a failure that happened outside the worker; returns the exit code."""
        from reelterm.worker.events import ErrorRaised

        self.fail(code)
        if self.as_json:
            self(ErrorRaised(sentence, detail={"kind": "Startup"}, bad_input=code == EXIT_BAD_INPUT))
        else:
            self.say(f"Error: {sentence}", err=True)
        return self.code


# ---- running a command ------------------------------------------------------------------------

Body = Callable[["BackendWorker", Printer], Awaitable[None]]


def _run(args: argparse.Namespace, body: Body, resume: bool = False, start: bool = True) -> int:
    """Open the backend, start a worker, run `body`, stop; returns the exit code."""
    import asyncio

    from reelterm.cli.backend import BackendUnavailable, BadBackendChoice, open_backend
    from reelterm.config import app_paths, load_settings
    from reelterm.worker import BackendWorker

    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 prints as '?', never crashes
        if isinstance(stream, io.TextIOWrapper):  # not a StringIO, nor None under pythonw
            with contextlib.suppress(ValueError):
                stream.reconfigure(errors="replace")
    printer = Printer(getattr(args, "json", False))
    paths = app_paths()
    log_file = _log_to_file(paths)
    settings, problem = load_settings(paths)
    if problem:
        printer.say(f"Warning: {problem}", err=True)
    from reelterm.cli.backend import llm_ignored

    ignored = llm_ignored(getattr(args, "api", None), getattr(args, "llm", None), settings)
    if ignored:
        printer.say(f"Warning: {ignored}", err=True)

    async def main(backend: Any) -> None:
        worker = BackendWorker(backend, paths=paths, settings=settings, emit=printer)
        try:
            if start and not await worker.start(session_id=args.session, new=args.new, resume=resume):
                return
            await body(worker, printer)
        finally:
            await worker.stop()

    try:
        with open_backend(getattr(args, "api", None), paths, settings, llm_flag=getattr(args, "llm", None),
                          llm_model=getattr(args, "llm_model", None)) as backend:
            asyncio.run(main(backend))
    except BadBackendChoice as exc:
        return printer.error(exc.sentence, EXIT_USAGE)
    except BackendUnavailable as exc:
        return printer.error(exc.sentence, EXIT_BACKEND)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - one sentence, never a traceback
        logging.getLogger("reelterm").exception("headless command failed")
        where = f"details are in {log_file}" if log_file else "the log could not be written"
        return printer.error(f"reelterm failed unexpectedly ({type(exc).__name__}); {where}.", EXIT_BACKEND)
    return printer.code


def _log_to_file(paths: Any) -> str | None:
    """Send reelterm's warnings and errors to `headless-errors.log`, never to the terminal; its path."""
    logger = logging.getLogger("reelterm")
    logger.propagate = False  # no traceback through logging's last-resort stderr handler
    file = paths.state_dir / "headless-errors.log"
    if any(getattr(h, "baseFilename", None) == str(file) for h in logger.handlers):
        return str(file)
    try:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = logging.FileHandler(file, encoding="utf-8", delay=True)
    except OSError:
        logger.addHandler(logging.NullHandler())
        return None
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("--- %(asctime)s %(name)s %(levelname)s\n%(message)s"))
    logger.addHandler(handler)
    return str(file)


# ---- the commands -------------------------------------------------------------------------------

def _read_stdin() -> str:
    """All of stdin as text; bytes that are not UTF-8 become U+FFFD instead of an error."""
    stream = getattr(sys.stdin, "buffer", None)
    return stream.read().decode("utf-8", "replace") if stream is not None else sys.stdin.read()


def run_chat(args: argparse.Namespace) -> int:
    """`reelterm chat MESSAGE [--file F ...]`."""
    message = _read_stdin() if args.message == "-" else args.message
    if not message.strip():
        print("Error: the message is empty.", file=sys.stderr)
        return EXIT_USAGE

    async def body(worker: BackendWorker, printer: Printer) -> None:
        if args.file and await worker.upload(args.file) is None:
            return
        await worker.send(message)
        if printer.render_ids:
            await worker.wait_renders(printer.render_ids)

    return _run(args, body)


def run_upload(args: argparse.Namespace) -> int:
    """`reelterm upload FILE|URL ...`."""

    async def body(worker: BackendWorker, printer: Printer) -> None:
        await worker.upload(args.items)

    return _run(args, body)


def run_state(args: argparse.Namespace) -> int:
    """`reelterm state`."""

    async def body(worker: BackendWorker, printer: Printer) -> None:
        await worker.refresh_state()

    return _run(args, body)


def run_credits(args: argparse.Namespace) -> int:
    """`reelterm credits`."""

    async def body(worker: BackendWorker, printer: Printer) -> None:
        worker.open()  # credits need no session
        await worker.refresh_credits()

    return _run(args, body, start=False)


def run_export(args: argparse.Namespace) -> int:
    """`reelterm export [--format] [--quality] [-o PATH] [--no-wait] [--subtitles srt|vtt]`."""

    async def body(worker: BackendWorker, printer: Printer) -> None:
        record = await worker.export(args.fmt, args.quality, dest=args.output)
        if record is None:
            return
        records = [record]
        if args.subtitles and record.fmt not in ("srt", "vtt"):
            subs = await worker.export_subtitles(record, args.subtitles)
            records += [subs] if subs is not None else []
        if args.no_wait:
            if not printer.as_json:
                for r in records:
                    printer.say(r.id)
            return
        await worker.wait_renders([r.id for r in records])

    return _run(args, body)


def run_renders(args: argparse.Namespace) -> int:
    """`reelterm renders`: list the exports reelterm knows, then finish the unfinished ones."""

    async def body(worker: BackendWorker, printer: Printer) -> None:
        pending, history = worker.journal.pending(), worker.journal.history()
        rows = [("pending", r) for r in pending] + [(r.status, r) for r in history]
        for state, r in rows:
            if printer.as_json:
                printer.out.write(json.dumps({"event": "render_listed", "render_id": r.id, "status": state,
                                              "title": r.title, "path": r.path, "error": r.error,
                                              "submitted_at": r.submitted_at}, ensure_ascii=False) + "\n")
            else:
                where = r.path or r.error or (f'"{r.title}"' if r.title else "")
                printer.say(f"{r.id}  {state:<10} {one_line(where)}")
        if not rows and not printer.as_json:
            printer.say("No exports yet.")
        renders = worker.renders  # never None here: `_run` started the worker
        if pending and not args.list_only and renders is not None:
            for record in pending:
                renders.track(record)
            await worker.wait_renders([r.id for r in pending])

    return _run(args, body)
