"""The last suggestion the agent asked about ("Do you want to add fade transitions…?"), applied on "yes"."""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from reelterm.engine.agent.base import TurnContext

YES = re.compile(r"\s*(?:yes|yeah|yep|yup|ya|sure|ok|okay|k|alright|all right|please|please do|do it|go ahead|go for it|"
                 r"sounds good|why not|let'?s do it|yes please|ok do it|sure thing|好的?|好啊|好吧|是的?|是啊|可以|行|嗯|对|"
                 r"要|要的|好的呀|改吧|就这样|没问题)(?:[\s,，]*(?:please|thanks|thank you|谢谢|吧|呀|啊))?\s*[.!。！~～]*\s*",
                 re.IGNORECASE)
NO = re.compile(r"\s*(?:no|nope|nah|no thanks|no thank you|not now|don'?t|never ?mind|不|不用|不要|不了|算了|不用了|别)"
                r"(?:[\s,，]*(?:thanks|thank you|谢谢))?\s*[.!。！~～]*\s*", re.IGNORECASE)
SESSIONS = 256
"""Sessions whose last offer is kept (the least recently used are forgotten)."""


@dataclass(frozen=True)
class Offer:
    """A suggestion asked as a question: the request it stands for, the message it answered and the draft."""

    request: str
    after: str
    draft: str


def _fingerprint(ctx: TurnContext) -> str:
    return hashlib.sha256(ctx.draft.model_dump_json().encode()).hexdigest()


def asked(reply: str, suggestion: str) -> bool:
    """True when the reply asks whether to do the suggestion."""
    return bool(suggestion) and any(q in reply for q in (f"{suggestion}?", f"{suggestion}. Shall I", f"想{suggestion}吗",
                                                         f"{suggestion}。要我这样改吗"))


class Offers:
    """The open offer of each session: made by one reply, taken or dropped by the next message."""

    def __init__(self) -> None:
        self._open: OrderedDict[str, Offer] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, ctx: TurnContext, message: str, request: str) -> None:
        """Keep the offer the reply to `message` made."""
        with self._lock:
            self._open.pop(ctx.session_id, None)
            self._open[ctx.session_id] = Offer(request, message[:2000], _fingerprint(ctx))
            while len(self._open) > SESSIONS:
                self._open.popitem(last=False)

    def take(self, ctx: TurnContext) -> Offer | None:
        """The session's open offer, dropped from memory; None when there is none, when it answered another
        message than the previous one, or when the draft has changed since."""
        with self._lock:
            offer = self._open.pop(ctx.session_id, None)
        if offer is None or not ctx.history or ctx.history[-1][:2000] != offer.after:
            return None
        return offer if offer.draft == _fingerprint(ctx) else None
