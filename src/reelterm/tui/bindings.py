"""Every key binding of the app, each with an id (remappable in `config.toml`) and a tooltip."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class KeySpec:
    """One bindable action: id, default keys, action, description and tooltip."""

    id: str
    key: str
    action: str
    description: str
    tooltip: str
    show: bool = True
    priority: bool = False
    """Priority keys win over the focused widget's own (e.g. the message box's ctrl+e)."""

    def binding(self) -> Binding:
        """The Textual `Binding`."""
        return Binding(self.key, self.action, self.description, show=self.show,
                       priority=self.priority, tooltip=self.tooltip, id=self.id)


def _app(id: str, key: str, action: str, description: str, tooltip: str,  # noqa: A002
         show: bool = True, priority: bool = True) -> KeySpec:
    """An app-wide key: a priority binding unless told otherwise."""
    return KeySpec(id, key, action, description, tooltip, show=show, priority=priority)


APP_KEYS: tuple[KeySpec, ...] = (
    _app("reelterm.help", "f1", "help", "Help", "List every key and what it does"),
    _app("reelterm.upload", "ctrl+o", "upload", "Upload", "Pick files to upload to the session"),
    _app("reelterm.export", "ctrl+e", "export", "Export", "Render the timeline to a video file"),
    _app("reelterm.refresh", "ctrl+r", "refresh", "Refresh",
         "Fetch the timeline and the credit balance again", show=False),
    _app("reelterm.cancel_turn", "ctrl+g", "cancel_turn", "Stop agent",
         "Stop the agent's current turn", show=False),
    _app("reelterm.copy_reply", "ctrl+y", "copy_reply", "Copy reply",
         "Copy the agent's last reply to the clipboard (OSC 52)", show=False),
    _app("reelterm.focus_chat", "f2", "focus('prompt')", "Chat", "Focus the message box"),
    _app("reelterm.focus_timeline", "f3", "focus('timeline')", "Timeline",
         "Focus the timeline"),
    _app("reelterm.focus_renders", "f4", "focus('renders')", "Renders",
         "Focus the render queue"),
    _app("reelterm.focus_log", "f5", "focus('chat-log')", "Log",
         "Focus the chat log to select and copy messages", show=False),
    _app("reelterm.zoom", "f6", "zoom_panel", "Zoom",
         "Fill the screen with the focused panel; press again to show every panel", show=False),
    _app("reelterm.new_session", "ctrl+n", "new_session", "New session",
         "Start a new session with an empty timeline", show=False),
    _app("reelterm.sessions", "f7", "sessions", "Sessions",
         "List past sessions and switch to one", show=False),
    _app("reelterm.palette", "ctrl+p", "command_palette", "Commands",
         "Search every action", show=False, priority=False),
    _app("reelterm.quit", "ctrl+q", "quit", "Quit", "Leave reelterm"),
)
"""Keys that work anywhere in the main screen."""

CHAT_LOG_KEYS: tuple[KeySpec, ...] = (
    KeySpec("reelterm.log.down", "j,down", "select(1)", "Next", "Select the next message",
            show=False),
    KeySpec("reelterm.log.up", "k,up", "select(-1)", "Previous",
            "Select the previous message", show=False),
    KeySpec("reelterm.log.top", "g,home", "select_edge(0)", "First", "Select the first message",
            show=False),
    KeySpec("reelterm.log.bottom", "G,end", "select_edge(1)", "Last", "Select the last message",
            show=False),
    KeySpec("reelterm.log.copy", "y", "copy", "Copy", "Copy the selected message"),
)
"""Keys of the chat log."""

PROMPT_KEYS: tuple[KeySpec, ...] = (
    KeySpec("reelterm.prompt.send", "enter", "send", "Send", "Send the message to the agent",
            show=False),  # the message box's subtitle says it
    KeySpec("reelterm.prompt.newline", "ctrl+j", "newline", "New line",
            "Insert a line break (pasting keeps line breaks too)", show=False),
    KeySpec("reelterm.prompt.history_back", "up", "history(-1)", "Older",
            "The previous message you sent (on the first line)", show=False),
    KeySpec("reelterm.prompt.history_forward", "down", "history(1)", "Newer",
            "The next message you sent (on the last line)", show=False),
)
"""Keys of the message box."""

TIMELINE_KEYS: tuple[KeySpec, ...] = (
    KeySpec("reelterm.timeline.left", "h,left", "move(-1)", "Prev clip",
            "Select the previous segment on this track", show=False),
    KeySpec("reelterm.timeline.right", "l,right", "move(1)", "Next clip",
            "Select the next segment on this track", show=False),
    KeySpec("reelterm.timeline.up", "k,up", "track(-1)", "Track up",
            "Move to the track above", show=False),
    KeySpec("reelterm.timeline.down", "j,down", "track(1)", "Track down",
            "Move to the track below", show=False),
    KeySpec("reelterm.timeline.zoom_in", "plus,equals_sign", "zoom(0.5)", "Zoom in",
            "Show less time, in more detail"),
    KeySpec("reelterm.timeline.zoom_out", "minus", "zoom(2)", "Zoom out",
            "Show more time"),
    KeySpec("reelterm.timeline.zoom_fit", "0", "zoom_fit", "Fit", "Fit the whole timeline"),
    KeySpec("reelterm.timeline.preview", "p", "preview", "Preview",
            "Show the rendered frame at the playhead, as big as the screen allows"),
)
"""Keys of the timeline: selection, zoom and preview."""

PLAYHEAD_KEYS: tuple[KeySpec, ...] = (
    KeySpec("reelterm.playhead.frame_back", "b", "playhead('frame', -1)", "◂ frame",
            "Move the playhead back one frame", show=False),
    KeySpec("reelterm.playhead.frame_forward", "f", "playhead('frame', 1)", "frame ▸",
            "Move the playhead forward one frame", show=False),
    KeySpec("reelterm.playhead.second_back", "B", "playhead('second', -1)", "◂ 1 s",
            "Move the playhead back one second", show=False),
    KeySpec("reelterm.playhead.second_forward", "F", "playhead('second', 1)", "1 s ▸",
            "Move the playhead forward one second", show=False),
    KeySpec("reelterm.playhead.scene_back", "pageup", "playhead('scene', -1)", "◂ scene",
            "Move the playhead to the start of the previous scene", show=False),
    KeySpec("reelterm.playhead.scene_forward", "pagedown", "playhead('scene', 1)", "scene ▸",
            "Move the playhead to the start of the next scene", show=False),
    KeySpec("reelterm.playhead.to_segment", "t", "playhead_to_segment", "Playhead here",
            "Put the playhead at the start of the selected segment", show=False),
)
"""Keys of the timeline's playhead (a time cursor; its time is in the panel's title)."""

EDIT_KEYS: tuple[KeySpec, ...] = (
    KeySpec("reelterm.edit.delete", "delete,x", "edit('delete')", "Delete",
            "Delete the selected segment"),
    KeySpec("reelterm.edit.nudge_left", "comma", "edit('nudge', -100)", "Nudge ◂",
            "Move the selected segment 0.1 s earlier", show=False),
    KeySpec("reelterm.edit.nudge_right", "full_stop", "edit('nudge', 100)", "Nudge ▸",
            "Move the selected segment 0.1 s later", show=False),
    KeySpec("reelterm.edit.nudge_left_more", "less_than_sign", "edit('nudge', -1000)", "Nudge ◂ 1 s",
            "Move the selected segment 1 s earlier", show=False),
    KeySpec("reelterm.edit.nudge_right_more", "greater_than_sign", "edit('nudge', 1000)", "Nudge ▸ 1 s",
            "Move the selected segment 1 s later", show=False),
    KeySpec("reelterm.edit.trim_start", "left_square_bracket", "edit('trim_start', 100)", "Trim start",
            "Trim 0.1 s off the start of the selected segment", show=False),
    KeySpec("reelterm.edit.trim_end", "right_square_bracket", "edit('trim_end', 100)", "Trim end",
            "Trim 0.1 s off the end of the selected segment", show=False),
    KeySpec("reelterm.edit.extend_start", "left_curly_bracket", "edit('extend_start', 100)",
            "Extend start", "Extend the start of the selected segment by 0.1 s", show=False),
    KeySpec("reelterm.edit.extend_end", "right_curly_bracket", "edit('extend_end', 100)",
            "Extend end", "Extend the end of the selected segment by 0.1 s", show=False),
    KeySpec("reelterm.edit.split", "s", "edit('split')", "Split",
            "Split the selected segment at the playhead"),
    KeySpec("reelterm.edit.text", "e", "edit('text')", "Edit text",
            "Change the words of the selected text segment (enter sends, escape cancels)"),
    KeySpec("reelterm.edit.volume_up", "v", "edit('volume', 10)", "Vol +",
            "Raise the selected audio segment's volume by 10 points", show=False),
    KeySpec("reelterm.edit.volume_down", "V", "edit('volume', -10)", "Vol −",
            "Lower the selected audio segment's volume by 10 points", show=False),
    KeySpec("reelterm.edit.scene_earlier", "H", "edit('scene', -1)", "Scene ◂",
            "Move the selected scene (or the one at the playhead) one place earlier", show=False),
    KeySpec("reelterm.edit.scene_later", "L", "edit('scene', 1)", "Scene ▸",
            "Move the selected scene (or the one at the playhead) one place later", show=False),
    KeySpec("reelterm.edit.undo", "u", "edit('undo')", "Undo", "Undo the last change to the timeline"),
    KeySpec("reelterm.edit.redo", "U", "edit('redo')", "Redo", "Redo the change just undone",
            show=False),
)
"""Editing keys of the timeline: each sends one exact chat request, so both backends apply it."""

QUEUE_KEYS: tuple[KeySpec, ...] = (
    KeySpec("reelterm.renders.down", "j,down", "select(1)", "Next", "Select the next render",
            show=False),
    KeySpec("reelterm.renders.up", "k,up", "select(-1)", "Previous",
            "Select the previous render", show=False),
    KeySpec("reelterm.renders.copy", "y", "copy_path", "Copy path",
            "Copy the finished file's path"),
    KeySpec("reelterm.renders.cancel", "x", "cancel", "Cancel", "Cancel the selected render"),
    KeySpec("reelterm.renders.preview", "p", "preview", "Preview",
            "Show a frame of the finished file"),
    KeySpec("reelterm.renders.open", "o", "open", "Open",
            "Play the finished file with the system's player (no display: copy its path)"),
    KeySpec("reelterm.renders.subtitles", "s", "subtitles", "Subtitles",
            "Export the captions as an SRT file (beside the selected video)"),
)
"""Keys of the render queue."""

PICKER_KEYS: tuple[KeySpec, ...] = (
    KeySpec("reelterm.picker.mark", "space", "mark", "Mark", "Mark or unmark the file"),
    KeySpec("reelterm.picker.upload", "u", "upload", "Upload", "Upload the marked files"),
    KeySpec("reelterm.picker.down", "j", "cursor_down", "Down", "Next entry", show=False),
    KeySpec("reelterm.picker.up", "k", "cursor_up", "Up", "Previous entry", show=False),
    KeySpec("reelterm.picker.parent", "backspace", "parent", "Up a folder",
            "Show the folder above this one"),
    KeySpec("reelterm.picker.cancel", "escape", "cancel", "Close", "Close without uploading"),
)
"""Keys of the file picker."""

TEXT_EDITOR_KEYS: tuple[KeySpec, ...] = (
    KeySpec("reelterm.text_editor.save", "enter", "save", "Save", "Send the new words to the agent"),
    KeySpec("reelterm.text_editor.newline", "ctrl+j", "newline", "New line", "Insert a line break"),
    KeySpec("reelterm.text_editor.cancel", "escape", "cancel", "Cancel", "Close without changing"),
)
"""Keys of the inline editor of a text segment's words (`e` on the timeline)."""

SESSIONS_KEYS: tuple[KeySpec, ...] = (
    KeySpec("reelterm.sessions.open", "enter", "open", "Open", "Switch to the selected session"),
    KeySpec("reelterm.sessions.close", "escape", "close", "Close", "Close without switching"),
    KeySpec("reelterm.sessions.down", "j", "cursor(1)", "Down", "Select the next session",
            show=False),
    KeySpec("reelterm.sessions.up", "k", "cursor(-1)", "Up", "Select the previous session",
            show=False),
)
"""Keys of the sessions screen (the arrows move the selection too)."""

HELP_KEYS: tuple[KeySpec, ...] = (
    KeySpec("reelterm.help.close", "escape,f1,q", "dismiss", "Close", "Close the help"),
    KeySpec("reelterm.help.down", "j,down", "scroll(1)", "Down", "Scroll the list down",
            show=False),
    KeySpec("reelterm.help.up", "k,up", "scroll(-1)", "Up", "Scroll the list up", show=False),
)
"""Keys of the help screen (F1)."""

PREVIEW_KEYS: tuple[KeySpec, ...] = (
    KeySpec("reelterm.preview.close", "escape,q,p", "dismiss", "Close", "Close the preview"),
)
"""Keys of the full-screen frame preview."""

GROUPS: tuple[tuple[str, tuple[KeySpec, ...]], ...] = (
    ("Anywhere", APP_KEYS),
    ("Message box", PROMPT_KEYS),
    ("Chat log", CHAT_LOG_KEYS),
    ("Timeline", TIMELINE_KEYS),
    ("Timeline playhead", PLAYHEAD_KEYS),
    ("Timeline editing", EDIT_KEYS),
    ("Text segment editor", TEXT_EDITOR_KEYS),
    ("Render queue", QUEUE_KEYS),
    ("File picker", PICKER_KEYS),
    ("Sessions", SESSIONS_KEYS),
    ("Help", HELP_KEYS),
    ("Frame preview", PREVIEW_KEYS),
)
"""Every group of keys, in the order the help screen lists them."""


def bindings(specs: tuple[KeySpec, ...]) -> list[BindingType]:
    """Textual bindings for a group of specs."""
    return [spec.binding() for spec in specs]


def all_ids() -> set[str]:
    """Every binding id."""
    return {spec.id for _, specs in GROUPS for spec in specs}


def effective_key(spec: KeySpec, keymap: Mapping[str, str]) -> str:
    """The keys a spec is bound to after the user's remaps."""
    return keymap.get(spec.id, spec.key)


def check_keymap(keymap: Mapping[str, str]) -> list[str]:
    """Sentences about remaps that name no known binding."""
    known = all_ids()
    return [f"config.toml remaps an unknown key id {key!r}." for key in keymap if key not in known]
