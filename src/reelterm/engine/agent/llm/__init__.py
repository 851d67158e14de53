"""An optional LLM planner for the local agent: any OpenAI-compatible chat-completions endpoint
with tool calling (Ollama, llama.cpp's server, vLLM, LM Studio, hosted). The rule parser stays the
default and the fallback: `plan_with_llm` never raises."""

from reelterm.engine.agent.llm.plan import plan_with_llm
from reelterm.engine.agent.llm.types import (
    DEFAULT_KEY_ENV,
    DEFAULT_TIMEOUT_S,
    Calls,
    Fallback,
    LlmPlan,
    LlmSettings,
    ToolCall,
    ToolSpec,
)

__all__ = ["DEFAULT_KEY_ENV", "DEFAULT_TIMEOUT_S", "Calls", "Fallback", "LlmPlan", "LlmSettings",
           "ToolCall", "ToolSpec", "plan_with_llm"]
