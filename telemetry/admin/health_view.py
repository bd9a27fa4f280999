"""What the Overview tiles and the Data health table show of each source's health (no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from telemetry import queries
from telemetry.columns import count, text, when
from telemetry.config import TABLE_SPECS, Settings, describe
from telemetry.engine.base import ENGINE_FAULT_KINDS, QueryError
from telemetry.formatting import compact, hours
from telemetry.genie.filters import GenieFilters
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


# --- Data health, extended (issue 12): the Genie pipeline gap, jobs' last success, clearing the cache ---
GAP_DAYS = 7
ALL_SOURCES = "All sources"


def pipeline_requests(settings: Settings, today: date | None = None) -> dict[str, queries.Request]:
    """The Genie pipeline's gap and stuck messages over the last GAP_DAYS days (the Genie pipeline
    page's own queries, every workspace)."""
    from telemetry.genie import pipeline

    today = today or datetime.now(UTC).date()
    f = GenieFilters(start=today - timedelta(days=GAP_DAYS - 1), end=today)
    wanted = {"pipeline_gap", "pipeline_stuck"}
    return {name: request for name, request in pipeline.requests(f, "day", settings).items() if name in wanted}


def pipeline_kpis(gap: pd.DataFrame, stuck: pd.DataFrame) -> list[Kpi]:
    """The funnel in numbers: audit events, queued, ingested, the gap, retrying and given up."""
    from telemetry.genie import pipeline

    return pipeline.totals(gap, stuck)


def source_choices() -> dict[str, str | None]:
    """What the cache clearer offers: every source by its label (→ its key), and all of them (→ None)."""
    return {ALL_SOURCES: None, **{spec.label: spec.key for spec in TABLE_SPECS}}
