"""Chat-completions answers as OpenAI-compatible servers send them (shapes recorded from Ollama's
`/v1` API and llama.cpp's server), for the scripted model server in the LLM tests."""

from __future__ import annotations

import json
from typing import Any

from support.scripted_server import json_reply, sse_reply

KEY = "sk-test-SECRETKEY-0123456789"
"""The API key the tests put in the environment: it may only ever travel in a header."""


def completion(*calls: tuple[str, Any], content: str | None = "", model: str = "qwen2.5:7b-instruct",
               finish: str | None = None) -> dict[str, Any]:
    """A non-streamed answer (Ollama style): `calls` are (name, arguments) with arguments as
    a dict (sent JSON-encoded) or a raw string (sent as is, e.g. broken JSON)."""
    tool_calls = [{"id": f"call_{i:04x}", "index": i, "type": "function",
                   "function": {"name": name, "arguments": args if isinstance(args, str) else json.dumps(args)}}
                  for i, (name, args) in enumerate(calls)]
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    return {"id": "chatcmpl-381", "object": "chat.completion", "created": 1764932400, "model": model,
            "system_fingerprint": "fp_ollama",
            "choices": [{"index": 0, "message": message,
                         "finish_reason": finish or ("tool_calls" if tool_calls else "stop")}],
            "usage": {"prompt_tokens": 812, "completion_tokens": 24, "total_tokens": 836}}


def answer(*calls: tuple[str, Any], **kw: Any):
    """A scripted reply with `completion(...)`."""
    return json_reply(completion(*calls, **kw))


def _chunk(delta: dict[str, Any], finish: str | None = None) -> str:
    body = {"choices": [{"finish_reason": finish, "index": 0, "delta": delta}], "created": 1764932400,
            "id": "chatcmpl-Q2kxY", "model": "gpt-3.5-turbo", "system_fingerprint": "b5200-0c1c9a8",
            "object": "chat.completion.chunk"}
    return f"data: {json.dumps(body)}\n\n"


def stream_chunks(name: str, args: dict[str, Any], pieces: int = 3) -> list[str]:
    """A streamed tool call as llama.cpp's server sends it: the name first, the arguments in pieces."""
    text = json.dumps(args)
    step = max(1, len(text) // pieces)
    parts = [_chunk({"role": "assistant", "content": None})]
    parts.append(_chunk({"tool_calls": [{"index": 0, "id": "call_7f3", "type": "function",
                                         "function": {"name": name, "arguments": ""}}]}))
    for i in range(0, len(text), step):
        parts.append(_chunk({"tool_calls": [{"index": 0, "function": {"arguments": text[i:i + step]}}]}))
    parts.append(_chunk({}, "tool_calls"))
    parts.append("data: [DONE]\n\n")
    return parts


def streamed(name: str, args: dict[str, Any], delay: float = 0.0):
    """A scripted SSE reply carrying one streamed tool call."""
    return sse_reply(stream_chunks(name, args), delay=delay)
