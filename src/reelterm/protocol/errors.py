"""The protocol's error codes, each with the sentence a user sees and the action to suggest."""

from __future__ import annotations

from enum import IntEnum


class ErrorCode(IntEnum):
    """Every error the NemoVideo protocol can answer with: envelope codes and bare HTTP statuses."""

    OK = 0
    TOKEN_INVALID = 1001
    SESSION_NOT_FOUND = 1002
    OUT_OF_CREDITS = 2001
    UNSUPPORTED_FILE = 4001
    FILE_TOO_LARGE = 4002
    HTTP_BAD_REQUEST = 400
    HTTP_PAYMENT_REQUIRED = 402
    HTTP_RATE_LIMITED = 429

    @property
    def sentence(self) -> str:
        """What the user is told."""
        return _SENTENCES[self][0]

    @property
    def action(self) -> str:
        """What the user is advised to do."""
        return _SENTENCES[self][1]

    @classmethod
    def from_value(cls, value: object) -> ErrorCode | None:
        """The code for `value`, or None when the protocol does not know it."""
        try:
            return cls(int(value))  # type: ignore[call-overload]  # any wire value; int() raising is the check
        except (TypeError, ValueError):
            return None


SUPPORTED_MEDIA = ("mp4", "mov", "avi", "webm", "mkv", "jpg", "png", "gif", "webp", "mp3", "wav", "m4a", "aac")
"""File types the protocol accepts as media uploads."""
SUPPORTED_TEXT = ("txt", "docx", "pdf")
"""Text sources the protocol accepts for text-to-video."""
SUPPORTED_SUBTITLES = ("srt", "vtt")
"""Subtitle files the local engine accepts (they become a caption track)."""
SUPPORTED_UPLOADS = SUPPORTED_MEDIA + SUPPORTED_TEXT + ("jpeg",)
"""Every extension an upload may have."""
LOCAL_EXTRA_MEDIA = (
    "mpg", "mpeg", "vob", "m2v", "ts", "mts", "m2ts", "m4v", "3gp", "3g2", "ogv", "ogg", "oga", "opus",
    "flac", "wmv", "wma", "asf", "flv", "aif", "aiff", "amr", "ac3", "mka", "weba", "bmp", "tif", "tiff",
)
"""Common files FFmpeg decodes that the local engine takes besides the protocol's 13 (it probes them)."""
LOCAL_UPLOADS = SUPPORTED_UPLOADS + LOCAL_EXTRA_MEDIA + SUPPORTED_SUBTITLES
"""Every extension an upload to reelterm's own engine may have."""
MAX_UPLOAD_BYTES = 500 * 1024 * 1024
"""The largest upload the protocol accepts: 500 MB."""

_FORMATS = ", ".join(SUPPORTED_MEDIA) + "; text: " + ", ".join(SUPPORTED_TEXT)

_SENTENCES: dict[ErrorCode, tuple[str, str]] = {
    ErrorCode.OK: ("Done.", ""),
    ErrorCode.TOKEN_INVALID: (
        "Your access token has expired or is not valid.",
        "reelterm fetches a new one by itself; if this repeats, check NEMO_TOKEN.",
    ),
    ErrorCode.SESSION_NOT_FOUND: (
        "The backend no longer knows this session, so its timeline is gone.",
        "A new session has been started; send your request again.",
    ),
    ErrorCode.OUT_OF_CREDITS: (
        "You are out of credits.",
        "Register to get more credits, or top up credits in your account.",
    ),
    ErrorCode.UNSUPPORTED_FILE: (
        "That file type is not supported.",
        f"Use one of: {_FORMATS}.",
    ),
    ErrorCode.FILE_TOO_LARGE: (
        "That file is larger than the 500 MB limit.",
        "Compress it or trim it, then upload it again.",
    ),
    ErrorCode.HTTP_BAD_REQUEST: (
        "The backend rejected the request (missing client id).",
        "reelterm generates a client id and retries by itself.",
    ),
    ErrorCode.HTTP_PAYMENT_REQUIRED: (
        "Export is blocked on the free plan. This is a subscription limit, not credits.",
        "Register or upgrade your plan to unlock export.",
    ),
    ErrorCode.HTTP_RATE_LIMITED: (
        "The backend is rate limiting this client.",
        "Wait 30 seconds and try again.",
    ),
}
