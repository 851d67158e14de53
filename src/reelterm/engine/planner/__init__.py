"""Pure, deterministic planning: numbers, moods, formats, palettes, text -> storyboard -> draft."""

from reelterm.engine.planner.formats import parse_export, parse_format
from reelterm.engine.planner.moods import MOODS, choose_music, mood_from_text
from reelterm.engine.planner.numbers import (
    TimeSpan,
    normalize,
    parse_duration_ms,
    parse_percent,
    parse_time_span,
)
from reelterm.engine.planner.scene_media import Visual
from reelterm.engine.planner.storyboard import (
    Plan,
    Scene,
    Storyboard,
    make_storyboard,
    plan_video,
    storyboard_to_draft,
)

__all__ = [
    "MOODS",
    "Plan",
    "Scene",
    "Storyboard",
    "Visual",
    "TimeSpan",
    "choose_music",
    "make_storyboard",
    "mood_from_text",
    "normalize",
    "parse_duration_ms",
    "parse_export",
    "parse_format",
    "parse_percent",
    "parse_time_span",
    "plan_video",
    "storyboard_to_draft",
]
