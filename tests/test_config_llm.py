"""The `llm` settings: where the endpoint comes from, and an API key never read from config.toml."""

from __future__ import annotations

import pytest

from reelterm.cli.backend import BadLlmChoice, llm_settings
from reelterm.config import Settings, app_paths, load_settings, resolve_llm


def test_the_flag_beats_the_environment_beats_config(monkeypatch):
    settings = Settings(llm="http://config:1")
    assert resolve_llm(None, settings) == "http://config:1"
    monkeypatch.setenv("REELTERM_LLM", "http://env:2")
    assert resolve_llm(None, settings) == "http://env:2"
    assert resolve_llm("http://flag:3", settings) == "http://flag:3"
    assert resolve_llm("off", settings) is None
    monkeypatch.setenv("REELTERM_LLM", "none")
    assert resolve_llm(None, settings) is None
    assert resolve_llm(None, Settings()) is None


def test_llm_settings_take_model_key_name_and_timeout_from_config():
    s = Settings(llm="http://127.0.0.1:11434", llm_model="qwen2.5", llm_api_key_env="OPENROUTER_KEY",
                 llm_timeout_s=30)
    got = llm_settings(None, s)
    assert (got.url, got.model, got.api_key_env, got.timeout_s) == ("http://127.0.0.1:11434", "qwen2.5",
                                                                     "OPENROUTER_KEY", 30)
    assert llm_settings(None, s, "llama3.1").model == "llama3.1"
    assert got.stream and not llm_settings(None, Settings(llm="http://h:1", llm_stream=False)).stream
    assert llm_settings(None, Settings()) is None


@pytest.mark.parametrize("value", ["127.0.0.1:11434", "ftp://h/v1", "file:///etc/passwd", "http://"])
def test_a_value_that_is_no_http_address_is_refused_with_a_sentence(value):
    with pytest.raises(BadLlmChoice) as info:
        llm_settings(value, Settings())
    assert "is not a model endpoint" in info.value.sentence


def test_an_api_key_in_config_is_ignored_with_a_warning(reelterm_home):
    paths = app_paths().ensure()
    paths.config_file.write_text('llm = "http://127.0.0.1:8080"\nllm_api_key = "sk-live-abc"\n')
    settings, warning = load_settings(paths)
    assert settings.llm == "http://127.0.0.1:8080" and not hasattr(settings, "llm_api_key")
    assert warning and "REELTERM_LLM_API_KEY" in warning and "sk-live-abc" not in warning


def test_a_bad_timeout_in_config_falls_back_to_defaults(reelterm_home):
    paths = app_paths().ensure()
    paths.config_file.write_text("llm_timeout_s = -1\n")
    settings, warning = load_settings(paths)
    assert settings.llm_timeout_s == 10 and warning


def test_llm_with_a_remote_backend_is_named_as_ignored():
    from reelterm.cli.backend import llm_ignored

    assert llm_ignored("nemo", "http://127.0.0.1:11434") and "local engine only" in llm_ignored(
        "http://h:1", "http://127.0.0.1:11434")
    assert llm_ignored(None, "http://127.0.0.1:11434") is None
    assert llm_ignored("nemo", None) is None and llm_ignored("nemo", "off") is None
