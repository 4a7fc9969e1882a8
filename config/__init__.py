"""Settings for Minsheng, read from the environment with safe embedded defaults."""

from config.settings import Settings, load_settings

__all__ = ["Settings", "load_settings"]
