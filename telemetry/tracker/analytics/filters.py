"""The filters of the tracker pages, as one typed object and the bound parameters it stands for.

Multi-valued filters travel as one comma-joined string parameter ('' = no restriction), split in
SQL, so a query's text never depends on how many apps or actions are picked (one cached plan, one
statement text) and nothing picked is ever part of the SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from telemetry import queries
from telemetry.config import Settings

MAX_PICKS = 50  # apps, actions or excluded users a URL may name (longer lists are cut)


@dataclass(frozen=True)
class TrackerFilters:
    start: date
    end: date
    apps: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    exclude_users: tuple[str, ...] = ()
    exclude_service_principals: bool = True
    exclude_internal: bool = True
    gap_minutes: int = 30

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous_start(self) -> date:
        return self.start - timedelta(days=self.days)


def split_users(raw: str) -> tuple[str, ...]:
    """Excluded users as typed (comma, semicolon or space separated), without blanks and duplicates."""
    seen = dict.fromkeys(p.strip() for p in raw.replace(";", ",").replace(" ", ",").split(","))
    return tuple(p[:320] for p in seen if p)[:MAX_PICKS]


def options(frame) -> tuple[list[str], list[str]]:
    """(apps, actions) for the pickers, most frequent first (tracker/options)."""
    if frame is None or frame.empty:
        return [], []
    pick = lambda kind: [str(v) for v in frame.loc[frame["kind"] == kind, "value"]]  # noqa: E731
    return pick("app"), pick("action")


def joined(values: tuple[str, ...]) -> str:
    """Values as one parameter: commas inside a value cannot split it (they are dropped)."""
    return ",".join(v.replace(",", "") for v in values[:MAX_PICKS] if v)


def params(f: TrackerFilters, settings: Settings) -> dict[str, Any]:
    """Every parameter a tracker query may take; `request` keeps the ones the query names."""
    return {
        "start_date": f.start, "end_date": f.end, "prev_start_date": f.previous_start,
        "apps": joined(f.apps), "actions": joined(f.actions), "exclude_users": joined(f.exclude_users),
        "exclude_service_principals": f.exclude_service_principals,
        "exclude_regex": settings.internal_accounts_regex if f.exclude_internal else "",
        "gap_minutes": f.gap_minutes,
    }


def request(name: str, f: TrackerFilters, settings: Settings, **overrides: Any) -> queries.Request:
    """The request for tracker query `name` (short name, e.g. "events_over_time") under `f`."""
    return queries.in_area("tracker", name, {**params(f, settings), **overrides})


def requests(names: tuple[str, ...], f: TrackerFilters, settings: Settings, **overrides: Any
             ) -> dict[str, queries.Request]:
    """Requests by short name for `ui.start` (independent, so they start together)."""
    return queries.in_area_all("tracker", names, {**params(f, settings), **overrides})


def option_requests() -> dict[str, queries.Request]:
    """The filter options (apps and actions seen in the last 90 days); the filter bar waits for them."""
    return {"options": queries.request("tracker/options", {})}
