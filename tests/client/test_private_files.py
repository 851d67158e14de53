"""`write_private`: the one way reelterm writes credentials, the journal and prompt history."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from reelterm.config.files import write_private


def test_new_file_and_folder_are_private(tmp_path: Path) -> None:
    target = tmp_path / "fresh" / "credentials.json"
    write_private(target, b'{"token": "x"}')
    assert target.read_bytes() == b'{"token": "x"}'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


def test_an_open_file_is_narrowed_to_0600_and_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "journal.json"
    target.write_text("old")
    target.chmod(0o644)
    write_private(target, b"new")
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["journal.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "history.json"
    target.write_text("old")

    with pytest.raises(TypeError):
        write_private(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["history.json"]


def test_a_symlinked_file_is_updated_where_it_lives(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "config.toml"
    real.parent.mkdir()
    real.write_text('theme = "nord"\n')
    link = tmp_path / "config" / "config.toml"
    link.parent.mkdir()
    link.symlink_to(real)
    write_private(link, b'theme = "gruvbox"\n')
    assert link.is_symlink() and real.read_text() == 'theme = "gruvbox"\n'
