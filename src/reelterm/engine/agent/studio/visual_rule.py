"""The visual edits (`visual_edits`, issue 11) as a rule of the table: a picture in scene N, no icons,
calmer transitions, a background colour, the user's photos. Declines what `visual_edits` does not know."""

from __future__ import annotations

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio import visual_edits
from reelterm.engine.agent.studio.intents import RuleMatch
from reelterm.engine.agent.studio.tools import Outcome


def recognised(low: str, has_draft: bool) -> bool:
    """True when `visual_edits` takes the words."""
    return visual_edits.recognise(low, has_draft=has_draft) is not None


def handle(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome | None:
    """Apply the visual edit the clause asks for (`EditError` with a sentence when it cannot be made)."""
    name = visual_edits.recognise(message, has_draft=ctx.draft.ready)
    if name is None:
        return None
    data, en, cn = visual_edits.apply(name, E.to_wire(ctx.draft), message, ctx.uploads)
    tool = "set_transitions" if name.endswith("_transitions") else f"visuals_{name}"
    return Outcome(tool, {"edit": name}, E.finish(data), cn if zh else en, f"Visuals: {name.replace('_', ' ')}")
