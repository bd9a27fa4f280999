"""The admin audit: every admin action (trigger, cancel, repair, cache clear) recorded as a tracker event,
and the audit trail read back from the tracker table.

Events go through the tracker library (telemetry.admin.tracking's console tracker), under the
console's app name, with the action `admin:<what>` and the details as properties (job, parameters,
run id, outcome, message). Recording is on whenever TELEMETRY_ADMIN_AUDIT is, even with self-tracking
off, and never raises: an action is not undone because its audit line could not be written.

The trail reads the tracker table's `admin:%` actions. A table with the classic four columns
(timestamp, app_name, user, action) holds who, when and what only; the properties need the extended
layout (telemetry/tracker/layout.py), and the page says so.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd

from telemetry import queries, tracker
from telemetry.admin import generations, tracking
from telemetry.columns import Col, text, when
from telemetry.config import Settings
from telemetry.metrics.kpi import Kpi
from telemetry.tracker import layout

log = logging.getLogger(__name__)

PREFIX = "admin:"
JOB_TRIGGERED = "admin:job_triggered"
JOB_CANCELLED = "admin:job_cancelled"
JOB_REPAIRED = "admin:job_repaired"
CACHE_CLEARED = "admin:cache_cleared"
ACTIONS = (JOB_TRIGGERED, JOB_CANCELLED, JOB_REPAIRED, CACHE_CLEARED)
# Outcomes: the action was done, the user may not, the input was refused, or the backend failed.
OUTCOMES = ("done", "refused", "invalid", "failed")
TRAIL_DAYS = 90
TRAIL_ROWS = 500

CLASSIC_NOTE = ("The tracker table has the classic layout (timestamp, app_name, user, action): the trail shows who, "
                "when and what. Parameters, outcome and run ids are recorded as properties, which need the extended "
                "layout: add the columns event_id, session_id, properties, duration_ms (`python -m telemetry doctor` "
                "prints the ALTER TABLE).")
TRAIL = {"at": when("When (UTC)"), "user_email": text("Who"), "action": text("Action"), "job": text("Job"),
         "outcome": text("Outcome"), "run_id": text("Run"), "parameters": text("Parameters"),
         "message": text("Message")}


def record(user_email: str, action: str, *, outcome: str, **params: Any) -> None:
    """Record one admin action (a no-op when the audit is off; never raises). The trail's cached
    results are renewed (the tracker source's generation), so the page shows the action next."""
    try:
        if tracking.audit_on():
            tracker.track(action, user_email, outcome=outcome, **params)
            generations.bump("tracker")
    except Exception as err:  # noqa: BLE001 - the action happened; its audit line must not break the page
        log.warning("admin audit: could not record %s by %s: %s", action, user_email, err)


def layout_of(columns: dict[str, str] | None) -> layout.Layout:
    """The tracker table's layout from its columns (None: the table does not exist, nothing to show)."""
    return layout.detect(columns or {})


def extended(found: layout.Layout) -> bool:
    return "properties" in found.columns


def trail_request(found: layout.Layout, settings: Settings, today: date, days: int = TRAIL_DAYS) -> queries.Request:
    """The trail query of this layout (the extended one reads the properties too), from midnight `days`
    ago (a whole day, so the cache key holds for the day; a new action renews the entry anyway)."""
    name = "admin/audit_trail_extended" if extended(found) else "admin/audit_trail"
    start = datetime.combine(today - timedelta(days=days), time())
    return queries.request(name, {"app_name": settings.tracker.app_name, "prefix": PREFIX, "start_ts": start,
                                  "limit": TRAIL_ROWS})


def _properties(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, str) or not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _params_text(props: dict[str, Any]) -> str:
    params = props.get("params")
    if isinstance(params, dict):
        return ", ".join(f"{k}={v}" for k, v in sorted(params.items()))
    return ""


def trail(frame: pd.DataFrame) -> pd.DataFrame:
    """The trail rows: the properties (extended layout) spread into job, outcome, run and parameters."""
    if frame.empty or "properties" not in frame.columns:
        return frame
    props = frame["properties"].map(_properties)
    return frame.drop(columns=["properties"]).assign(
        job=props.map(lambda p: str(p.get("job") or p.get("source") or "")),
        outcome=props.map(lambda p: str(p.get("outcome") or "")),
        run_id=props.map(lambda p: "" if p.get("run_id") in (None, "") else str(p["run_id"])),
        parameters=props.map(_params_text),
        message=props.map(lambda p: str(p.get("message") or "")))


def preset(frame: pd.DataFrame) -> dict[str, Col]:
    """The columns this trail has (classic: who, when, what)."""
    return {k: v for k, v in TRAIL.items() if k in frame.columns}


def kpis(frame: pd.DataFrame) -> list[Kpi]:
    """Actions in the trail, the admins who took them, and (extended layout) those not done."""
    out = [Kpi("Admin actions", len(frame), help=f"Recorded in the last {TRAIL_DAYS} days (newest {TRAIL_ROWS})"),
           Kpi("Admins", frame["user_email"].nunique() if not frame.empty else 0, help="Who took them")]
    if "outcome" in frame.columns:
        out.append(Kpi("Refused or failed", int((frame["outcome"].isin(["refused", "invalid", "failed"])).sum()),
                       higher_is_better=False, help="Not allowed, invalid input, or the backend failed"))
    return out
