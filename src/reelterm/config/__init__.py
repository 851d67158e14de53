"""Where reelterm keeps things (platformdirs) and the user's settings (config.toml)."""

from reelterm.config.paths import AppPaths, app_paths
from reelterm.config.settings import (
           HOSTED_API,
           Settings,
           load_settings,
           resolve_api,
           resolve_llm,
           save_setting,
)

__all__ = ["HOSTED_API", "AppPaths", "Settings", "app_paths", "load_settings", "resolve_api", "resolve_llm",
           "save_setting"]
