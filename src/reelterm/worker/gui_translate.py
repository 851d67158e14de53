"""The backend talks as if it had a GUI: turn "click Export", "open the panel", … into actions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

GuiActionKind = Literal["export", "state", "tracks", "credits", "upload_hint", "edit_hint"]


@dataclass(frozen=True)
class GuiAction:
    """One thing the worker does for a GUI instruction in the reply; `phrase` is what matched."""

    kind: GuiActionKind
    phrase: str

    @property
    def notice(self) -> str:
        """The line that tells the user what reelterm did instead of the GUI step."""
        return _NOTICES[self.kind]


_NOTICES: dict[GuiActionKind, str] = {
    "export": "The agent asked to use Export: reelterm is exporting the video now.",
    "state": "The agent asked to open a panel: reelterm fetched the session state instead.",
    "tracks": "The agent asked to preview the timeline: here are the tracks.",
    "credits": "The agent pointed at your credits: reelterm fetched the balance.",
    "upload_hint": "There is no upload button here: type `upload PATH` (or pass --file) to add media.",
    "edit_hint": "There is no drag and drop here: describe the edit in a message "
                 "(for example \"move the title to 0:05\") and reelterm sends it to the agent.",
}

_CLICK = r"(?:click(?:ing)?|press(?:ing)?|hit(?:ting)?|tap(?:ping)?)\s+(?:on\s+)?(?:the\s+)?"
_BUTTON = r"(?:\s+(?:button|tab|icon|menu|option))?"

_RULES: list[tuple[GuiActionKind, re.Pattern[str]]] = [
    ("export", re.compile(
        rf"{_CLICK}[\"'“「【\[]?\s*(?:export|download|render)\b[\"'”」】\]]?{_BUTTON}"
        r"|\b(?:export|download)\s+button\b|点击\s*[“「【\[\"']?\s*(?:导出|下载)|(?:导出|下载)\s*按钮",
        re.IGNORECASE)),
    ("tracks", re.compile(
        r"\bpreview\s+(?:it\s+|this\s+|them\s+)?(?:in|on)\s+the\s+timeline\b|\bpreview\s+(?:in|on)\s+timeline\b"
        r"|\bcheck\s+(?:it\s+)?(?:in|on)\s+the\s+timeline\b|在时间线(?:上|中)?(?:预览|查看)|预览时间线",
        re.IGNORECASE)),
    ("state", re.compile(
        r"\bopen(?:ing)?\s+(?:up\s+)?(?:the\s+|your\s+)?(?:[\w-]+\s+){0,2}"
        r"(?:panel|tab|editor|timeline|project|sidebar|library|window|media\s+library|draft)\b"
        r"|打开", re.IGNORECASE)),
    ("credits", re.compile(
        rf"{_CLICK}[\"'“]?\s*(?:credits?|balance|top\s*up)\b[\"'”]?{_BUTTON}|点击\s*(?:积分|余额|充值)",
        re.IGNORECASE)),
    ("upload_hint", re.compile(
        rf"{_CLICK}[\"'“]?\s*(?:upload|add\s+media|import)\b[\"'”]?{_BUTTON}|点击\s*(?:上传|导入)",
        re.IGNORECASE)),
    ("edit_hint", re.compile(r"\bdrag(?:ging)?\b|\bdrag\s*(?:and|&|/)\s*drop\b|拖拽|拖动", re.IGNORECASE)),
]


def translate(text: str) -> list[GuiAction]:
    """The actions a reply's GUI language asks for, each kind once, in a fixed order."""
    actions: list[GuiAction] = []
    for kind, pattern in _RULES:
        match = pattern.search(text or "")
        if match:
            actions.append(GuiAction(kind, match.group(0).strip()))
    kinds = {a.kind for a in actions}
    if "tracks" in kinds:
        # Showing the tracks already fetches the state.
        actions = [a for a in actions if a.kind != "state"]
    return actions
