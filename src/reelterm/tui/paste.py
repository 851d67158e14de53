"""Pasted text without terminal escape sequences, in the order it was pasted.

Textual's `XTermParser` reads an ESC inside a bracketed paste as the start of a key sequence: the
rest of the paste came out first as keys (the ESC shown as `^`), then the text before the ESC as
the paste, so `one two<ESC>[31mRED<ESC>[0m three four` became `^[31mRED^[0m three fourone two`.
`PasteSafeParser` removes escape sequences from the paste before Textual parses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from textual._xterm_parser import XTermParser
from textual.message import Message

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, links
    r"|\x1b[PX^_][^\x1b]*\x1b\\"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]?"  # other escapes, or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_UNFINISHED = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|[PX^_][^\x1b]*)?\Z")


def clean_text(text: str, *, single_line: bool = False) -> str:
    """`text` without escape sequences or control characters; tabs become spaces.

    Line breaks are kept (as `\\n`), or become spaces when `single_line`.
    """
    text = _ESCAPES.sub("", text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROLS.sub("", text)
    return text.replace("\n", " ") if single_line else text


class PasteSafeParser(XTermParser):
    """Textual's terminal parser, fed bracketed pastes without their escape sequences."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_paste = False
        self._held = ""
        self._recent = ""

    def feed(self, data: str) -> Iterable[Message]:
        """Parse `data` (\"\" at the end of input), with pastes cleaned first."""
        if not data:
            return super().feed(self._take_held() + data)
        cleaned = self._clean_pastes(self._take_held() + data)
        return super().feed(cleaned) if cleaned else ()

    def _take_held(self) -> str:
        held, self._held = self._held, ""
        return held

    def _clean_pastes(self, data: str) -> str:
        out: list[str] = []
        while data:
            if not self._in_paste:
                seen = self._recent + data  # the start may have come in pieces: all went through
                start = seen.find(PASTE_START)
                if start < 0:
                    self._recent = seen[-(len(PASTE_START) - 1):]
                    out.append(data)
                    break
                through = start + len(PASTE_START) - len(self._recent)
                out.append(data[:through])
                data, self._in_paste, self._recent = data[through:], True, ""
                continue
            end = data.find(PASTE_END)
            if end < 0:  # the paste goes on in the next read: hold back a sequence cut in two
                tail = _UNFINISHED.search(data)
                if tail is not None:
                    self._held, data = data[tail.start():], data[:tail.start()]
                out.append(_ESCAPES.sub("", data))
                break
            out.append(_ESCAPES.sub("", data[:end]) + PASTE_END)
            data, self._in_paste = data[end + len(PASTE_END):], False
        return "".join(out)


def install() -> None:
    """Make Textual's Linux drivers read input with `PasteSafeParser` (idempotent)."""
    from textual.drivers import linux_driver, linux_inline_driver

    for module in (linux_driver, linux_inline_driver):
        setattr(module, "XTermParser", PasteSafeParser)  # noqa: B010 - the module's own name for it
