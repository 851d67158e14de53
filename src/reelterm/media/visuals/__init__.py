"""The bundled visual library: pictures with English and Chinese keywords, drawn at any size.

`library().get("icon:fluent/hot-beverage")` finds a picture; `picture_png(ref, 512)` draws it as
an RGBA PNG in the cache; `user_image_png(path)` makes a bounded, safe PNG of an uploaded photo.
"""

from __future__ import annotations

from reelterm.media.visuals._library import (
           REF,
           SUBJECT_SETS,
           Library,
           Picture,
           library,
           not_nouns,
           word_kinds,
)
from reelterm.media.visuals._raster import (
           MAX_SIZE,
           MIN_SIZE,
           picture_png,
           pictures_png,
           user_image_png,
)

__all__ = ["MAX_SIZE", "MIN_SIZE", "REF", "SUBJECT_SETS", "Library", "Picture", "library",
           "not_nouns", "picture_png", "pictures_png", "user_image_png", "word_kinds"]
