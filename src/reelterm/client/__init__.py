"""The async HTTP client for the NemoVideo protocol.

`NemoClient` covers every route; every failure is a `ReelError` subclass carrying a sentence for
the user and an action to suggest, never a raw body and never the token. Retry policy (stamina,
one retry at most): 1001/401 -> fetch a new anonymous token; HTTP 400 blaming the client id ->
new client id; 429 -> wait `rate_limit_wait_s`. `/run_sse` is never re-posted once a stream has
started; before that, only a 1001 (refused at the door, nothing ran) refreshes the token and
posts once more.
"""

from reelterm.client._client import NemoClient
from reelterm.client._errors import (
    BackendError,
    BadResponse,
    ConnectionFailed,
    ExportBlocked,
    FileTooLarge,
    OutOfCredits,
    RateLimited,
    ReelError,
    RouteMissing,
    SessionNotFound,
    StreamBroken,
    TokenInvalid,
    TurnTimedOut,
    UnsupportedFile,
)
from reelterm.client._uploads import check_upload

__all__ = [
    "BackendError", "BadResponse", "ConnectionFailed", "ExportBlocked", "FileTooLarge",
    "NemoClient", "OutOfCredits", "RateLimited", "ReelError", "RouteMissing", "SessionNotFound",
    "StreamBroken", "TokenInvalid", "TurnTimedOut", "UnsupportedFile", "check_upload",
]
