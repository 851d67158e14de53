"""Pydantic models of the NemoVideo wire: envelopes, error codes, ADK events, draft, render status."""

from reelterm.protocol.adk import (
    AdkEvent,
    BadFrame,
    Content,
    Frame,
    FunctionCall,
    FunctionResponse,
    Heartbeat,
    Part,
    RunError,
    RunSseRequest,
    StateChanged,
    TextDelta,
    TextFinal,
    ToolCalled,
    ToolReturned,
    TurnItem,
    parse_frame,
    turn_items,
)
from reelterm.protocol.draft import (
    Draft,
    DraftError,
    DraftMeta,
    Segment,
    SegmentMeta,
    Track,
    TrackType,
    draft_json_schema,
    source_kind,
    validate_local_draft,
)
from reelterm.protocol.envelope import error_envelope, ok_envelope, unwrap
from reelterm.protocol.errors import (
    LOCAL_UPLOADS,
    MAX_UPLOAD_BYTES,
    SUPPORTED_MEDIA,
    SUPPORTED_SUBTITLES,
    SUPPORTED_TEXT,
    SUPPORTED_UPLOADS,
    ErrorCode,
)
from reelterm.protocol.formats import (
    AUDIO_EXPORTS,
    EXPORT_FORMATS,
    EXPORT_QUALITIES,
    STILL_EXPORTS,
    SUBTITLE_EXPORTS,
    export_kind,
)
from reelterm.protocol.routes import (
    APP_NAME,
    AnonymousToken,
    ChatMessage,
    Credits,
    RenderOutput,
    RenderRequest,
    RenderStatus,
    SessionInfo,
    SessionRequest,
    SessionState,
    SessionSummary,
    StateResponse,
    UploadedFile,
    UploadResult,
    UrlUploadRequest,
)

__all__ = [
    "AUDIO_EXPORTS", "EXPORT_FORMATS", "EXPORT_QUALITIES", "STILL_EXPORTS", "SUBTITLE_EXPORTS", "export_kind",
    "APP_NAME", "LOCAL_UPLOADS", "MAX_UPLOAD_BYTES", "SUPPORTED_MEDIA", "SUPPORTED_SUBTITLES", "SUPPORTED_TEXT",
    "SUPPORTED_UPLOADS",
    "AdkEvent", "AnonymousToken", "BadFrame", "ChatMessage", "Content", "Credits", "Draft", "DraftError",
    "DraftMeta", "ErrorCode", "Frame", "FunctionCall", "FunctionResponse", "Heartbeat", "Part",
    "RenderOutput", "RenderRequest", "RenderStatus", "RunError", "RunSseRequest", "Segment",
    "SegmentMeta", "SessionInfo", "SessionRequest", "SessionState", "SessionSummary", "StateChanged",
    "StateResponse", "TextDelta", "TextFinal", "ToolCalled", "ToolReturned", "Track", "TrackType",
    "TurnItem", "UploadResult", "UploadedFile", "UrlUploadRequest", "draft_json_schema",
    "error_envelope", "ok_envelope", "parse_frame", "source_kind", "turn_items", "unwrap",
    "validate_local_draft",
]
