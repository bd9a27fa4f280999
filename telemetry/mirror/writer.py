"""Creating the mirror's tables and inserting generated Arrow batches into them.

Generators hand over flat Arrow columns; DuckDB assembles structs in SQL (`struct_pack`) and
inserts `BY NAME`, so a generator only names the columns it fills and the rest stay NULL. Note
that DuckDB casts structs by field name and drops unknown fields silently: the tests check that
the documented fields we mean to fill are in fact filled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import duckdb
import pyarrow as pa

from telemetry.engine.dialect import mirror_table_name
from telemetry.mirror.schema import DATABRICKS_SCHEMAS, create_table_sql

ProgressFn = Callable[[str, float], None]


class Writer:
    """Owns the build connection; counts rows per table key."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, tables: Mapping[str, str], progress: ProgressFn | None = None
    ) -> None:
        self.con = con
        self.tables = dict(tables)
        self.rows: dict[str, int] = {key: 0 for key in DATABRICKS_SCHEMAS}
        self._progress = progress
        self._seq = 0

    def name(self, key: str) -> str:
        """The DuckDB name of a table key (schema `catalog__schema`)."""
        return mirror_table_name(self.tables[key])

    def create_all(self) -> None:
        """Create every schema and table of DATABRICKS_SCHEMAS, empty."""
        for key in DATABRICKS_SCHEMAS:
            name = self.name(key)
            if "." in name:
                self.con.execute(f"CREATE SCHEMA IF NOT EXISTS {name.rsplit('.', 1)[0]}")
            self.con.execute(create_table_sql(key, self.tables[key]))

    def insert(self, key: str, columns: Mapping[str, pa.Array], select: str = "*", join: str = "") -> int:
        """INSERT BY NAME `SELECT {select} FROM flat{join}` where flat holds `columns`; returns row count."""
        table = pa.table(dict(columns))
        if table.num_rows == 0:
            return 0
        self._seq += 1
        view = f"flat_{self._seq}"
        self.con.register(view, table)
        try:
            self.con.execute(f"INSERT INTO {self.name(key)} BY NAME SELECT {select} FROM {view}{join}")
        finally:
            self.con.unregister(view)
        self.rows[key] += table.num_rows
        return table.num_rows

    def progress(self, label: str, fraction: float) -> None:
        """Report progress to the caller's callback, if any."""
        if self._progress is not None:
            self._progress(label, min(max(fraction, 0.0), 1.0))
