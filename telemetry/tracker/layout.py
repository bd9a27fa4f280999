"""Which layout a tracker table has, from its column names: what a sink writes, and what `doctor` says.

Existing tables have the classic four columns (`timestamp, app_name, user, action`) and must keep
working; a table that also has any of `event_id, session_id, properties, duration_ms` gets those
filled. Only `event_id` lets a replayed batch be recognised, so it decides whether replays dedup.
Names compare case-insensitively (Unity Catalog column names are case-insensitive).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from telemetry.tracker.events import CLASSIC, EXTENDED

_TYPES = {"timestamp": "TIMESTAMP", "app_name": "STRING", "user": "STRING", "action": "STRING",
          "event_id": "STRING", "session_id": "STRING", "properties": "STRING", "duration_ms": "DOUBLE"}


class LayoutError(ValueError):
    """The table cannot hold tracker events (a classic column is missing); the message says which."""


@dataclass(frozen=True)
class Layout:
    """What a tracker table can hold. `columns` are the ones to write, in the tracker's order."""

    columns: tuple[str, ...]
    missing: tuple[str, ...]  # classic columns the table lacks: it cannot take events
    found: tuple[str, ...]  # every column the table has, as given

    @property
    def usable(self) -> bool:
        return not self.missing

    @property
    def kind(self) -> str:
        """"classic" (the four columns only), "extended" (also some or all of the optional ones), or
        "unusable"."""
        if self.missing:
            return "unusable"
        return "extended" if self.extras else "classic"

    @property
    def extras(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c in EXTENDED)

    @property
    def absent_extras(self) -> tuple[str, ...]:
        return tuple(c for c in EXTENDED if c not in self.columns)

    @property
    def dedups(self) -> bool:
        """True when a replayed batch adds nothing (the table has event_id to recognise it by)."""
        return "event_id" in self.columns

    def problem(self, table: str = "the tracker table") -> str:
        """The reason the table cannot take events ('' when it can)."""
        if not self.missing:
            return ""
        found = ", ".join(self.found) or "no columns"
        return (f"{table} is missing the column(s) {', '.join(self.missing)}: a tracker table needs "
                f"{', '.join(CLASSIC)} (found: {found}). Add them, or point TELEMETRY_TRACKER_TABLE at "
                f"the right table.")

    def check(self, table: str = "the tracker table") -> Layout:
        """This layout, or LayoutError with `problem()` when the table cannot take events."""
        if self.missing:
            raise LayoutError(self.problem(table))
        return self


def detect(columns: Iterable[str]) -> Layout:
    """The layout of a table with these column names (any case, any order, any other columns)."""
    found = tuple(str(c) for c in columns)
    present = {c.lower() for c in found}
    return Layout(columns=tuple(c for c in (*CLASSIC, *EXTENDED) if c in present),
                  missing=tuple(c for c in CLASSIC if c not in present), found=found)


def describe(layout: Layout) -> str:
    """One line for `doctor`: the layout, what gets filled, whether replays dedup, what to add."""
    if not layout.usable:
        return f"not a tracker table: {layout.problem('the table')}"
    if layout.kind == "classic":
        return ("classic layout (timestamp, app_name, user, action): no event_id, so a batch replayed "
                "after a partial failure can repeat rows; add event_id, session_id, properties, "
                "duration_ms to fill and deduplicate them")
    line = f"extended layout: also fills {', '.join(layout.extras)}"
    line += "; replays deduplicated by event_id" if layout.dedups else "; no event_id, replays are not deduplicated"
    if layout.absent_extras:
        line += f"; could add {', '.join(layout.absent_extras)}"
    return line


def upgrade_statement(table: str, layout: Layout) -> str | None:
    """The `ALTER TABLE … ADD COLUMNS` that gives a usable table the optional columns it lacks
    (for `doctor` to show; `table` must already be a validated name). None when nothing is missing."""
    if not layout.usable or not layout.absent_extras:
        return None
    added = ", ".join(f"{c} {_TYPES[c]}" for c in layout.absent_extras)
    return f"ALTER TABLE {table} ADD COLUMNS ({added})"


def column_type(column: str) -> str:
    """The SQL type the tracker writes into `column`."""
    return _TYPES[column]
