"""The console's own tracker (no Streamlit): one process-wide tracker library instance, started on
first use when self-tracking (page views, filter changes, downloads) or the admin audit is on.

The two switches are independent: with TELEMETRY_SELF_TRACKING=off and TELEMETRY_ADMIN_AUDIT=on the
tracker exists only for the audit trail (telemetry.admin.audit); the page-view code asks
`self_tracking_on()` before it records anything. On the embedded engine events go through the inbox
and the console's own drain applies them (it owns the file); on a warehouse they are batched inserts
through the Databricks SQL sink. A tracker that cannot start is logged, and the console runs without it.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from telemetry import runtime, tracker
from telemetry.config import Settings

log = logging.getLogger(__name__)


def _sink(settings: Settings) -> tracker.Sink:
    table = settings.table("tracker")
    if settings.engine == "embedded":
        from telemetry.tracker.sinks import EmbeddedSink

        return EmbeddedSink(settings.embedded_path, table, drain=False)  # the console drains its inbox
    from telemetry.tracker.warehouse_sink import DatabricksSqlSink

    return DatabricksSqlSink.from_settings(settings)


def wanted(settings: Settings) -> bool:
    """Whether the console needs a tracker at all (either switch on)."""
    return settings.tracker.self_tracking or settings.tracker.admin_audit


@functools.cache
def console_tracker() -> tracker.Tracker | None:
    """The console's tracker, or None when both switches are off or it could not start."""
    settings = runtime.settings()
    if not wanted(settings):
        return None
    try:
        spool = settings.tracker.spool_dir or None
        return tracker.configure(settings.tracker.app_name, _sink(settings),
                                 spool_dir=Path(spool) if spool else None)
    except Exception as err:  # noqa: BLE001 - the console runs without tracking rather than not at all
        log.warning("the console's tracker is off: %s: %s", type(err).__name__, err)
        return None


def self_tracking_on() -> bool:
    """Page views, filter changes and downloads are recorded (the tracker is up and the switch is on)."""
    return runtime.settings().tracker.self_tracking and console_tracker() is not None


def audit_on() -> bool:
    """Admin actions are recorded (the tracker is up and TELEMETRY_ADMIN_AUDIT is on)."""
    return runtime.settings().tracker.admin_audit and console_tracker() is not None
