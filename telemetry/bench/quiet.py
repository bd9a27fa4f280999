"""Keep the benchmark's output to its tables: drop Streamlit's bare-mode chatter, nothing else.

The benchmark renders pages with AppTest and clears Streamlit's cache from its own thread; both
happen outside `streamlit run`, so Streamlit warns about it on every query thread and every cache
call ("missing ScriptRunContext", "No runtime found", ...) — hundreds of lines between two tables,
none of which a reader can act on. They are dropped by message on the loggers that emit them, not
by level: any other warning from those loggers, and every warning of ours (a failed query, a
missing table), still reaches the terminal.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

# Logger name → the start of each message of it that only says "this is not `streamlit run`".
NOISE: dict[str, tuple[str, ...]] = {
    "streamlit.runtime.scriptrunner_utils.script_run_context": ("Thread '%s': missing ScriptRunContext",),
    "streamlit.runtime.caching.cache_data_api": ("No runtime found",),
    "streamlit.runtime.caching.cache_resource_api": ("No runtime found",),
    "streamlit.runtime.state.session_state_proxy": ("Session state does not function",),
}


class _DropBareModeNoise(logging.Filter):
    """Rejects the records whose (unformatted) message starts with one of `prefixes`."""

    def __init__(self, prefixes: tuple[str, ...]) -> None:
        super().__init__()
        self.prefixes = prefixes

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.prefixes)


@contextmanager
def quiet_streamlit() -> Iterator[None]:
    """Silence Streamlit's bare-mode warnings for the duration of a benchmark (restored after).

    A filter on the logger itself (not a level) survives Streamlit resetting its loggers' levels
    when it reads its configuration, and lets that logger's other warnings through."""
    installed = []
    for name, prefixes in NOISE.items():
        logger = logging.getLogger(name)
        noise_filter = _DropBareModeNoise(prefixes)
        logger.addFilter(noise_filter)
        installed.append((logger, noise_filter))
    try:
        yield
    finally:
        for logger, noise_filter in installed:
            logger.removeFilter(noise_filter)
