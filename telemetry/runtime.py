"""Process-wide settings and engine, built lazily once.

Kept apart from `config` so that reading configuration never opens a connection, and so tests can
point the whole package at another database with `use(settings)`.
"""

from __future__ import annotations

import threading

from telemetry.config import Settings, load_settings
from telemetry.engine import Engine, get_engine

_lock = threading.Lock()
_settings: Settings | None = None
_engine: Engine | None = None


def settings() -> Settings:
    """The validated settings of this process (ConfigError on a bad environment)."""
    global _settings
    with _lock:
        if _settings is None:
            _settings = load_settings()
        return _settings


def engine() -> Engine:
    """The shared engine (service-principal identity on a warehouse)."""
    global _engine
    current = settings()
    with _lock:
        if _engine is None:
            _engine = get_engine(current)
        return _engine


def use(new_settings: Settings | None = None, new_engine: Engine | None = None) -> None:
    """Replace the process settings/engine (tests, CLI flags). None resets to the environment."""
    global _settings, _engine
    with _lock:
        if _engine is not None and _engine is not new_engine and hasattr(_engine, "close"):
            _engine.close()
        _settings, _engine = new_settings, new_engine
