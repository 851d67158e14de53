"""One chat-completions request to an OpenAI-compatible server, bounded by a total deadline.

Plain httpx (already a dependency), synchronous: the agent runs in a thread of its own. Redirects
are never followed (the API key must not reach another host), proxies and `.netrc` from the
environment are not used, and the answer may be a streamed SSE reply or one JSON object.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlsplit, urlunsplit

from reelterm.engine.agent.llm.types import LlmSettings

if TYPE_CHECKING:  # imported on first use: the engine starts without it
    import httpx

MAX_RESPONSE_BYTES = 512 * 1024
"""A longer answer is not read to the end: it counts as malformed."""
CONNECT_TIMEOUT_S = 5.0
"""The longest wait for a connection (never longer than the request's whole time)."""

T = TypeVar("T")


class LlmFailure(Exception):
    """The request did not give a usable answer; `reason` picks the notice, `detail` adds facts."""

    def __init__(self, reason: str, **detail: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass
class RawCall:
    """A tool call as the server sent it: the arguments are still text (or an object)."""

    name: str = ""
    arguments: Any = ""


@dataclass
class Answer:
    """The model's answer: its text, its tool calls, why it stopped, and any explicit refusal."""

    content: str = ""
    calls: list[RawCall] = field(default_factory=list)
    finish_reason: str | None = None
    refusal: str = ""


def endpoint(url: str) -> str:
    """The chat-completions address for a base URL.

    A bare host gets `/v1/chat/completions`; a URL with a path (`…/v1`, `…/openai/v1`,
    `…/v1beta/openai`) gets `/chat/completions`; a URL already ending in `/chat/completions` is kept.
    """
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    if not path.endswith("/chat/completions"):
        path = (path or "/v1") + "/chat/completions"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def shown(url: str) -> str:
    """The URL as a reply may show it: no user name, password, query or fragment."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host + (f":{port}" if port else "")
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", "")) or "the given address"


def _headers(settings: LlmSettings) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "Accept": "text/event-stream, application/json"}
    key = os.environ.get(settings.api_key_env, "").strip() if settings.api_key_env else ""
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return headers


_tls: list[Any] = []
"""The TLS context, made once: loading the CA bundle costs ~60 ms per client otherwise."""
_tls_lock = threading.Lock()


def _client(settings: LlmSettings) -> httpx.Client:
    import httpx

    with _tls_lock:
        if not _tls:
            _tls.append(httpx.create_ssl_context())
    total = max(0.1, settings.timeout_s)
    timeout = httpx.Timeout(total, connect=min(CONNECT_TIMEOUT_S, total))
    return httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, verify=_tls[0])


def _check_status(response: httpx.Response) -> None:
    if response.is_redirect or 300 <= response.status_code < 400:
        raise LlmFailure("redirect", status=response.status_code)
    if response.status_code >= 400:
        raise LlmFailure("http", status=response.status_code)


_models: dict[str, str] = {}
"""The model each server listed first, by chat URL (asked once per process)."""


def _model(client: httpx.Client, settings: LlmSettings, cancel: threading.Event) -> str:
    if settings.model:
        return settings.model
    url = endpoint(settings.url)
    import httpx

    if url not in _models:
        listing = url[: -len("/chat/completions")] + "/models"
        name = "default"
        try:
            response = client.get(listing, headers=_headers(settings))
            if response.status_code == 200 and len(response.content) < MAX_RESPONSE_BYTES:
                data = response.json().get("data") or []
                if data and isinstance(data[0], dict) and isinstance(data[0].get("id"), str):
                    name = data[0]["id"][:200]
        except (httpx.TimeoutException, httpx.TransportError):
            raise
        except (ValueError, AttributeError):
            pass
        if cancel.is_set():
            raise LlmFailure("timeout")
        _models[url] = name
    return _models[url]


def chat(settings: LlmSettings, body: dict[str, Any], cancel: threading.Event) -> Answer:
    """POST the request and read the answer (streamed or not); raises `LlmFailure`."""
    import httpx

    try:
        with _client(settings) as client:
            body = {"model": _model(client, settings, cancel), **body, "stream": settings.stream}
            with client.stream("POST", endpoint(settings.url), json=body, headers=_headers(settings)) as response:
                _check_status(response)
                if "text/event-stream" in response.headers.get("content-type", ""):
                    return _read_stream(response.iter_lines(), cancel)
                return _read_json(response.iter_bytes(), cancel)
    except httpx.ConnectError as exc:
        raise LlmFailure("connect") from exc
    except httpx.TimeoutException as exc:
        raise LlmFailure("timeout") from exc
    except (httpx.TransportError, httpx.DecodingError) as exc:
        raise LlmFailure("bad_response", error=type(exc).__name__) from exc


def _read_json(chunks: Iterator[bytes], cancel: threading.Event) -> Answer:
    raw = bytearray()
    for chunk in chunks:
        raw += chunk
        if len(raw) > MAX_RESPONSE_BYTES:
            raise LlmFailure("bad_response", error="too large")
        if cancel.is_set():
            raise LlmFailure("timeout")
    if raw.lstrip().startswith(b"data:"):  # a stream sent without its content type
        return _read_stream(iter(raw.decode("utf-8", "replace").splitlines()), cancel)
    try:
        data = json.loads(raw)
        choice = data["choices"][0]
        message = choice.get("message") or {}
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError) as exc:
        raise LlmFailure("bad_response", error="not a chat completion") from exc
    if not isinstance(message, dict):
        raise LlmFailure("bad_response", error="not a chat completion")
    calls = []
    for item in message.get("tool_calls") or []:
        fn = item.get("function") if isinstance(item, dict) else None
        if not isinstance(fn, dict):
            raise LlmFailure("bad_response", error="tool call without a function")
        calls.append(RawCall(str(fn.get("name") or ""), fn.get("arguments", "")))
    return Answer(_text(message.get("content")), calls, choice.get("finish_reason"), _text(message.get("refusal")))


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # content parts
        return "".join(p.get("text", "") for p in value if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def _read_stream(lines: Iterator[str], cancel: threading.Event) -> Answer:
    answer = Answer()
    calls: dict[int, RawCall] = {}
    size = 0
    data: list[str] = []
    for line in lines:
        size += len(line) + 1
        if size > MAX_RESPONSE_BYTES:
            raise LlmFailure("bad_response", error="too large")
        if cancel.is_set():
            raise LlmFailure("timeout")
        if line.startswith("data:"):
            data.append(line[5:].strip())
            continue
        if line.strip() or not data:
            continue  # comments, `event:` lines, blank keep-alives
        frame, data = "\n".join(data), []
        if frame == "[DONE]":
            break
        _apply_chunk(answer, calls, frame)
    else:
        if data and "\n".join(data) != "[DONE]":
            _apply_chunk(answer, calls, "\n".join(data))
    answer.calls = [calls[i] for i in sorted(calls)]
    return answer


def _apply_chunk(answer: Answer, calls: dict[int, RawCall], frame: str) -> None:
    """Add one streamed chunk's deltas (text, tool-call pieces, finish reason) to the answer."""
    try:
        chunk = json.loads(frame)
    except (ValueError, RecursionError) as exc:
        raise LlmFailure("bad_response", error="bad stream frame") from exc
    if not isinstance(chunk, dict):
        raise LlmFailure("bad_response", error="bad stream frame")
    if chunk.get("error"):
        raise LlmFailure("error")
    for choice in chunk.get("choices") or []:
        if not isinstance(choice, dict):
            raise LlmFailure("bad_response", error="bad stream frame")
        delta = choice.get("delta") or choice.get("message") or {}
        if not isinstance(delta, dict):
            raise LlmFailure("bad_response", error="bad stream frame")
        answer.content += _text(delta.get("content"))
        answer.refusal += _text(delta.get("refusal"))
        for n, piece in enumerate(delta.get("tool_calls") or []):
            if not isinstance(piece, dict):
                raise LlmFailure("bad_response", error="bad tool-call delta")
            index = piece.get("index", len(calls) if piece.get("id") else n)
            call = calls.setdefault(int(index) if isinstance(index, int) else len(calls), RawCall())
            fn = piece.get("function") or {}
            name = fn.get("name") if isinstance(fn, dict) else None
            if isinstance(name, str) and name != call.name:
                call.name += name
            args = fn.get("arguments") if isinstance(fn, dict) else None
            if isinstance(args, dict):
                call.arguments = args
            elif isinstance(args, str) and isinstance(call.arguments, str):
                call.arguments += args
        if choice.get("finish_reason"):
            answer.finish_reason = str(choice["finish_reason"])


def with_deadline(work: Callable[[threading.Event], T], seconds: float) -> T:
    """Run `work(cancel)` in a thread; after `seconds` set `cancel` and raise `LlmFailure("timeout")`."""
    box: dict[str, Any] = {}
    cancel = threading.Event()

    def run() -> None:
        try:
            box["value"] = work(cancel)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=run, name="llm-request", daemon=True)
    thread.start()
    thread.join(max(0.05, seconds))
    if thread.is_alive():
        cancel.set()
        raise LlmFailure("timeout")
    if "error" in box:
        raise box["error"]
    return cast(T, box["value"])
