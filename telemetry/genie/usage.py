"""Genie pages (Summary, Spaces, Genie space, Quality, Adoption, Configuration): what each page
reads, with which parameters, and the KPI rows (pure functions over small frames, no Streamlit).

Counts of messages, conversations and users come from the audit log (every message, fetched or
not); outcomes (status, error type) from the messages the genie-messages job fetched; feedback
and review requests from the audit log; cost from billing and query history (genie/_space_cost).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd

from telemetry import personas, queries
from telemetry.config import Settings
from telemetry.genie import filters as genie_filters
from telemetry.genie.filters import GenieFilters
from telemetry.identity import User
from telemetry.metrics.kpi import Kpi

LOOKBACK_DAYS = 90  # "new" users: no Genie message in the 90 days before the period
BASELINE_FACTOR = 1.5  # Quality: a day is flagged at ≥ 1.5 × the space's own 7-day failure rate …
MIN_DAILY_MESSAGES = 10  # … with at least this many finished messages that day and in the baseline …
MIN_DAILY_FAILURES = 3  # … and at least this many failed that day (a few messages make a noisy rate)
TOP_USERS = 25

FILTER_QUERIES = ("workspaces_list",)  # the workspace picker's options
SPACE_FILTER_QUERIES = ("workspaces_list", "spaces_list")  # the per-space page validates ?space= too
SUMMARY_QUERIES = ("kpis", "cost_totals", "daily_activity", "daily_status")
SPACES_QUERIES = ("kpis", "cost_totals", "spaces_activity")
SPACE_QUERIES = ("space_info", "kpis", "cost_totals", "daily_activity", "daily_status", "top_users",
                 "error_types", "feedback_daily")
CONFIGURATION_QUERIES = ("configuration",)
QUALITY_VIEWS: dict[str, tuple[str, ...]] = {
    "Status": ("daily_status", "error_types"),
    "Failure spikes": ("failure_spikes", "failure_days"),
    "Latency": ("latency_daily", "latency_by_space"),
}
ADOPTION_VIEWS: dict[str, tuple[str, ...]] = {
    "Users": ("new_returning", "top_users"),
    "Retention": ("retention",),
    "Feedback": ("feedback_daily", "feedback_by_space"),
}
QUALITY_VIEW_NAMES, ADOPTION_VIEW_NAMES = tuple(QUALITY_VIEWS), tuple(ADOPTION_VIEWS)  # the registry's views=
HEADER_QUERIES = ("kpis",)

SUCCESS_RULE = ("Success rate: answered messages (COMPLETED, or QUERY_RESULT_EXPIRED: answered, the result "
                "expired since) ÷ messages with a final status, of the messages fetched from the Genie API.")
COST_RULE = ("Cost at list price: Genie's own billing rows (billing_origin_product GENIE, by "
             "usage_metadata.genie.agent_id) plus each space's share of its SQL warehouse's compute: the "
             "warehouse's SQL cost that day × the space's statements' task time ÷ all statements' task time "
             "on that warehouse (system.query.history, query_source.genie_space_id).")


def spike_rule(settings: Settings) -> str:
    """The Quality page's flag rule, in words, with the configured threshold."""
    return (f"A space's day is flagged when its failure rate is above "
            f"{settings.genie.failure_rate_threshold:.0%} (TELEMETRY_GENIE_FAILURE_THRESHOLD) and at least "
            f"{BASELINE_FACTOR:g}× its own failure rate over the 7 days before, with at least "
            f"{MIN_DAILY_FAILURES} failed of at least {MIN_DAILY_MESSAGES} finished messages that day and at least "
            f"{MIN_DAILY_MESSAGES} finished in those 7 days.")


def extra_params(filters: GenieFilters, settings: Settings) -> dict[str, Any]:
    """Parameters of these pages beyond the shared Genie ones (history window, spike rule, top N)."""
    return {
        "from_date": min(filters.previous_start, filters.start - timedelta(days=LOOKBACK_DAYS)),
        "failure_threshold": settings.genie.failure_rate_threshold, "baseline_factor": BASELINE_FACTOR,
        "min_messages": MIN_DAILY_MESSAGES, "min_failures": MIN_DAILY_FAILURES, "limit": TOP_USERS,
    }


def requests(names: tuple[str, ...], filters: GenieFilters, settings: Settings) -> dict[str, queries.Request]:
    """Requests by short name for `ui.start` (independent of each other, so they start together)."""
    return genie_filters.requests(names, filters, settings, **extra_params(filters, settings))


def owned_requests(user: User) -> dict[str, queries.Request]:
    """The spaces `user` created, for Genie spaces' "Your spaces" panel: {} unless they hold the Genie space
    owner persona (everyone else's page runs no extra query)."""
    if personas.GENIE_OWNER not in user.personas:
        return {}
    return {"owned_spaces": queries.request("genie/owned_spaces", {"user_email": user.email.strip().lower()})}


def filter_requests(names: tuple[str, ...] = FILTER_QUERIES) -> dict[str, queries.Request]:
    """The filter options: they take no parameters, and the filters wait for them."""
    full = {"workspaces_list": "app_usage/workspaces_list", "spaces_list": "genie/spaces_list"}
    return {name: queries.request(full[name], {}) for name in names}


def _period(frame: pd.DataFrame, period: str) -> dict[str, Any]:
    rows = frame[frame["period"] == period] if not frame.empty else frame
    return rows.iloc[0].to_dict() if len(rows) else {}


def _ratio(row: dict[str, Any], num: str, den: str) -> float | None:
    top, bottom = row.get(num), row.get(den)
    return None if top is None or not bottom else float(top) / float(bottom)


def all_kpis(kpi_frame: pd.DataFrame, cost: pd.DataFrame | None = None) -> dict[str, Kpi]:
    """Every Genie KPI by label, each with its previous-period value (genie/kpis, genie/cost_totals)."""
    cur, prev = _period(kpi_frame, "current"), _period(kpi_frame, "previous")
    cost = pd.DataFrame() if cost is None else cost
    cost_cur, cost_prev = _period(cost, "current"), _period(cost, "previous")

    def count(label: str, key: str, help: str, better: bool = True) -> Kpi:
        return Kpi(label, cur.get(key), prev.get(key), "int", help, higher_is_better=better)

    def ratio(label: str, num: str, den: str, fmt: str, help: str, better: bool = True) -> Kpi:
        return Kpi(label, _ratio(cur, num, den), _ratio(prev, num, den), fmt, help, higher_is_better=better)

    kpis = [
        count("Messages", "messages", "Questions asked (message-creating audit events: UI and API)"),
        count("Conversations", "conversations", "Conversations with at least one message in the period"),
        count("Users", "users", "People (and service principals) who asked Genie something"),
        count("Active spaces", "active_spaces", "Spaces with at least one message"),
        ratio("Success rate", "succeeded", "finished", "pct", SUCCESS_RULE),
        ratio("Positive feedback", "positive_feedback", "feedback_given", "pct",
              "Thumbs-up ÷ rated messages (each message's latest rating)"),
        Kpi("Cost", cost_cur.get("cost_usd"), cost_prev.get("cost_usd"), "usd", COST_RULE, higher_is_better=False),
        count("Failed messages", "failed", "Fetched messages with status FAILED", better=False),
        ratio("Failure rate", "failed", "finished", "pct", "FAILED ÷ messages with a final status", better=False),
        ratio("Messages per conversation", "messages", "conversations", "float",
              "1 + follow-ups: how far people take a conversation"),
        ratio("Conversations per user", "conversations", "users", "float", "How often each user comes back"),
        ratio("Messages per user", "messages", "users", "float", "Questions per active user"),
        count("Review requests", "review_requests", "Messages sent to the space's editors for review"),
    ]
    return {kpi.label: kpi for kpi in kpis}


def kpi_row(labels: tuple[str, ...], kpi_frame: pd.DataFrame, cost: pd.DataFrame | None = None) -> list[Kpi]:
    """The KPIs named `labels`, in that order (each page shows its own selection; Cost needs `cost`)."""
    every = all_kpis(kpi_frame, cost)
    return [every[label] for label in labels]


SUMMARY_KPIS = ("Messages", "Conversations", "Users", "Active spaces", "Success rate", "Positive feedback", "Cost")
SPACES_KPIS = ("Active spaces", "Messages per conversation", "Conversations per user", "Cost")
SPACE_KPIS = ("Messages", "Conversations", "Users", "Success rate", "Positive feedback", "Review requests", "Cost")
QUALITY_KPIS = ("Success rate", "Failure rate", "Failed messages", "Positive feedback")
ADOPTION_KPIS = ("Users", "Messages per user", "Positive feedback", "Review requests")


def latest_event(kpi_frame: pd.DataFrame):
    """The newest message behind the numbers (for the page's "data as of" caption)."""
    if kpi_frame.empty or kpi_frame["latest_event"].isna().all():
        return None
    return pd.Timestamp(kpi_frame["latest_event"].max()).to_pydatetime()


def known_space(asked: str, choices: dict[str, str]) -> bool:
    """Whether a `?space=` value may be used: empty (none asked) or a space the console knows.
    Anything else (a typo, a deleted id, a crafted value) is refused before it reaches a query."""
    return asked == "" or asked in choices
