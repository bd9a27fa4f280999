"""The pieces demo-append needs around the demo's generators: the world the demo was built from, a
window from a table's newest event up to now, and a Writer that keeps only rows after a cutoff.

The generators draw every event of `world.window`. Appending reuses them unchanged on a copy of the
demo's world (same apps, people, spaces and ids, so new sign-ins resolve through the apps inventory)
whose window is [newest event, now] and whose random streams are seeded from (seed, window): the
rows are deterministic for a window, and a second run right after the first draws from a window of
seconds, so it adds about nothing. Derived rows (a token mint after its authorization, a tracker
session after its sign-in) can land before a table's own newest row; the cutoff drops those.

This is the mirror's own DuckDB (like the build's): it reads the build's metadata table and the
newest timestamps of the mirror tables, which no page asks for.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import numpy as np
import pyarrow as pa

from telemetry.jobs.registry import JobError
from telemetry.mirror.timeline import DAY, Window
from telemetry.mirror.world import Streams
from telemetry.mirror.world_apps import Apps, World, build_world
from telemetry.mirror.writer import Writer

EPOCH = datetime(1970, 1, 1)
META_TABLE = "ops_console_meta.build_info"
APPENDS_TABLE = "ops_console_meta.demo_appends"  # each append's window per family: the next starts at its end


def to_us(moment: datetime) -> int:
    """A naive UTC datetime as epoch microseconds (the generators' clock)."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def window_between(start: datetime, end: datetime) -> Window:
    """The window (start, end] in the generators' terms, with the day grid `Window.ending` builds."""
    start_us, end_us = to_us(start), to_us(end)
    grid0 = (start_us // DAY - 1) * DAY
    days = max(1, -(-(end_us - start_us) // DAY))
    return Window(start_us, end_us, days, grid0, int((end_us - grid0) // DAY) + 2)


def demo_world(cur: duckdb.DuckDBPyConnection) -> tuple[World, int]:
    """The world the demo file was built from (its build_info: seed, scale, window) and its seed."""
    try:
        row = cur.execute(f"SELECT seed, scale, days, window_end FROM {META_TABLE} "
                          "ORDER BY built_at DESC LIMIT 1").fetchall()
    except duckdb.CatalogException:
        row = []
    if not row:
        raise JobError("this embedded database was not built by `python -m telemetry demo` (it has no "
                       f"{META_TABLE}), so there is no demo organisation to append events for")
    seed, scale, days, window_end = row[0]
    return build_world(int(seed), float(scale), Window.ending(window_end, int(days))), int(seed)


def world_for(world: World, seed: int, window: Window) -> World:
    """`world` with a new window and streams seeded from (seed, window); spaces the demo trashed
    get no new traffic (popularity 0 keeps them the least popular, so they stay the trashed ones)."""
    key = hashlib.sha256(f"demo-append:{seed}:{window.start_us}:{window.end_us}".encode()).digest()
    gone = np.argsort(world.spaces.popularity, kind="stable")[: world.spaces.n // 25]
    popularity = world.spaces.popularity.copy()
    popularity[gone] = 0.0
    spaces = dataclasses.replace(world.spaces, popularity=popularity)
    return dataclasses.replace(world, window=window, streams=Streams(int.from_bytes(key[:7], "big")),
                               spaces=spaces, apps=_steady_apps(world.apps))


def _steady_apps(apps: Apps) -> Apps:
    """Apps at the popularity the demo's trends reached at its end, without a trend: a trend bends the
    rate across a window (growing apps rise to 1, dying ones fall to e^-|slope|), and a short append
    window would otherwise start each app's curve over."""
    reached = np.where(apps.trend < 0, np.exp(-np.abs(apps.trend)), 1.0)
    return dataclasses.replace(apps, popularity=apps.popularity * reached, trend=np.zeros_like(apps.trend))


@dataclass(frozen=True)
class Cutoff:
    """Keep a table's new rows only when `column` (as the generator's SELECT names it) is after `after`;
    `where` is an extra condition on those columns (SQL of this module, never user input)."""

    column: str
    after: datetime | int
    where: str = ""


class WindowWriter(Writer):
    """A Writer on an existing mirror that inserts only rows after each table's cutoff and counts the
    rows it really added (the base class counts what the generators handed over)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, tables: Mapping[str, str]) -> None:
        super().__init__(con, tables)
        self.cutoffs: dict[str, Cutoff] = {}
        self.added: dict[str, int] = {}

    def insert(self, key: str, columns: Mapping[str, pa.Array], select: str = "*", join: str = "") -> int:
        table = pa.table(dict(columns))
        cutoff = self.cutoffs.get(key)
        if table.num_rows == 0 or cutoff is None:  # a table this append does not extend: nothing
            return 0
        self._seq += 1
        view = f"flat_{self._seq}"
        condition = f"s.{cutoff.column} > $after" + (f" AND ({cutoff.where})" if cutoff.where else "")
        self.con.register(view, table)
        try:
            added = self.con.execute(
                f"INSERT INTO {self.name(key)} BY NAME SELECT * FROM (SELECT {select} FROM {view}{join}) AS s "
                f"WHERE {condition}", {"after": cutoff.after}).fetchall()[0][0]
        finally:
            self.con.unregister(view)
        self.added[key] = self.added.get(key, 0) + int(added)
        return int(added)


def latest(cur: duckdb.DuckDBPyConnection, table: str, column: str, where: str = "") -> datetime | int | None:
    """The newest `column` of the mirror table `table` (optionally of the rows matching `where`)."""
    sql = f"SELECT max({column}) FROM {table}" + (f" WHERE {where}" if where else "")
    return cur.execute(sql).fetchall()[0][0]  # fetchall: a result left open blocks the cursor


def appended_until(cur: duckdb.DuckDBPyConnection, family: str) -> datetime | None:
    """The end of the last append of `family` (None before the first): a sparse family's newest event
    may be hours old, and drawing that stretch again with the next window's streams would add events
    to time the last append already covered."""
    schema, _, table = APPENDS_TABLE.partition(".")
    exists = cur.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = $s AND table_name = $t",
                         {"s": schema, "t": table}).fetchall()[0][0]  # an error would abort the transaction
    if not exists:
        return None
    return cur.execute(f"SELECT max(window_end) FROM {APPENDS_TABLE} WHERE family = $f", {"f": family}).fetchall()[0][0]


def record_append(cur: duckdb.DuckDBPyConnection, family: str, start: datetime, end: datetime) -> None:
    cur.execute(f"CREATE TABLE IF NOT EXISTS {APPENDS_TABLE} (family VARCHAR, window_start TIMESTAMP, "
                "window_end TIMESTAMP)")
    cur.execute(f"INSERT INTO {APPENDS_TABLE} VALUES ($f, $s, $e)", {"f": family, "s": start, "e": end})


def start_of(newest: datetime | None, now: datetime, max_hours: float) -> datetime:
    """Where a family's window starts: its newest event, but no earlier than `max_hours` before now."""
    floor = now - timedelta(hours=max_hours)
    return floor if newest is None or newest < floor else min(newest, now)


def ns(moment: datetime) -> int:
    """A naive UTC datetime as epoch nanoseconds (the span table's clock)."""
    return to_us(moment) * 1000


def from_ns(value: int | None) -> datetime | None:
    return None if value is None else EPOCH + timedelta(microseconds=int(value) // 1000)

