"""The `--llm` and `--llm-model` options, shared by the app, the headless commands and `serve`."""

from __future__ import annotations

import argparse
from typing import Any


def add_llm_options(parser: argparse.ArgumentParser, default: Any) -> None:
    """Add `--llm URL` and `--llm-model NAME` (sub-commands pass `argparse.SUPPRESS` as `default`)."""
    parser.add_argument("--llm", metavar="URL|off", default=default,
                        help="plan the local agent's edits with an OpenAI-compatible model (Ollama, llama.cpp, "
                        "vLLM, LM Studio, hosted) at this base URL; also REELTERM_LLM and 'llm' in config")
    parser.add_argument("--llm-model", metavar="NAME", default=default,
                        help="the model name for --llm (default: 'llm_model' in config, else the server's first)")
