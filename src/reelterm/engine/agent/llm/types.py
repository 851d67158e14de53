"""The LLM planner's data: tool specs, tool calls, settings, and the plan it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_TIMEOUT_S = 10.0
"""The whole time one model request may take (connect, generate, read)."""
DEFAULT_KEY_ENV = "REELTERM_LLM_API_KEY"
"""The environment variable the API key is read from unless settings name another."""


@dataclass(frozen=True)
class ToolSpec:
    """One tool the model may call: its name, what it does, and a JSON schema of its arguments."""

    name: str
    description: str
    parameters: dict[str, Any]

    def openai(self) -> dict[str, Any]:
        """The tool as an OpenAI chat-completions `tools` entry."""
        return {"type": "function", "function": {"name": self.name, "description": self.description,
                                                 "parameters": self.parameters}}


@dataclass(frozen=True)
class ToolCall:
    """A tool call the model asked for, with arguments already checked against the tool's schema."""

    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class LlmSettings:
    """Where the model is and how long to wait for it; the API key itself is never stored here."""

    url: str
    """The endpoint's base URL (`http://127.0.0.1:11434`, `…/v1`, or a full `…/chat/completions`)."""
    model: str = ""
    """The model name; empty: the first model the server lists under `/models`."""
    api_key_env: str = DEFAULT_KEY_ENV
    """Name of the environment variable holding the API key (sent as `Authorization: Bearer`)."""
    timeout_s: float = DEFAULT_TIMEOUT_S
    """The whole time one request may take."""
    stream: bool = True
    """Ask for a streamed (SSE) answer; a plain JSON answer is read as well."""

    def __repr__(self) -> str:  # never shows more than the names
        return f"LlmSettings(url={self.url!r}, model={self.model!r}, api_key_env={self.api_key_env!r})"


@dataclass(frozen=True)
class Calls:
    """The model's validated tool calls, in order, and any text it said alongside."""

    calls: list[ToolCall]
    text: str = ""


@dataclass(frozen=True)
class Fallback:
    """The model could not be used for this message: use the rule parser and show `notice`."""

    notice: str
    """One sentence in English for the reply (no key, no traceback)."""
    reason: str
    """`connect`, `timeout`, `http`, `redirect`, `bad_response`, `refused`, `no_calls`, `bad_call`, `too_long`."""
    notice_zh: str = ""
    """The same sentence in Chinese."""
    detail: dict[str, Any] = field(default_factory=dict)
    """Machine-readable particulars (HTTP status, the rejected tool's name) for logs and tests."""


LlmPlan = Calls | Fallback
"""What `plan_with_llm` returns: never an exception."""
