"""The file picker: a directory tree of supported media, several files marked at once."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Label, Static
from textual.widgets._tree import TreeNode
from textual.widgets.directory_tree import DirEntry

from reelterm.protocol import MAX_UPLOAD_BYTES, SUPPORTED_MEDIA, SUPPORTED_TEXT, SUPPORTED_UPLOADS
from reelterm.tui.bindings import PICKER_KEYS

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


def refusal(path: Path) -> str | None:
    """Why `path` cannot be uploaded, or None when it can (checked before any upload)."""
    suffix = path.suffix.lower().lstrip(".")
    if not path.exists():
        return f"{path.name or path} does not exist."
    if path.is_dir():
        return f"{path.name} is a folder; pick files inside it."
    if suffix not in SUPPORTED_UPLOADS:
        return (f"{path.name}: .{suffix or '?'} files are not supported. Use one of: "
                f"{', '.join(SUPPORTED_MEDIA)}; text: {', '.join(SUPPORTED_TEXT)}.")
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"{path.name} cannot be read ({exc.strerror or type(exc).__name__})."
    if size > MAX_UPLOAD_BYTES:
        return (f"{path.name} is {human_size(size)}, over the 500 MB limit: compress or trim it "
                "first.")
    return None


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

    BINDINGS = [spec.binding() for spec in TREE_KEYS]

    def __init__(self, path: str | Path, **kwargs) -> None:
        super().__init__(path, **kwargs)
        self.marked: list[Path] = []
        self._sizes: dict[Path, int] = {}

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        """Folders and supported files; no hidden entries."""
        out = []
        for path in paths:
            if path.name.startswith("."):
                continue
            if self._safe_is_dir(path) or path.suffix.lower().lstrip(".") in SUPPORTED_UPLOADS:
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
        self._refresh_node(node)
        self.post_message(FilePicker.MarksChanged())


class FilePicker(ModalScreen[list[Path] | None]):
    """Pick files to upload; returns the paths, or None when closed."""

    BINDINGS = [spec.binding() for spec in SCREEN_KEYS]
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

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = (start or Path.cwd()).resolve()
        self._durations: dict[Path, float | None] = {}

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Upload files"
            box.border_subtitle = "space mark · u upload · esc close"
            yield Label(f"Folder: {self.start.name or self.start}", classes="picker-folder")
            yield MediaTree(self.start, id="picker-tree")
            yield Static("", classes="picker-info", markup=False)
            yield Static("No files marked.", classes="picker-marked", markup=False)
            yield Input(placeholder="…or type a path and press enter", id="picker-path")
            yield Static("", classes="picker-error", markup=False)
            with Horizontal():
                yield Button("Upload", variant="primary", id="picker-upload")
                yield Button("Cancel", id="picker-cancel")

    def on_mount(self) -> None:
        """Focus the tree."""
        tree = self.query_one(MediaTree)
        tree.root.set_label(self.start.name or str(self.start))
        tree.focus()
        if self.app.is_headless:
            self.query_one(Input).cursor_blink = False

    @property
    def tree(self) -> MediaTree:
        """The directory tree."""
        return self.query_one(MediaTree)

    def _error(self, text: str) -> None:
        self.query_one(".picker-error", Static).update(text)

    def _show_marks(self) -> None:
        marked = self.tree.marked
        if not marked:
            self.query_one(".picker-marked", Static).update("No files marked.")
            return
        total = sum(self.tree.size_of(p) or 0 for p in marked)
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
        self.tree.action_mark()

    @on(MediaTree.NodeHighlighted)
    def _highlighted(self, event: MediaTree.NodeHighlighted) -> None:
        node = event.node
        if node.data is None or node.allow_expand:
            self.query_one(".picker-info", Static).update("")
            return
        self._describe(node.data.path)

    def _describe(self, path: Path) -> None:
        size = self.tree.size_of(path)
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
        node = self.tree.cursor_node
        if node is not None and node.data is not None and node.data.path == path:
            self._describe(path)

    @on(Input.Submitted, "#picker-path")
    def _typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.start / path
        problem = refusal(path)
        if problem:
            self._error(problem)
            return
        if path not in self.tree.marked:
            self.tree.marked.append(path)
        event.input.clear()
        self._error("")
        self._show_marks()

    @on(Button.Pressed, "#picker-upload")
    def action_upload(self) -> None:
        """Check every marked file and return them; refuse with a sentence when one is bad."""
        paths = list(self.tree.marked)
        if not paths:
            node = self.tree.cursor_node
            if node is not None and node.data is not None and not node.allow_expand:
                paths = [node.data.path]
        if not paths:
            self._error("Mark files with space (or type a path) first.")
            return
        problems = [p for p in (refusal(path) for path in paths) if p]
        if problems:
            self._error("\n".join(problems))
            return
        self.dismiss(paths)

    @on(Button.Pressed, "#picker-cancel")
    def action_cancel(self) -> None:
        """Close without uploading."""
        self.dismiss(None)
