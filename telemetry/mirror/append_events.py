"""Fresh synthetic events for the demo, family by family, with the demo's own generators.

Two families, each with its own window (from its newest event up to now): app sign-ins (the OAuth
audit events, and the tracker sessions and trace spans that follow a sign-in) and Genie (the
aibiGenie audit events, the generated statements in query history, the fetch queue, its errors and
the message details, exactly as `python -m telemetry demo` derives them from one conversation model).
Space management events (create, update, trash) are not repeated: the demo's spaces already exist.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import numpy as np
import pyarrow as pa

from telemetry.mirror import audit_apps, genie_details, spans, tracker
from telemetry.mirror.append_window import (
    Cutoff,
    WindowWriter,
    appended_until,
    demo_world,
    from_ns,
    latest,
    ns,
    record_append,
    start_of,
    window_between,
    world_for,
)
from telemetry.mirror.world_apps import World

_LOGIN_ACTIONS = ", ".join(f"'{kind.action}'" for kind in audit_apps.LOGIN_KINDS)
LOGINS_WHERE = f"service_name = 'accounts' AND action_name IN ({_LOGIN_ACTIONS})"
GENIE_WHERE = "service_name = 'aibiGenie'"
_SPACE_ACTIONS = "action_name NOT IN ('createSpace', 'updateSpace', 'trashSpace')"


@dataclass
class Appended:
    """What one append wrote: rows per table key, and each family's window."""

    rows: dict[str, int] = field(default_factory=dict)
    windows: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _newest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _sign_ins(writer: WindowWriter, world: World, seed: int, now: datetime, max_hours: float) -> tuple:
    """OAuth sign-ins after the newest one, then the tracker sessions and spans they start."""
    cur, audit = writer.con, writer.name("audit")
    newest = _newest(latest(cur, audit, "event_time", LOGINS_WHERE), appended_until(cur, "sign-ins"))
    start = start_of(newest, now, max_hours)
    window = world_for(world, seed, window_between(start, now))
    tracker_after = _newest(start, latest(cur, writer.name("tracker"), '"timestamp"'))
    spans_after = _newest(start, from_ns(latest(cur, writer.name("spans"), "start_time_unix_nano")))
    writer.cutoffs = {"audit": Cutoff("event_time", start), "tracker": Cutoff('"timestamp"', tracker_after),
                      "spans": Cutoff("start_time_unix_nano", ns(spans_after))}
    logins = audit_apps.write_app_logins(writer, window)
    tracker.write_tracker(writer, window, logins)
    _traces(writer, window, logins, ns(spans_after))
    return start, now


def _traces(writer: WindowWriter, world: World, logins: audit_apps.Logins, after_ns: int) -> None:
    """The spans of the sign-ins' sessions. The trace generator assumes a build's volumes: a short
    window with no request of some kind (no export, no tool call) makes it raise on an empty array
    (ValueError from telemetry.mirror.ids.keyed_hex, ArrowNotImplementedError from a null-typed
    column). Such a window gets no spans: the ones this step inserted (all after the cutoff) are
    taken out again, so the append stays whole."""
    try:
        spans.write_traces(writer, world, logins)
    except (ValueError, pa.ArrowException):
        writer.con.execute(f"DELETE FROM {writer.name('spans')} WHERE start_time_unix_nano > $after",
                           {"after": after_ns})
        writer.added.pop("spans", None)


def _genie(writer: WindowWriter, world: World, seed: int, now: datetime, max_hours: float) -> tuple:
    """Conversations after the newest Genie event, through every table the demo derives from them."""
    cur = writer.con
    newest = _newest(latest(cur, writer.name("audit"), "event_time", GENIE_WHERE),
                     latest(cur, writer.name("genie_message_details"), "created_timestamp"),
                     appended_until(cur, "genie"))
    start = start_of(newest, now, max_hours)
    window = world_for(world, seed, window_between(start, now))
    writer.cutoffs = {"audit": Cutoff("event_time", start, _SPACE_ACTIONS),
                      "query_history": Cutoff("start_time", start),
                      "genie_messages_to_fetch": Cutoff("event_time", start),
                      "genie_fetch_errors": Cutoff("attempted_at", start),
                      "genie_message_details": Cutoff("created_timestamp", start)}
    genie_details.write_genie_messages(writer, window)
    return start, now


FAMILIES = {"sign-ins": _sign_ins, "genie": _genie}


def append(cur: duckdb.DuckDBPyConnection, tables: dict[str, str], now: datetime, max_hours: float,
           check: Callable[[], None] = lambda: None) -> Appended:
    """Append every family's events on `cur` in one transaction (all or nothing; `check` may raise
    between families to cancel, which rolls back)."""
    world, seed = demo_world(cur)
    writer = WindowWriter(cur, tables)
    out = Appended()
    cur.execute("BEGIN TRANSACTION")
    try:
        for name, family in FAMILIES.items():
            check()
            with np.errstate(over="ignore"):  # the samplers' trend of events outside a short window
                out.windows[name] = family(writer, world, seed, now, max_hours)
            record_append(cur, name, *out.windows[name])
        check()
        cur.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # a failed COMMIT has rolled back already
            cur.execute("ROLLBACK")
        raise
    out.rows = dict(sorted(writer.added.items()))
    return out
