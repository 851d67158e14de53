"""The file picker: a directory tree of supported media, several files marked at once."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Footer, Input, Label, Static
from textual.widgets._tree import TreeNode
from textual.widgets.directory_tree import DirEntry

from reelterm.protocol import MAX_UPLOAD_BYTES, SUPPORTED_MEDIA, SUPPORTED_TEXT, SUPPORTED_UPLOADS
from reelterm.tui.bindings import PICKER_KEYS, bindings
from reelterm.worker.paths import local_path

TREE_KEYS = tuple(spec for spec in PICKER_KEYS if spec.action in ("mark", "cursor_down",
                                                                    "cursor_up"))
SCREEN_KEYS = tuple(spec for spec in PICKER_KEYS if spec not in TREE_KEYS)


def human_size(size: int) -> str:
    """`512 B`, `1.2 KB`, `3.4 MB`, `1.0 GB`."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


MAX_PATH_CHARS = 4096
"""Longer typed paths are refused before the file system sees them."""


def refusal(path: Path, accepted: tuple[str, ...] = SUPPORTED_UPLOADS) -> str | None:
    """Why `path` cannot be uploaded to a backend taking the extensions `accepted`, or None when it
    can (checked before any upload; never raises)."""
    name = _short(path.name or str(path))
    suffix = path.suffix.lower().lstrip(".")
    try:
        if not path.exists():
            return f"{name} does not exist."
        if path.is_dir():
            return f"{name} is a folder; pick files inside it."
        size = path.stat().st_size
    except (OSError, ValueError) as exc:  # no permission, a name too long, a NUL byte
        return f"{name} cannot be read ({_why(exc)})."
    if suffix not in accepted:
        media = [e for e in accepted if e not in SUPPORTED_TEXT and e != "jpeg"] or SUPPORTED_MEDIA
        return (f"{name}: .{_short(suffix, 12) or '?'} files are not supported. Use one of: "
                f"{', '.join(media)}; text: {', '.join(SUPPORTED_TEXT)}.")
    if not os.access(path, os.R_OK):
        return f"{name} cannot be read (no permission)."
    if size > MAX_UPLOAD_BYTES:
        return (f"{name} is {human_size(size)}, over the 500 MB limit: compress or trim it "
                "first.")
    return None


def typed_path(text: str, start: Path) -> tuple[Path | None, str | None]:
    """The path a user typed (relative to `start`, `~` expanded), or a sentence saying why not."""
    text = text.strip().strip("'\"")
    if not text:
        return None, None
    if "\0" in text:
        return None, "That path contains a NUL character; type the file's real name."
    if len(text) > MAX_PATH_CHARS:
        return None, f"That path is {len(text)} characters long; no file has a name that long."
    path = local_path(text)
    if not path.is_absolute():
        if text.startswith("~") and not _exists(start / path):
            user = text[1:].split("/", 1)[0]
            who = f"no user {_short(user, 32)}" if user else "no home folder"
            return None, f"There is {who} here, so {_short(text)} cannot be found."
        path = start / path
    return path, None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def folder_text(path: Path, home: Path | None = None) -> str:
    """`Folder: media/b-roll` inside the folder the picker opened in (`home`), else the whole
    path with the user's home shortened to `~`."""
    if home is not None:
        try:
            inner = path.relative_to(home.parent) if home.parent != home else None
        except ValueError:
            inner = None
        if inner is not None and path.is_relative_to(home):
            return f"Folder: {inner}"
    try:
        shown = "~/" + str(path.relative_to(Path.home()))
    except (ValueError, RuntimeError):
        shown = str(path)
    return "Folder: " + (shown.removesuffix("/.") or "/")


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _why(exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return "no permission"
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        return "the name is too long"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return "not a usable path"


def probe_duration(path: Path) -> float | None:
    """The media's duration in seconds via PyAV, or None (never raises)."""
    if path.suffix.lower().lstrip(".") in SUPPORTED_TEXT + ("jpg", "jpeg", "png", "webp"):
        return None
    try:
        import av

        with av.open(str(path)) as container:
            if container.duration:
                return container.duration / 1_000_000
            for stream in container.streams:
                if stream.duration and stream.time_base:
                    return float(stream.duration * stream.time_base)
    except Exception:  # noqa: BLE001 - any unreadable file just has no duration
        return None
    return None


class MediaTree(DirectoryTree):
    """A directory tree showing only folders and supported files, with sizes and marks."""

    BINDINGS = bindings(TREE_KEYS)

    def __init__(self, path: str | Path, accepted: tuple[str, ...] = SUPPORTED_UPLOADS, **kwargs: Any) -> None:
        self.accepted = accepted
        """The extensions the backend in use takes (the worker's `Connected.upload_types`)."""
        super().__init__(path, **kwargs)
        self.marked: list[Path] = []
        self._sizes: dict[Path, int] = {}

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        """Folders and supported files; no hidden entries."""
        out = []
        for path in paths:
            if path.name.startswith("."):
                continue
            if self._safe_is_dir(path) or path.suffix.lower().lstrip(".") in self.accepted:
                out.append(path)
        return out

    def size_of(self, path: Path) -> int | None:
        """The file's size (cached), or None."""
        if path not in self._sizes:
            try:
                self._sizes[path] = path.stat().st_size
            except OSError:
                return None
        return self._sizes[path]

    def render_label(self, node: TreeNode[DirEntry], base_style: Style, style: Style) -> Text:
        """The usual label, a ✓ on marked files and the size after files."""
        label = super().render_label(node, base_style, style)
        if node.data is None or node.allow_expand or node is self.root:
            return label
        path = node.data.path
        mark = Text("✓ ", style="bold") if path in self.marked else Text("  ")
        size = self.size_of(path)
        tail = Text(f"  {human_size(size)}", style="dim") if size is not None else Text()
        return Text.assemble(mark, label, tail)

    def action_mark(self) -> None:
        """Mark or unmark the file under the cursor; folders open or close."""
        node = self.cursor_node
        if node is None or node.data is None:
            return
        if node.allow_expand:
            self.action_toggle_node()
            return
        path = node.data.path
        if path in self.marked:
            self.marked.remove(path)
        else:
            self.marked.append(path)
        node.refresh()  # a new label: the cursor line is cached until the node changes
        self.post_message(FilePicker.MarksChanged())


class FilePicker(ModalScreen[list[Path] | None]):
    """Pick files to upload; returns the paths, or None when closed."""

    BINDINGS = bindings(SCREEN_KEYS)
    DEFAULT_CSS = """
    FilePicker { align: center middle; }
    FilePicker > Vertical {
        width: 90%; max-width: 100; height: 90%; max-height: 32;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    FilePicker MediaTree { height: 1fr; border: round $panel-lighten-2; }
    FilePicker MediaTree:focus { border: round $primary; }
    FilePicker .picker-info, FilePicker .picker-marked { height: auto; color: $text-muted; }
    FilePicker .picker-error { height: auto; color: $text-error; }
    FilePicker Input { margin: 0; }
    FilePicker Horizontal { height: auto; align-horizontal: right; }
    FilePicker Button { margin-left: 1; min-width: 12; }
    """

    class MarksChanged(Message):
        """The set of marked files changed."""

    def __init__(self, start: Path | None = None, accepted: tuple[str, ...] = SUPPORTED_UPLOADS) -> None:
        super().__init__()
        self.accepted = accepted
        self.start = (start or Path.cwd()).resolve()
        self.opened_in = self.start
        self._durations: dict[Path, float | None] = {}

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Upload files"
            box.border_subtitle = "space mark · u upload · ⌫ up a folder · esc close"
            yield Label(folder_text(self.start, self.opened_in), classes="picker-folder",
                        markup=False)
            yield MediaTree(self.start, self.accepted, id="picker-tree")
            yield Static("", classes="picker-info", markup=False)
            yield Static("No files marked.", classes="picker-marked", markup=False)
            yield Input(placeholder="…or type a file or folder path and press enter", id="picker-path")
            yield Static("", classes="picker-error", markup=False)
            with Horizontal():
                yield Button("Upload", variant="primary", id="picker-upload")
                yield Button("Cancel", id="picker-cancel")
        yield Footer()  # this dialog's keys, not the main screen's

    def on_mount(self) -> None:
        """Focus the tree."""
        tree = self.query_one(MediaTree)
        tree.root.set_label(self.start.name or str(self.start))
        tree.focus()
        if self.app.is_headless:
            self.query_one(Input).cursor_blink = False

    @property
    def media_tree(self) -> MediaTree:
        """The directory tree."""
        return self.query_one(MediaTree)

    def _error(self, text: str) -> None:
        self.query_one(".picker-error", Static).update(text)

    def _show_marks(self) -> None:
        marked = self.media_tree.marked
        if not marked:
            self.query_one(".picker-marked", Static).update("No files marked.")
            return
        total = sum(self.media_tree.size_of(p) or 0 for p in marked)
        names = ", ".join(self._relative(p) for p in marked)
        self.query_one(".picker-marked", Static).update(
            f"Marked {len(marked)} ({human_size(total)}): {names}")

    def _relative(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.start))
        except ValueError:
            return path.name

    @on(MarksChanged)
    def _marks_changed(self) -> None:
        self._error("")
        self._show_marks()

    @on(DirectoryTree.FileSelected)
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.media_tree.action_mark()

    @on(MediaTree.NodeHighlighted)
    def _highlighted(self, event: MediaTree.NodeHighlighted[DirEntry]) -> None:
        node = event.node
        if node.data is None or node.allow_expand:
            self.query_one(".picker-info", Static).update("")
            return
        self._describe(node.data.path)

    def _describe(self, path: Path) -> None:
        size = self.media_tree.size_of(path)
        parts = [self._relative(path)]
        if size is not None:
            parts.append(human_size(size))
        if path in self._durations:
            duration = self._durations[path]
            if duration is not None:
                parts.append(f"{duration:.1f} s")
        else:
            self._probe(path)
        self.query_one(".picker-info", Static).update(" · ".join(parts))

    @work(thread=True, exclusive=True, group="probe", exit_on_error=False)
    def _probe(self, path: Path) -> None:
        duration = probe_duration(path)
        self.app.call_from_thread(self._probed, path, duration)

    def _probed(self, path: Path, duration: float | None) -> None:
        self._durations[path] = duration
        node = self.media_tree.cursor_node
        if node is not None and node.data is not None and node.data.path == path:
            self._describe(path)

    @on(Input.Submitted, "#picker-path")
    def _typed(self, event: Input.Submitted) -> None:
        path, problem = typed_path(event.value, self.start)
        if path is None and problem is None:
            return
        if path is not None and problem is None and _is_dir(path):
            self._open_folder(path)
            event.input.clear()
            return
        if not problem and path is not None:
            problem = refusal(path, self.accepted)
        if problem:
            self._error(problem)
            return
        assert path is not None
        if path not in self.media_tree.marked:
            self.media_tree.marked.append(path)
        event.input.clear()
        self._error("")
        self._show_marks()

    def _open_folder(self, path: Path) -> None:
        """Show a typed folder in the tree (marks are kept)."""
        try:
            path = path.resolve()
        except (OSError, RuntimeError):
            pass
        self.start = path
        self.media_tree.path = path
        self.query_one(".picker-folder", Label).update(folder_text(path, self.opened_in))
        self._error("")
        self.media_tree.focus()

    @on(Button.Pressed, "#picker-upload")
    def action_upload(self) -> None:
        """Check every marked file and return them; refuse with a sentence when one is bad."""
        paths = list(self.media_tree.marked)
        if not paths:
            node = self.media_tree.cursor_node
            if node is not None and node.data is not None and not node.allow_expand:
                paths = [node.data.path]
        if not paths:
            self._error("Mark files with space (or type a path) first.")
            return
        problems = [p for p in (refusal(path, self.accepted) for path in paths) if p]
        if problems:
            self._error("\n".join(problems))
            return
        self.dismiss(paths)

    def action_parent(self) -> None:
        """Show the folder above the current one."""
        if self.start.parent != self.start:
            self._open_folder(self.start.parent)

    @on(Button.Pressed, "#picker-cancel")
    def action_cancel(self) -> None:
        """Close without uploading."""
        self.dismiss(None)
