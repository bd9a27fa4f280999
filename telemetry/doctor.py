"""`python -m telemetry doctor`: configuration, connectivity and every source table, with fixes."""

from __future__ import annotations

from concurrent.futures import Future

from telemetry import health, queries, runtime
from telemetry.config import TABLE_SPECS, Settings, describe
from telemetry.engine.base import QueryError
from telemetry.formatting import compact, hours

OK, WARN, FAIL = "ok  ", "warn", "FAIL"


def _fix_for(settings: Settings, spec_key: str, env: str) -> str:
    if settings.engine == "embedded":
        return "run `python -m telemetry demo` to rebuild the demo database"
    return f"grant SELECT on it to the app's principal, or point {env} at the right table"


def check_connectivity(settings: Settings) -> bool:
    try:
        runtime.engine().run("SELECT 1 AS ok", query="connectivity")
    except QueryError as err:
        print(f"[{FAIL}] engine {settings.engine}: {err.cause}")
        return False
    print(f"[{OK}] engine {settings.engine} answers")
    return True


def _columns_outcome(future: Future[list[str] | None]) -> tuple[list[str] | None, str]:
    """(missing columns, why unknown): a failed column lookup reads as "table not found" plus its cause."""
    try:
        return future.result(), ""
    except QueryError as err:
        return None, err.cause


def check_tables(settings: Settings) -> int:
    """One line per source: presence, columns against the reference schema, freshness.

    The fifteen column lookups and the fifteen health checks are started together in the shared
    bounded pool: on a warehouse that is one round trip's wait, not thirty.
    """
    from telemetry.mirror.schema import DATABRICKS_SCHEMAS

    problems = 0
    engine = runtime.engine()
    columns = health.start_missing_columns(engine, settings, DATABRICKS_SCHEMAS)
    sources = health.all_sources(settings, lambda name: queries.run(name, engine=engine, settings=settings))
    for spec, src in zip(TABLE_SPECS, sources, strict=True):
        missing, cause = _columns_outcome(columns[spec.key])
        if src.status in ("missing", "error") or missing is None:
            problems += 1
            print(f"[{FAIL}] {spec.key:<24} {src.table}: {src.message or cause or 'not found'}\n"
                  f"       fix: {_fix_for(settings, spec.key, spec.env)}")
            continue
        level = OK if src.status == "ok" and not missing else WARN
        problems += level != OK
        detail = f"{compact(src.row_count)} rows, newest {hours(src.age_hours)} old"
        if missing:
            detail += f"; missing columns: {', '.join(missing)} (queries reading them will fail)"
        if src.status in ("stale", "empty"):
            detail += f"; {src.message}"
        print(f"[{level}] {spec.key:<24} {src.table}: {detail}")
    return problems


def check_app_actions(settings: Settings, days: int = 30) -> int:
    """List the app-related audit actions really present, and flag configured names never seen.

    Apps audit names are partly unverified upstream (see README), so the configuration is checked
    against the workspace's own audit log instead of being trusted.
    """
    try:
        found = queries.run("doctor/app_actions", days=days).frame
    except QueryError as err:
        print(f"[{WARN}] could not list app audit actions: {err.cause}")
        return 1
    for row in found.itertuples():
        print(f"  {row.service_name:<10} {row.action_name:<44} {row.events:>9,}  keys: {row.param_keys}")
    present = set(found["action_name"])
    configured = {"TELEMETRY_APP_LOGIN_ACTIONS": settings.apps.login_actions,
                  "TELEMETRY_APP_LIFECYCLE_ACTIONS": settings.apps.lifecycle_actions,
                  "TELEMETRY_APPS_ACL_ACTION": (settings.apps.acl_action,)}
    problems = 0
    for variable, names in configured.items():
        missing = [n for n in names if n not in present]
        if missing:  # a rare action (deleteApp) may just not have happened; none at all is a wrong name
            problems += len(missing) == len(names)
            level = FAIL if len(missing) == len(names) else WARN
            print(f"[{level}] {variable}: not seen in the last {days} days: {', '.join(missing)}")
    return problems


def check_span_layout(settings: Settings) -> int:
    """Say which layout the span table has, and whether TELEMETRY_SPANS_LAYOUT matches it."""
    from telemetry.traces import layouts

    try:
        columns = runtime.engine().table_columns(settings.table("spans"))
    except QueryError as err:
        print(f"[{WARN}] spans: could not read the columns of {settings.table('spans')}: {err.cause}")
        return 1
    fine, line = layouts.verdict(columns, settings.traces.layout)
    print(f"[{OK if fine else WARN}] spans layout: {line}")
    return 0 if fine else 1


def check_tracker_layout(settings: Settings) -> int:
    """Say which tracker layout the table has (classic four columns or extended), and how to extend it."""
    from telemetry.tracker import layout

    table = settings.table("tracker")
    try:
        columns = runtime.engine().table_columns(table)
    except QueryError as err:
        print(f"[{WARN}] tracker: could not read the columns of {table}: {err.cause}")
        return 1
    if columns is None:
        print(f"[{WARN}] tracker layout: {table} not found (the tracker library creates nothing; create it "
              "with the four classic columns, or the extended eight)")
        return 1
    found = layout.detect(columns)
    print(f"[{OK if found.usable else FAIL}] tracker layout: {layout.describe(found)}")
    if upgrade := layout.upgrade_statement(table, found):
        print(f"       to extend it: {upgrade}")
    return 0 if found.usable else 1


def run_doctor(settings: Settings) -> int:
    print("Configuration")
    for key, value in describe(settings):
        print(f"  {key:<28} {value}")
    print("\nConnectivity")
    if not check_connectivity(settings):
        print("\nFix the connection first: set DATABRICKS_HOST and credentials (or a profile), and "
              "DATABRICKS_WAREHOUSE_ID; the app's principal needs CAN USE on the warehouse.")
        return 1
    print("\nSource tables")
    problems = check_tables(settings)
    problems += check_span_layout(settings)
    problems += check_tracker_layout(settings)
    print("\nApp-related audit actions (last 30 days)")
    problems += check_app_actions(settings)
    print(f"\n{'All checks passed.' if not problems else f'{problems} problem(s) found.'}")
    return 1 if problems else 0
