"""Every documented key binding is remappable through `config.toml`: the new key does the action."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.dom import DOMNode

from reelterm.config import app_paths, load_settings
from reelterm.tui.app import ReelApp
from reelterm.tui.bindings import GROUPS, all_ids
from reelterm.tui.preview import PreviewScreen
from reelterm.tui.widgets.chat import ChatLog
from reelterm.tui.widgets.file_picker import FilePicker, MediaTree
from reelterm.tui.widgets.help import HelpScreen
from reelterm.tui.widgets.prompt import PromptArea
from reelterm.tui.widgets.render_queue import RenderQueue
from reelterm.tui.widgets.sessions import SessionsScreen
from reelterm.tui.widgets.text_editor import SegmentTextEditor
from reelterm.tui.widgets.timeline import Timeline
from support.demo import screen_text

DOCS = Path(__file__).resolve().parents[2] / "docs" / "keys.md"
FREE_KEYS = [f"{mod}f{n}" for mod in ("", "ctrl+", "shift+", "ctrl+shift+", "alt+")
             for n in range(1, 25) if mod or n > 12]
"""Keys no default binding uses: every id gets one of its own."""


def documented_ids() -> list[str]:
    """The binding ids docs/keys.md lists in its tables."""
    return re.findall(r"^\|.*`(reelterm\.[\w.]+)` \|", DOCS.read_text(), flags=re.MULTILINE)


def write_config(home: Path, remap: dict[str, str]) -> dict[str, str]:
    """A real config.toml with a `[keys]` table; returns the keymap the app loads from it."""
    paths = app_paths(home).ensure()
    lines = ["[keys]", *(f'"{key_id}" = "{key}"' for key_id, key in remap.items())]
    paths.config_file.write_text("\n".join(lines) + "\n")
    settings, warning = load_settings(paths)
    assert warning is None
    return dict(settings.keys)


def test_docs_and_the_registry_list_the_same_ids() -> None:
    docs = documented_ids()
    assert len(docs) == len(set(docs)), "an id is documented twice"
    assert set(docs) == all_ids()


def test_every_binding_of_every_screen_and_widget_comes_from_the_registry() -> None:
    known = all_ids()
    classes: list[type[DOMNode]] = [DOMNode]
    seen: list[type[DOMNode]] = []
    while classes:
        cls = classes.pop()
        seen.append(cls)
        classes.extend(cls.__subclasses__())
    ours = [cls for cls in seen if cls.__module__.startswith("reelterm.tui") and "BINDINGS" in vars(cls)]
    assert {cls.__name__ for cls in ours} >= {"HelpScreen", "PreviewScreen", "SessionsScreen", "Timeline"}
    for cls in ours:
        for binding in cls.BINDINGS:
            assert getattr(binding, "id", None) in known and binding.tooltip, (cls.__name__, binding)


CONTEXT: dict[str, type[DOMNode]] = {
    "Anywhere": ReelApp, "Message box": PromptArea, "Chat log": ChatLog, "Timeline": Timeline,
    "Timeline playhead": Timeline, "Timeline editing": Timeline,
    "Text segment editor": SegmentTextEditor, "Render queue": RenderQueue, "File picker": FilePicker,
    "Sessions": SessionsScreen, "Help": HelpScreen, "Frame preview": PreviewScreen,
}
"""Where each group's keys work (the picker's cursor keys are the tree's)."""


async def open_context(app: ReelApp, group: str, tmp_path: Path) -> None:
    """Show the screen and focus the widget a group's keys belong to."""
    while len(app.screen_stack) > 1:
        app.pop_screen()
    for editor in app.query(SegmentTextEditor):
        await editor.remove()
    screens: dict[str, Any] = {
        "File picker": lambda: FilePicker(tmp_path, (".mp4",)), "Sessions": SessionsScreen,
        "Help": lambda: HelpScreen({}), "Frame preview": lambda: PreviewScreen("x", color="color:#000000"),
    }
    if group in screens:
        await app.push_screen(screens[group]())
        return
    if group == "Text segment editor":
        editor = SegmentTextEditor("seg1", "words")
        await app.query_one("#side").mount(editor)
        editor.focus()
        return
    widget = {"Anywhere": PromptArea, "Message box": PromptArea}.get(group, CONTEXT[group])
    app.query_one(widget).focus()


async def test_each_documented_binding_remapped_in_config_toml_answers_to_its_new_key(tmp_path) -> None:
    specs = [(group, spec) for group, group_specs in GROUPS for spec in group_specs]
    remap = {spec.id: FREE_KEYS[i] for i, (_, spec) in enumerate(specs)}
    keymap = write_config(tmp_path / "home", remap)
    app = ReelApp(keys=keymap)
    dispatched: list[tuple[str, DOMNode | None]] = []

    async def record(action: Any, default_namespace: DOMNode | None = None, *_: Any) -> bool:
        dispatched.append((action, default_namespace))
        return True  # the binding was found: running the action is other tests' business

    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause(0.1)
        assert "unknown key id" not in screen_text(app)
        app.run_action = record  # type: ignore[method-assign]  # records what each key reaches
        for group, spec in specs:
            await open_context(app, group, tmp_path)
            await pilot.pause()
            dispatched.clear()
            await pilot.press(remap[spec.id])
            where = {type(namespace) for action, namespace in dispatched if action == spec.action}
            expected = MediaTree if group == "File picker" and spec.action.startswith(("mark", "cursor")) \
                else CONTEXT[group]
            assert any(issubclass(cls, expected) for cls in where), (spec.id, remap[spec.id], dispatched)


async def test_remapped_help_and_preview_close_keys_close_them(tmp_path) -> None:
    keymap = write_config(tmp_path / "home", {"reelterm.help.close": "x", "reelterm.preview.close": "z"})
    app = ReelApp(keys=keymap)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.1)
        assert "unknown key id" not in screen_text(app)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")  # remapped away: no longer closes it
        assert isinstance(app.screen, HelpScreen)
        assert "x Close" in screen_text(app)  # the dialog's footer names the new key
        await pilot.press("x")
        assert not isinstance(app.screen, HelpScreen)
        await app.push_screen(PreviewScreen("A colour", color="color:#336699"))
        await pilot.press("escape")
        assert isinstance(app.screen, PreviewScreen)
        await pilot.press("z")
        assert len(app.screen_stack) == 1
