"""Typed errors of the client: each carries a sentence for the user and an action, never a token."""

from __future__ import annotations

from reelterm.protocol import ErrorCode


class ReelError(Exception):
    """Base of every client error: `.sentence` to show, `.action` to suggest, `.code`, `.status`."""

    default_sentence = "Something went wrong talking to the backend."
    default_action = "Try again in a moment."

    def __init__(
        self,
        sentence: str | None = None,
        action: str | None = None,
        *,
        code: ErrorCode | int | None = None,
        status: int | None = None,
        detail: str = "",
    ) -> None:
        known = ErrorCode.from_value(code) if code is not None else None
        self.code: ErrorCode | int | None = known if known is not None else code
        self.sentence: str = sentence or (known.sentence if known else self.default_sentence)
        self.action: str = action if action is not None else (known.action if known else self.default_action)
        self.status: int | None = status
        self.detail: str = detail[:300]
        # Set by the client to ask its retry policy for one more attempt after this many seconds.
        self._retry_after: float | None = None
        super().__init__(self.sentence)

    def __str__(self) -> str:
        return self.sentence

    def hide(self, secret: str) -> None:
        """Replace `secret` (the token) wherever the backend's words put it: sentence, action, detail."""
        self.sentence, self.action, self.detail = (
            text.replace(secret, "<hidden>") for text in (self.sentence, self.action, self.detail))
        self.args = (self.sentence,)

    def __repr__(self) -> str:
        code = int(self.code) if self.code is not None else None
        return f"{type(self).__name__}(sentence={self.sentence!r}, code={code!r}, status={self.status!r})"


class ConnectionFailed(ReelError):
    """The backend could not be reached (refused, DNS, timeout) or the connection dropped."""

    default_sentence = "reelterm could not reach the backend."
    default_action = "Check that the backend is running and that the address is right."


class BackendError(ReelError):
    """The backend answered with an error reelterm has no better name for; `.status` is the HTTP status."""

    default_sentence = "The backend reported an error."


class BadResponse(BackendError):
    """The backend's answer could not be read: not JSON, an HTML error page, or an unexpected shape."""

    default_sentence = "The backend sent an answer reelterm cannot read."


class TokenInvalid(ReelError):
    """The access token was refused (1001), even after fetching a new one once."""


class SessionNotFound(ReelError):
    """The backend no longer knows the session (1002)."""


class OutOfCredits(ReelError):
    """Out of credits (2001); `.bind_url` is the registration link for an anonymous user."""

    def __init__(self, sentence: str | None = None, action: str | None = None, *,
                 code: ErrorCode | int | None = None, status: int | None = None, detail: str = "",
                 bind_url: str | None = None) -> None:
        super().__init__(sentence, action, code=code, status=status, detail=detail)
        self.bind_url: str | None = bind_url
        if bind_url:
            self.action = f"Register at {bind_url} to get more credits."
        else:
            self.action = "Top up credits in your account."


class UnsupportedFile(ReelError):
    """The file type is not accepted (4001)."""


class FileTooLarge(ReelError):
    """The file is over the 500 MB limit (4002)."""


class ExportBlocked(ReelError):
    """Export is blocked on the free plan (HTTP 402): a subscription limit, not credits."""


class RateLimited(ReelError):
    """The backend rate limited this client (HTTP 429), even after waiting and retrying once."""


class RouteMissing(ReelError):
    """The backend has no such route (HTTP 404)."""

    default_sentence = "This backend does not offer that feature."
    default_action = "Use a backend that supports it, or update reelterm."


class StreamBroken(ReelError):
    """The SSE connection dropped mid-turn; the message is never sent again automatically."""

    default_sentence = "The connection dropped while the agent was working."
    default_action = "reelterm will check the timeline rather than send the message again."


class TurnTimedOut(ReelError):
    """The turn took longer than allowed (no reply in time, or the whole-turn bound)."""

    default_sentence = "The agent took too long to answer."
    default_action = "Check the timeline, then send the request again if nothing changed."


ERRORS_BY_CODE: dict[ErrorCode, type[ReelError]] = {
    ErrorCode.TOKEN_INVALID: TokenInvalid,
    ErrorCode.SESSION_NOT_FOUND: SessionNotFound,
    ErrorCode.OUT_OF_CREDITS: OutOfCredits,
    ErrorCode.UNSUPPORTED_FILE: UnsupportedFile,
    ErrorCode.FILE_TOO_LARGE: FileTooLarge,
    ErrorCode.HTTP_BAD_REQUEST: BackendError,
    ErrorCode.HTTP_PAYMENT_REQUIRED: ExportBlocked,
    ErrorCode.HTTP_RATE_LIMITED: RateLimited,
}
"""The exception class for each protocol error code."""
