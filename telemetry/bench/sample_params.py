"""Example values for every query parameter name, relative to a data window.

One table shared by the benchmark and the two-engines test, so a new parameter name must be given
an example once (both fail loudly on a name they do not know).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from telemetry.bench import examples_activity, examples_journeys
from telemetry.traces.search import epoch_ns

Window = tuple[datetime, datetime]

_EXAMPLES: dict[str, Callable[[Window], Any]] = {
    "start_date": lambda w: (w[1] - timedelta(days=30)).date(),
    "job_names": lambda w: "",  # admin/job_runs: comma-separated job names ('' = any name)
    "job_ids": lambda w: "",  # admin/job_runs: comma-separated deployed job ids ('' = every job)
    "prefix": lambda w: "admin:",  # admin/audit_trail*: the tracker action prefix of admin actions
    "from_date": lambda w: (w[1] - timedelta(days=90)).date(),
    "login_actions": lambda w: "workspaceInHouseOAuthClientAuthentication,mintOAuthToken,mintOAuthAuthorizationCode",
    "excluded_client_ids": lambda w: "databricks-cli",
    "exclude_regex": lambda w: "^(qa-bot|test[._-])",
    "apps_service_name": lambda w: "apps",
    "lifecycle_actions": lambda w: "createApp,deployApp,startApp,stopApp,updateApp,deleteApp",
    "acl_action": lambda w: "changeAppsAcl",
    "power_min_days": lambda w: 12,
    "regular_min_days": lambda w: 4,
    "days": lambda w: 30,
    "end_date": lambda w: w[1].date(),
    "prev_start_date": lambda w: (w[1] - timedelta(days=60)).date(),
    "start_ts": lambda w: w[1] - timedelta(days=30),
    "end_ts": lambda w: w[1],
    "workspace_id": lambda w: "",
    "app_name": lambda w: "",
    "apps": lambda w: "",
    "space_id": lambda w: "",
    "exclude_service_principals": lambda w: True,
    "exclude_pattern": lambda w: "",
    "gap_minutes": lambda w: 30,
    "tz_offset_minutes": lambda w: 0,
    "limit": lambda w: 20,
    "since": lambda w: w[1] - timedelta(days=30),
    "discovered_at": lambda w: w[1],
    "snapshot_time": lambda w: w[1],
    "max_attempts": lambda w: 5,
    "run_started": lambda w: w[1] + timedelta(days=1),
    "genie_service_name": lambda w: "aibiGenie",
    "message_actions": lambda w: ("createConversationMessage,genieStartConversationMessage,"
                                  "genieCreateConversationMessage"),
    "feedback_action": lambda w: "updateConversationMessageFeedback",
    "comment_action": lambda w: "createConversationMessageComment",
    "failure_threshold": lambda w: 0.15,
    "baseline_factor": lambda w: 1.5,
    "min_messages": lambda w: 3,
    "min_failures": lambda w: 1,
    "content_scope": lambda w: "all",
    "viewer_email": lambda w: "",
    "search": lambda w: "",
    "status": lambda w: "",
    "user_email": lambda w: "",
    "feedback": lambda w: "",
    "problems_only": lambda w: False,
    "page": lambda w: 1,
    "page_size": lambda w: 50,
    "rephrase_minutes": lambda w: 5,
    "message_id": lambda w: "",
    "bucket": lambda w: "day",
    "genie_job_names": lambda w: "ops-console-genie-ingest,ops-console-genie-space-sync",
    "max_fetch_attempts": lambda w: 5,
    # Traces: span times are nanoseconds since the epoch (the OTel columns' own unit).
    "start_ns": lambda w: epoch_ns(w[1] - timedelta(days=30)),
    "end_ns": lambda w: epoch_ns(w[1]) + 1,
    "trace_id": lambda w: "",
    "span_id": lambda w: "",
    "service": lambda w: "",
    "span_name": lambda w: "",
    "min_ms": lambda w: 0.0,
    "max_ms": lambda w: 0.0,
    "attr_key_1": lambda w: "http.request.method",
    "attr_op_1": lambda w: "=",
    "attr_val_1": lambda w: "POST",
    "attr_num_1": lambda w: 0.0,
    "attr_is_num_1": lambda w: False,
    "attr_key_2": lambda w: "",
    "attr_op_2": lambda w: "=",
    "attr_val_2": lambda w: "",
    "attr_num_2": lambda w: 0.0,
    "attr_is_num_2": lambda w: False,
    "attr_key_3": lambda w: "",
    "attr_op_3": lambda w: "=",
    "attr_val_3": lambda w: "",
    "attr_num_3": lambda w: 0.0,
    "attr_is_num_3": lambda w: False,
    "attr_key_4": lambda w: "",
    "attr_op_4": lambda w: "=",
    "attr_val_4": lambda w: "",
    "attr_num_4": lambda w: 0.0,
    "attr_is_num_4": lambda w: False,
    "sort": lambda w: "start",
    "descending": lambda w: True,
    "after_key": lambda w: 0,
    "after_id": lambda w: "",
    "group_by": lambda w: "service",
    # Tracker: multi-valued filters are comma-joined ('' = all).
    "actions": lambda w: "",
    "exclude_users": lambda w: "",
    "user": lambda w: "",
    **examples_activity.EXAMPLES,
    **examples_journeys.EXAMPLES,
}



class UnknownParameter(KeyError):
    pass


def example(name: str, window: Window) -> Any:
    """An example value for parameter `name` over `window` (start, end)."""
    if name not in _EXAMPLES:
        raise UnknownParameter(f"no example value for parameter :{name}; "
                               "add one to telemetry/sample_params.py")
    return _EXAMPLES[name](window)


# Per-entity queries, by file name prefix → (the parameter, the page_samples key that fills it).
_PER_ENTITY = (("app_", "app_name", "app"), ("space_", "space_id", "space"), ("message_", "message_id", "message"),
               ("trace_", "trace_id", "trace"), ("span_", "trace_id", "trace"), ("user_", "user", "user"))


def examples_for(names: frozenset[str] | set[str], window: Window, *, samples: dict[str, str] | None = None,
                 query: str = "") -> dict[str, Any]:
    """Examples for `names`. Per-entity queries (`…/app_*`, `genie/space_*`, `genie/message_*`) get the
    busy example of `samples` (see `page_samples`); the others keep the all-of-them default, as the
    portfolio pages call them."""
    values = {name: example(name, window) for name in sorted(names)}
    base = query.rsplit("/", 1)[-1]
    for prefix, param, need in _PER_ENTITY:
        if param in values and base.startswith(prefix) and (samples or {}).get(need):
            values[param] = samples[need]
    return values


def busiest_app(engine) -> str:
    """The demo's most used app, so per-app queries run on real rows (needs the rollup)."""
    from telemetry import queries

    frame = queries.run("samples/busiest_app", engine=engine).frame
    return "" if frame.empty else str(frame["app_name"].iloc[0])


# What a page may need in its URL (PageSpec.needs) → the named query that picks a busy example.
_SAMPLE_QUERIES = {"app": "samples/busiest_app", "space": "samples/busiest_space", "message": "samples/sample_message",
                   "trace": "samples/sample_trace", "user": "samples/busiest_tracker_user"}


def page_samples(engine) -> dict[str, str]:
    """An example value for everything pages need (app, space, message), from the data on `engine`."""
    from telemetry import queries

    out = {}
    for need, name in _SAMPLE_QUERIES.items():
        frame = queries.run(name, engine=engine).frame
        if not frame.empty:
            out[need] = str(frame.iloc[0, 0])
    return out


def window_of_days(end: datetime, days: int) -> Window:
    return end - timedelta(days=days), end

