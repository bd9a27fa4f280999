"""What the Overview tiles and the Data health table show of each source's health (no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from telemetry.columns import count, text, when
from telemetry.config import Settings, describe
from telemetry.engine.base import ENGINE_FAULT_KINDS, QueryError
from telemetry.formatting import compact, hours
from telemetry.health import SourceHealth
from telemetry.metrics.kpi import Kpi

BADGES = {"ok": ("fresh", "green"), "stale": ("stale", "orange"), "empty": ("empty", "gray"),
          "missing": ("missing", "red"), "error": ("error", "red")}
TABLE = {"source": text("Source"), "table": text("Table"), "status": text("Status"), "rows": count("Rows"),
         "rows_last_day": count("Rows, last 24 h"), "latest_event": when("Newest row (UTC)"), "age": text("Age"),
         "expected_within": text("Expected within"), "note": text("Note"), "feeds": text("Feeds")}
CONFIG = {"setting": text("Setting"), "value": text("Value")}


def one_fault(sources: list[SourceHealth]) -> None:
    """Raise one engine error when no source could be checked because the engine itself failed
    (an unreachable warehouse is one message on the page, not one per tile)."""
    kinds = {s.error_kind for s in sources}
    if sources and kinds <= set(ENGINE_FAULT_KINDS) and all(s.status == "error" for s in sources):
        raise QueryError("health", sources[0].message, kind=sources[0].error_kind)


def summary(sources: list[SourceHealth]) -> list[Kpi]:
    """The four headline tiles of the Overview."""
    ages = [s.age_hours for s in sources if s.age_hours is not None]
    ok = sum(s.status == "ok" for s in sources)
    return [Kpi("Sources healthy", ok, display=f"{ok} / {len(sources)}", help="Present, with rows, and fresh"),
            Kpi("Rows across sources", sum(s.row_count for s in sources), fmt="compact"),
            Kpi("Rows in the last 24 h", sum(s.rows_last_day for s in sources), fmt="compact"),
            Kpi("Newest event", min(ages, default=None), fmt="age")]


def newest_event(sources: list[SourceHealth]):
    return max((s.latest_event for s in sources if s.latest_event), default=None)


@dataclass(frozen=True)
class Tile:
    title: str
    badge: tuple[str, str]
    help: str
    value: str | None  # None: the source has no rows to count (missing, empty, error)
    delta: str
    note: str


def tile(src: SourceHealth) -> Tile:
    """One source's Overview tile."""
    help_ = f"`{src.table}` — {src.spec.purpose}"
    if src.status in ("missing", "error", "empty"):
        return Tile(src.spec.label, BADGES[src.status], help_, None, "", src.message[:160])
    newest = (f"newest {src.latest_event:%b %d %H:%M} · {hours(src.age_hours)} ago" if src.latest_event
              else src.message or "no timestamps")  # stale beyond the health window: say so
    return Tile(src.spec.label, BADGES[src.status], help_, compact(src.row_count),
                f"{compact(src.rows_last_day)} in the last 24 h", newest)


def table(sources: list[SourceHealth]) -> pd.DataFrame:
    """The Data health table: one row per source."""
    return pd.DataFrame([{
        "source": s.spec.label, "table": s.table, "status": BADGES[s.status][0], "rows": s.row_count,
        "rows_last_day": s.rows_last_day, "latest_event": s.latest_event, "age": hours(s.age_hours),
        "expected_within": f"{s.spec.stale_after_hours:g} h" if s.spec.stale_after_hours else "",
        "note": s.message, "feeds": s.spec.purpose,
    } for s in sources])


def configuration(settings: Settings) -> pd.DataFrame:
    return pd.DataFrame(describe(settings), columns=["setting", "value"])
