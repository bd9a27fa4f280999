"""Job apps-inventory: the workspace's Databricks Apps, from the Apps API, into the apps inventory.

App usage resolves sign-ins (OAuth events carrying a client id) to apps through this table, so it
runs before the sign-ins rollup (chained in the bundle). One run lists every app (all pages of
`GET /api/2.0/apps`), merges them by workspace and name with this run's snapshot_time, then marks the
workspace's apps the list no longer has as deleted (kept, not dropped: past sign-ins keep a name).

The pages are read as JSON through the SDK's API client (the same auth, retries and `Retry-After`
handling as `w.apps.list()`, which follows the same pages) rather than as `App` dataclasses: the
SDK turns an enum value it does not know (a new compute state) into None and raises on a malformed
field mid-iteration, while the inventory must store unknown values as text and skip only the one
bad item. A listing that fails part-way writes nothing, so a flaky page never marks apps deleted.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from telemetry import queries
from telemetry.jobs import error_line, tables
from telemetry.jobs.registry import Job, JobContext, JobError, JobReport, Param

TABLE = "apps_inventory"
MERGE = "apps_jobs/merge_apps_inventory"
MARK_DELETED = "apps_jobs/mark_deleted_apps"
COUNTS = "apps_jobs/inventory_run_counts"
LIST_PATH = "/api/2.0/apps"
MAX_PAGES = 10_000  # a server that keeps returning new page tokens must not loop forever
RUN_COMMAND = "python -m telemetry jobs run apps-inventory"
EMPTY_INVENTORY = (f"The apps inventory is empty, so no sign-in can be tied to an app yet. Run `{RUN_COMMAND}` "
                   "(the bundle runs it hourly, before the sign-ins rollup), then reload this page.")


def empty_message(apps_list: pd.DataFrame) -> str:
    """What App usage says instead of zeros when no app is known at all ("" when some are)."""
    return EMPTY_INVENTORY if apps_list.empty else ""


def unknown_apps_note(apps_list: pd.DataFrame) -> str:
    """A line for the filter bar when sign-ins are shown under OAuth client ids ("" when none are):
    app_usage/apps_list gives the rollup's unknown clients app_state 'UNKNOWN'."""
    unknown = int((apps_list["app_state"] == "UNKNOWN").sum()) if not apps_list.empty else 0
    if not unknown:
        return ""
    if unknown == len(apps_list):
        return (f"The apps inventory is empty, so sign-ins show under their OAuth client ids. Run `{RUN_COMMAND}` "
                "to name the apps.")
    return (f"{unknown} OAuth client(s) signed in that the apps inventory does not know yet; they show as "
            f"'unknown app (client …)' until `{RUN_COMMAND}` runs again.")


def list_apps(w: Any, page_size: int) -> list[Any]:
    """Every item of every page of the Apps API list (JobError if the listing fails or is malformed)."""
    items: list[Any] = []
    query: dict[str, Any] = {"page_size": page_size}
    for _ in range(MAX_PAGES):
        try:
            page = w.api_client.do("GET", LIST_PATH, query=query, headers={"Accept": "application/json"})
        except (OSError, ValueError) as err:  # DatabricksError, timeouts, connection and JSON errors
            raise JobError(_listing_error(err, len(items))) from None
        if not isinstance(page, dict) or not isinstance(page.get("apps", []), list):
            raise JobError(f"the Apps API returned a malformed page (after {len(items)} apps): expected "
                           "an object with an `apps` list; nothing was written")
        items += page.get("apps", [])
        token = page.get("next_page_token")
        if not token or token == query.get("page_token"):
            return items
        query["page_token"] = token
    raise JobError(f"the Apps API kept returning pages ({MAX_PAGES:,}); nothing was written")


def _listing_error(err: Exception, listed: int) -> str:
    from databricks.sdk.errors import PermissionDenied, Unauthenticated

    text = error_line(err)
    if isinstance(err, PermissionDenied | Unauthenticated):
        return (f"the job's identity may not list apps ({text}): run it as a workspace admin or a service "
                "principal that can see every app; nothing was written")
    return f"listing apps failed after {listed} apps: {text}; nothing was written (the next run retries)"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else str(value) if isinstance(value, int | float) else None


def _time(value: Any) -> datetime | None:
    """An API timestamp (ISO 8601, usually with Z) as naive UTC; None if missing or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def _dict(item: dict, key: str) -> dict:
    value = item.get(key)
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def _deployment(item: dict) -> dict:
    """The app's latest deployment: the pending one (in progress) if any, else the active one."""
    return _dict(item, "pending_deployment") or _dict(item, "active_deployment")


def app_row(item: Any, workspace_id: str, snapshot: datetime) -> dict[str, Any] | None:
    """One apps_inventory row from one App JSON object; None when it has no name (it cannot merge).

    Missing keys become NULL; enum values (states, sizes) are kept as the text the API sent."""
    if not isinstance(item, dict) or not _text(item.get("name")):
        return None
    deployment = _deployment(item)
    creator = _text(item.get("creator"))
    resources = item.get("resources")
    return {
        "workspace_id": workspace_id, "app_id": _text(item.get("id")), "name": _text(item["name"]),
        "description": _text(item.get("description")), "creator": creator,
        "owners": [creator] if creator else [],  # the list has no ACL; the creator owns an app at first
        "oauth2_app_client_id": _text(item.get("oauth2_app_client_id")),
        "service_principal_id": _int(item.get("service_principal_id")),
        "service_principal_client_id": _text(item.get("service_principal_client_id")),
        "service_principal_name": _text(item.get("service_principal_name")),
        "url": _text(item.get("url")), "compute_size": _text(item.get("compute_size")),
        "compute_state": _text(_dict(item, "compute_status").get("state")),
        "app_state": _text(_dict(item, "app_status").get("state")),
        "create_time": _time(item.get("create_time")), "update_time": _time(item.get("update_time")),
        "updater": _text(item.get("updater")),
        "resources": json.dumps(resources, sort_keys=True) if isinstance(resources, list) else None,
        "last_deployment_id": _text(deployment.get("deployment_id")),
        "last_deployment_status": _text(_dict(deployment, "status").get("state")),
        "last_deployment_time": _time(deployment.get("update_time")) or _time(deployment.get("create_time")),
        "snapshot_time": snapshot, "deleted_time": None,
    }


def _workspace_id(w: Any) -> str:
    try:
        return str(w.get_workspace_id())
    except (OSError, ValueError, KeyError) as err:
        raise JobError(f"cannot tell which workspace the client is signed in to ({error_line(err)}); "
                       "nothing was written") from None


def run(context: JobContext, params: dict[str, Any]) -> JobReport:
    """List every app, merge them, mark the vanished ones deleted; count what was skipped."""
    w = context.workspace()
    workspace_id = _workspace_id(w)
    items = list_apps(w, params["page_size"])
    snapshot = context.now().replace(microsecond=0)
    rows = [row for item in items if (row := app_row(item, workspace_id, snapshot))]
    by_name = {row["name"]: row for row in rows}  # a name listed twice (paging overlap) merges once
    engine, settings = context.engine, context.settings
    tables.ensure_tables(engine, settings, TABLE)
    tables.merge_rows(engine, settings, MERGE, list(by_name.values()))
    times = {"workspace_id": workspace_id, "snapshot_time": snapshot}
    queries.run(MARK_DELETED, engine=engine, settings=settings, **times)
    counts = queries.run(COUNTS, engine=engine, settings=settings, **times).frame.iloc[0]
    notes = [f"workspace {workspace_id}", f"{int(counts['deleted'])} newly deleted",
             f"{int(counts['kept_deleted'])} deleted kept"]
    if len(rows) < len(items):
        notes.append(f"{len(items) - len(rows)} items without a name skipped")
    return JobReport(read=len(items), written=len(by_name), skipped=len(items) - len(by_name), notes=notes)


JOB = Job(
    name="apps-inventory",
    description="List the workspace's Databricks Apps (Apps API, every page) into the apps inventory, merged "
                "by name; apps that disappeared are marked deleted, not dropped. Run it before the sign-ins rollup.",
    run=run,
    params=(Param("page_size", int, 100, "apps per Apps API page", 1, 1000),),
    reads=("api:apps",),
    writes=(TABLE,),
)
