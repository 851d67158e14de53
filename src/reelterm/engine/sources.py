"""Which media references of a session's draft exist: its uploads and assets, the bundled pictures and motifs."""

from __future__ import annotations

from collections.abc import Callable

from reelterm.engine.store import Store


def known_source(store: Store, session_id: str) -> Callable[[str], bool]:
    """`known(src)` for `validate_local_draft`: files of this session, pictures of the bundled library."""
    from reelterm.media.pictures import bundled_exists

    def known(src: str) -> bool:
        bundled = bundled_exists(src)
        if bundled is not None:
            return bundled
        return store.source_path(session_id, src) is not None

    return known
