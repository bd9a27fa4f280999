"""App usage: the filters of the page turned into query parameters, and the derived numbers.

Pure functions over settings and small frames, so the page stays layout-only and the rules
(period comparison, segments, stickiness, top apps) are unit-tested without Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pandas as pd

from telemetry import personas, queries
from telemetry.config import Settings
from telemetry.identity import User
from telemetry.metrics.kpi import Kpi

# Preset labels are also their URL values (?range=7+days), so links stay readable.
PRESETS: dict[str, int | None] = {"7 days": 7, "30 days": 30, "90 days": 90, "Custom": None}
DEFAULT_PRESET = "30 days"
SECTIONS = ("Activity", "Top apps", "When", "Retention", "Sessions", "Errors", "Sharing")
LOOKBACK_DAYS = 90  # "new" users: no sign-in in the 90 days before the period
# Segment thresholds, as active days in a 30-day period (scaled to the period's length).
POWER_DAYS_PER_30, REGULAR_DAYS_PER_30 = 12, 4


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    workspace_id: str = ""
    app_name: str = ""
    exclude_service_principals: bool = True
    exclude_internal: bool = True
    tz_offset_minutes: int = 0
    gap_minutes: int = 30
    tz_label: str = "UTC"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous_start(self) -> date:
        return self.start - timedelta(days=self.days)

    def for_app(self, app_name: str) -> Filters:
        return replace(self, app_name=app_name)


def period(preset: str, custom: tuple[date, date] | None, today: date) -> tuple[date, date]:
    """The inclusive date range a preset (or a custom pick) stands for; never in the future."""
    days = PRESETS.get(preset)
    if days is None and custom and len(custom) == 2 and custom[0] <= custom[1]:
        return custom[0], min(custom[1], today)
    days = days or PRESETS[DEFAULT_PRESET]
    return today - timedelta(days=days - 1), today


def segment_thresholds(filters: Filters) -> tuple[int, int]:
    """(power, regular) minimum active days for the period's length."""
    scale = filters.days / 30
    return max(2, round(POWER_DAYS_PER_30 * scale)), max(1, round(REGULAR_DAYS_PER_30 * scale))


def all_params(filters: Filters, settings: Settings) -> dict[str, Any]:
    """Every parameter any app-usage query takes; `params` picks the ones a query needs."""
    power, regular = segment_thresholds(filters)
    apps = settings.apps
    # The previous period is as long as the current one; history reaches LOOKBACK_DAYS further back.
    from_date = min(filters.previous_start, filters.start - timedelta(days=LOOKBACK_DAYS))
    return {
        "start_date": filters.start, "end_date": filters.end, "from_date": from_date,
        "prev_start_date": filters.previous_start,
        "workspace_id": filters.workspace_id, "app_name": filters.app_name,
        "exclude_service_principals": filters.exclude_service_principals,
        "exclude_regex": settings.internal_accounts_regex if filters.exclude_internal else "",
        "login_actions": ",".join(apps.login_actions),
        "excluded_client_ids": ",".join(apps.excluded_client_ids),
        "apps_service_name": apps.service_name, "acl_action": apps.acl_action,
        "lifecycle_actions": ",".join(apps.lifecycle_actions),
        "tz_offset_minutes": filters.tz_offset_minutes, "gap_minutes": filters.gap_minutes,
        "power_min_days": power, "regular_min_days": regular,
    }


def params(name: str, filters: Filters, settings: Settings) -> dict[str, Any]:
    """Exactly the parameters named query `name` declares."""
    return request(name, filters, settings).params


def request(name: str, filters: Filters, settings: Settings, **overrides: Any) -> queries.Request:
    """The request for app-usage query `name` (short name, e.g. "kpis") under these filters."""
    return queries.in_area("app_usage", name, {**all_params(filters, settings), **overrides})


def requests(names: tuple[str, ...], filters: Filters, settings: Settings, **overrides: Any
             ) -> dict[str, queries.Request]:
    """Requests by short name, for `ui.start` (every one independent of the others)."""
    return queries.in_area_all("app_usage", names, {**all_params(filters, settings), **overrides})


def owned_requests(user: User) -> dict[str, queries.Request]:
    """The apps `user` owns, for App usage's "Your apps" panel: {} unless they hold the app owner persona
    (the page shows the panel only then; everyone else's page runs no extra query)."""
    if personas.APP_OWNER not in user.personas:
        return {}
    return {"owned_apps": queries.request("app_usage/owned_apps", {"user_email": user.email.strip().lower()})}


def filter_requests() -> dict[str, queries.Request]:
    """The filter options (apps, workspaces): they take no parameters, and the filters wait for them."""
    return {name: queries.request(f"app_usage/{name}", {}) for name in FILTER_QUERIES}


# What each part of the App usage page reads (only the shown view's queries run).
FILTER_QUERIES = ("apps_list", "workspaces_list")
HEADER_QUERIES = ("kpis", "cost_totals")
VIEW_QUERIES: dict[str, tuple[str, ...]] = {
    "Activity": ("daily_active", "new_vs_returning", "segments"),
    "Top apps": ("top_apps", "cost_by_app"),
    "When": ("weekday_hour",),
    "Retention": ("retention",),
    "Sessions": ("sessions",),
    "Errors": ("errors_daily", "error_messages"),
    "Sharing": ("permission_changes",),
}
DETAIL_QUERIES = ("app_info", "kpis", "cost_totals", "daily_active", "app_requests", "app_top_users",
                  "app_actions", "app_lifecycle")


def _period_row(frame: pd.DataFrame, period: str) -> dict[str, Any]:
    rows = frame[frame["period"] == period] if not frame.empty else frame
    return rows.iloc[0].to_dict() if len(rows) else {}


def kpis(usage: pd.DataFrame, cost: pd.DataFrame) -> list[Kpi]:
    """The KPI row with its change against the previous period of equal length.

    `usage` is app_usage/kpis, `cost` app_usage/cost_totals (one row per period each)."""
    cur, prev = _period_row(usage, "current"), _period_row(usage, "previous")

    def pair(key: str) -> tuple[float | None, float | None]:
        return cur.get(key), prev.get(key)

    def stickiness(row: dict[str, Any]) -> float | None:
        return row["dau"] / row["mau"] if row.get("mau") else None

    cost_by_period = cost.set_index("period")["cost_usd"] if not cost.empty else pd.Series(dtype=float)
    return [
        Kpi("Active apps", *pair("active_apps"), "int", "Apps with at least one sign-in in the period"),
        Kpi("Unique users", *pair("users"), "int", "People who signed in to any app in scope"),
        Kpi("Logins", *pair("logins"), "int", "Sign-ins (OAuth events of one sign-in count once)"),
        Kpi("DAU", *pair("dau"), "float", "Average daily active users over the period"),
        Kpi("WAU", *pair("wau"), "int", "Users active in the period's last 7 days"),
        Kpi("MAU", *pair("mau"), "int", "Users active in the period's last 30 days"),
        Kpi("Stickiness", stickiness(cur), stickiness(prev), "pct", "DAU / MAU: how often users come back"),
        Kpi("Cost", cost_by_period.get("current"), cost_by_period.get("previous"), "usd",
            "Apps compute at list price (system.billing.usage × list_prices)", higher_is_better=False),
    ]


def top_apps(usage: pd.DataFrame, cost: pd.DataFrame, measure: str, n: int = 15) -> pd.DataFrame:
    """Apps ranked by users, logins or cost (app_usage/cost_by_app joined by app name)."""
    current = cost[["app_name", "cost_usd"]] if not cost.empty else pd.DataFrame(columns=["app_name", "cost_usd"])
    merged = usage.merge(current, on="app_name", how="outer")
    merged[["users", "logins"]] = merged[["users", "logins"]].fillna(0).astype("int64")
    merged["cost_usd"] = merged["cost_usd"].astype("float64").fillna(0.0)
    return merged.sort_values([measure, "app_name"], ascending=[False, True]).head(n)


def latest_event(kpi_frame: pd.DataFrame):
    """The newest sign-in behind the numbers (for the page's "data as of" caption)."""
    if kpi_frame.empty or kpi_frame["latest_event"].isna().all():
        return None
    return pd.Timestamp(kpi_frame["latest_event"].max()).to_pydatetime()


SEGMENT_ORDER = ["power", "regular", "casual", "new"]


def segment_captions(filters: Filters) -> dict[str, str]:
    power, regular = segment_thresholds(filters)
    return {
        "power": f"active on ≥ {power} days of the period",
        "regular": f"active on {regular}–{power - 1} days",
        "casual": f"active on fewer than {regular} days",
        "new": f"first sign-in in the period (none in the {LOOKBACK_DAYS} days before)",
    }


def retention_matrix(cohorts: pd.DataFrame) -> pd.DataFrame:
    """Cohort × week-offset table of retained shares (0–1), cohorts as rows, sizes in a column."""
    if cohorts.empty:
        return pd.DataFrame()
    frame = cohorts.assign(share=100.0 * cohorts["users"] / cohorts["cohort_size"])
    table = frame.pivot_table(index="cohort_week", columns="week_offset", values="share")
    table.columns = [f"week {int(c)}" for c in table.columns]
    sizes = frame.groupby("cohort_week")["cohort_size"].max()
    return table.assign(users=sizes).reset_index()[["cohort_week", "users", *table.columns]]
