"""Hand-over of rows to the embedded database, which has one writer.

DuckDB lets one process hold a database file read-write, and then no other process can even read it.
So the running console owns its embedded file (opened read-write), and every other writer (`traces
load`, `traces receive`, the tracker, command-line jobs) hands its rows over: it writes them durably
into the file's inbox (`<file>.inbox/`, one Parquet file per batch, fsync'd, then renamed into place)
and returns. Whoever holds the write lock drains the inbox: the console's engine about every second,
or the writer itself when no console runs (it opens the file for the drain only, then closes it).

Draining inserts only rows whose keys the table does not hold yet, in one transaction per batch
file, and deletes the file after the commit: a crash in between replays the file and adds nothing,
and so does loading the same spans twice. A file that cannot be applied moves to `failed/` with the
reason beside it; it never blocks the batches behind it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
import pyarrow.parquet as pq

from telemetry.engine.dialect import mirror_table_name

log = logging.getLogger(__name__)
_META = b"telemetry.inbox"
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOCK_PID_RE = re.compile(r"PID (\d+)")


def inbox_dir(db_path: Path | str) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".inbox")


@dataclass(frozen=True)
class HandOver:
    """What became of one batch: applied now (`added` rows new, the rest duplicates) or queued for
    the process that holds the database (`holder`, e.g. "PID 4242")."""

    rows: int
    file: Path
    added: int | None = None
    holder: str = ""

    @property
    def queued(self) -> bool:
        return self.added is None

    def line(self) -> str:
        if self.queued:
            who = f" ({self.holder})" if self.holder else ""
            return (f"{self.rows:,} rows handed to the process that holds the database{who}; "
                    "it loads them within seconds")
        return f"{self.rows:,} rows: {self.added:,} added, {self.rows - self.added:,} already there"


@dataclass
class DrainReport:
    files: int = 0
    rows: int = 0
    added: int = 0
    failed: int = 0
    added_by_file: dict[str, int] = field(default_factory=dict)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a directory be opened
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def put(db_path: Path | str, table: str, rows: pa.Table, *, keys: tuple[str, ...] = (),
        prune_column: str = "") -> Path:
    """Write `rows` for `table` durably into the inbox and return the file (atomic: whole or absent)."""
    for name in (*keys, *([prune_column] if prune_column else [])):
        if name not in rows.column_names:
            raise ValueError(f"inbox batch for {table} has no column {name!r}")
    folder = inbox_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    meta = json.dumps({"table": table, "keys": list(keys), "prune": prune_column}).encode()
    rows = rows.replace_schema_metadata({**(rows.schema.metadata or {}), _META: meta})
    final = folder / f"{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}.parquet"
    temp = folder / f".{final.name}.tmp"
    with open(temp, "wb") as handle:
        pq.write_table(rows, handle, compression="zstd")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, final)
    _fsync_dir(folder)
    return final


def pending(db_path: Path | str) -> list[Path]:
    """Batches waiting, oldest first."""
    folder = inbox_dir(db_path)
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


def _ident(name: str) -> str:
    if not _NAME_RE.match(name):
        raise ValueError(f"not a column name: {name!r}")
    return f'"{name}"'


def _new_rows_sql(target: str, keys: list[str], prune: str) -> str:
    """Rows of `_batch` (already one per key) whose key the table lacks."""
    if not keys:
        return "SELECT * FROM _batch"
    match = " AND ".join(f"t.{_ident(k)} = b.{_ident(k)}" for k in keys)
    if prune:
        col = _ident(prune)
        match += (f" AND t.{col} BETWEEN (SELECT min({col}) FROM _batch) AND (SELECT max({col}) FROM _batch)")
    return f"SELECT * FROM _batch AS b WHERE NOT EXISTS (SELECT 1 FROM {target} AS t WHERE {match})"


def _first_per_key(table: pa.Table, keys: list[str]) -> pa.Table:
    """The first row of each key (Arrow's hash group-by on the key columns alone: a window over the
    whole batch in SQL would copy every nested column first)."""
    if not keys or table.num_rows == 0:
        return table
    numbered = table.select(keys).append_column("_row", pa.array(range(table.num_rows), pa.int64()))
    first = numbered.group_by(keys, use_threads=False).aggregate([("_row", "min")])["_row_min"]
    if len(first) == table.num_rows:
        return table
    return table.take(pa.compute.sort_indices(first))


def _apply(con: duckdb.DuckDBPyConnection, meta: dict, batches: list[tuple[str, pa.Table]]) -> dict[str, int]:
    """Apply batches of one table in one transaction (one commit); rows added per file."""
    target = mirror_table_name(meta["table"])
    schema = target.rpartition(".")[0]
    tables = [t.append_column("_inbox_file", pa.array([name] * t.num_rows, pa.string())) for name, t in batches]
    batch = _first_per_key(pa.concat_tables(tables, promote_options="default"), meta["keys"])
    con.register("_batch", batch)
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            if schema:
                con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            con.execute(f"CREATE TABLE IF NOT EXISTS {target} AS SELECT * EXCLUDE (_inbox_file) FROM _batch LIMIT 0")
            # An existing table may have fewer columns (the tracker's classic four): send only those, and
            # dedup only by keys it has.
            have = {d[0] for d in con.execute(f"SELECT * FROM {target} LIMIT 0").description}
            keys = [k for k in meta["keys"] if k in have] if all(k in have for k in meta["keys"]) else []
            new_rows = _new_rows_sql(target, keys, meta["prune"] if keys else "")
            # The anti-join reads the key columns only; counting first keeps the insert to one pass.
            added = dict(con.execute(f"SELECT _inbox_file, count(*) FROM ({new_rows}) GROUP BY 1").fetchall())
            shared = ", ".join(_ident(c) for c in batch.column_names if c in have)
            con.execute(f"INSERT INTO {target} BY NAME SELECT {shared} FROM ({new_rows})")
            con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
    finally:
        con.unregister("_batch")
    return {name: int(added.get(name, 0)) for name, _ in batches}


def _set_aside(path: Path, err: Exception) -> None:
    failed = path.parent / "failed"
    failed.mkdir(exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        os.replace(path, failed / path.name)
    (failed / f"{path.name}.error.txt").write_text(f"{type(err).__name__}: {err}\n")
    log.error("inbox batch %s could not be applied and was moved to %s: %s", path.name, failed, err)


def _read(path: Path) -> tuple[dict, pa.Table]:
    table = pq.read_table(path)
    meta = json.loads((table.schema.metadata or {})[_META])
    meta.setdefault("prune", "")
    return meta, table.replace_schema_metadata(None)


_DRAINING = threading.Lock()  # one drain at a time in a process: its threads share DuckDB's instance


def drain(con: duckdb.DuckDBPyConnection, db_path: Path | str, max_files: int = 500) -> DrainReport:
    """Apply waiting batches on `con` (a read-write connection to the database of `db_path`), oldest
    first, those of one table together in one transaction; a batch that cannot be read or applied is
    set aside and the rest still go in."""
    report = DrainReport()
    with _DRAINING:
        groups: dict[str, list[tuple[Path, pa.Table]]] = {}
        metas: dict[str, dict] = {}
        for path in pending(db_path)[:max_files]:
            try:
                meta, table = _read(path)
            except FileNotFoundError:
                continue
            except (pa.ArrowException, KeyError, ValueError, OSError) as err:
                report.failed += 1
                _set_aside(path, err)
                continue
            key = json.dumps(meta, sort_keys=True)
            metas[key] = meta
            groups.setdefault(key, []).append((path, table))
        for key, items in groups.items():
            _apply_group(con, metas[key], items, report)
    return report


def _apply_group(con: duckdb.DuckDBPyConnection, meta: dict, items: list[tuple[Path, pa.Table]],
                 report: DrainReport) -> None:
    try:
        added = _apply(con, meta, [(p.name, t) for p, t in items])
    except (duckdb.Error, pa.ArrowException, ValueError) as err:
        if len(items) > 1:  # find the bad batch: apply one by one
            for item in items:
                _apply_group(con, meta, [item], report)
            return
        report.failed += 1
        _set_aside(items[0][0], err)
        return
    for path, table in items:
        path.unlink(missing_ok=True)
        report.added_by_file[path.name] = added[path.name]
        report.files += 1
        report.rows += table.num_rows
        report.added += added[path.name]


def holder_of(err: Exception) -> str:
    """"PID n" of the process DuckDB names in a lock error, or ""."""
    match = _LOCK_PID_RE.search(str(err))
    return f"PID {match.group(1)}" if match else ""


def drain_file(db_path: Path | str) -> tuple[DrainReport | None, str]:
    """Open the database for writing just long enough to drain its inbox.

    Returns (report, "") or (None, holder) when another process holds the file."""
    try:
        con = duckdb.connect(str(db_path))
    except duckdb.IOException as err:
        if "lock" not in str(err).lower():
            raise
        return None, holder_of(err) or "another process"
    try:
        con.execute("SET enable_progress_bar = false")  # DuckDB would draw one on a terminal
        return drain(con, db_path), ""
    finally:
        con.close()


def hand_over(db_path: Path | str, table: str, rows: pa.Table, *, keys: tuple[str, ...] = (),
              prune_column: str = "") -> HandOver:
    """Write `rows` durably for `table`, then apply them now if no other process holds the database.

    Returns once the rows are on disk, whichever happened; see the module docstring."""
    path = put(db_path, table, rows, keys=keys, prune_column=prune_column)
    report, holder = drain_file(db_path)
    if report is None or path.name not in report.added_by_file:
        return HandOver(rows.num_rows, path, None, holder)
    return HandOver(rows.num_rows, path, report.added_by_file[path.name], "")


def wait_drained(handover: HandOver, timeout_s: float = 10.0) -> bool:
    """True once the batch has left the inbox (applied by whoever holds the database)."""
    deadline = time.monotonic() + timeout_s
    while handover.file.exists():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True
