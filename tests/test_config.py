"""Settings and paths: where things live, what the user can set, which backend is used."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelterm.config import (
    HOSTED_API,
    Settings,
    app_paths,
    load_settings,
    resolve_api,
    save_setting,
)


def test_reelterm_home_puts_every_directory_under_one_root(reelterm_home: Path) -> None:
    paths = app_paths()
    for path in (paths.config_dir, paths.data_dir, paths.cache_dir, paths.state_dir, paths.export_dir):
        assert reelterm_home in path.parents
    paths.ensure()
    assert paths.config_dir.is_dir() and (paths.config_dir.stat().st_mode & 0o777) == 0o700


def test_settings_are_read_from_config_toml() -> None:
    paths = app_paths().ensure()
    paths.config_file.write_text('api = "nemo"\ntheme = "textual-ansi"\n[keys]\n"reelterm.upload" = "ctrl+o"\n')
    settings, problem = load_settings(paths)
    assert problem is None
    assert settings.theme == "textual-ansi" and settings.keys == {"reelterm.upload": "ctrl+o"}
    assert resolve_api(None, settings) == HOSTED_API


def test_a_broken_config_gives_defaults_and_a_sentence() -> None:
    paths = app_paths().ensure()
    paths.config_file.write_text("api = [unclosed\n")
    settings, problem = load_settings(paths)
    assert settings == Settings()
    assert problem is not None and "config.toml" in problem and "using defaults" in problem


def test_api_flag_beats_environment_beats_config(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(api="http://from-config:1")
    assert resolve_api(None, settings) == "http://from-config:1"
    monkeypatch.setenv("REELTERM_API", "http://from-env:2/")
    assert resolve_api(None, settings) == "http://from-env:2"
    assert resolve_api("local", settings) == "local"
    assert resolve_api("NEMO", settings) == HOSTED_API
    monkeypatch.delenv("REELTERM_API")
    assert resolve_api(None, None) == "local"


def test_every_setting_is_documented() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, f"{name} has no docstring"


def test_save_setting_changes_one_line_and_keeps_the_rest() -> None:
    paths = app_paths().ensure()
    original = '# my settings\napi = "nemo"  # hosted\ntheme = "nord"\n\n[keys]\n"reelterm.upload" = "ctrl+o"\n'
    paths.config_file.write_text(original)
    assert save_setting("theme", "gruvbox", paths) is None
    text = paths.config_file.read_text()
    assert text == original.replace('theme = "nord"', 'theme = "gruvbox"')
    settings, problem = load_settings(paths)
    assert problem is None and settings.theme == "gruvbox" and settings.keys == {"reelterm.upload": "ctrl+o"}
    assert (paths.config_file.stat().st_mode & 0o777) == 0o600


def test_save_setting_adds_the_line_above_the_first_table_or_creates_the_file() -> None:
    paths = app_paths().ensure()
    assert not paths.config_file.exists()
    assert save_setting("theme", "nord", paths) is None
    assert load_settings(paths)[0].theme == "nord"
    paths.config_file.write_text('api = "local"\n[keys]\ntheme = "not the top-level one"\n')
    assert save_setting("theme", "dracula", paths) is None
    settings, _ = load_settings(paths)
    assert settings.theme == "dracula" and settings.api == "local"
    assert paths.config_file.read_text().splitlines()[1] == 'theme = "dracula"'


def test_save_setting_never_breaks_a_file_it_cannot_edit_safely() -> None:
    paths = app_paths().ensure()
    tricky = 'theme = """nord\n"""\n'  # a multi-line string: one line cannot be swapped safely
    paths.config_file.write_text(tricky)
    problem = save_setting("theme", "gruvbox", paths)
    assert problem is not None and 'theme = "gruvbox"' in problem
    assert paths.config_file.read_text() == tricky
