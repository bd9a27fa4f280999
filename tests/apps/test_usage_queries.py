"""App-usage queries against small hand-built tables whose answers are known by construction.

The tables are created with the mirror's DDL (same columns and nested types as Databricks), filled
with a handful of rows, and queried through the production path (named query → translate → DuckDB).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import pytest

from telemetry import queries
from telemetry.apps import rollups
from telemetry.apps import usage as app_usage
from telemetry.config import load_settings
from telemetry.engine.dialect import mirror_table_name
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.mirror.schema import create_table_sql

D0 = date(2026, 11, 2)  # a Monday
START, END = D0, D0 + timedelta(days=13)  # two full weeks
APP_A, APP_B = ("sales-hub", "cid-a"), ("ops-bot", "cid-b")
KEYS = ("audit", "workspaces", "apps_inventory", "tracker", "billing_usage", "list_prices", "spans")


def ts(day: int, hour: int = 10, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(D0, datetime.min.time()) + timedelta(days=day, hours=hour, minutes=minute,
                                                                  seconds=second)


class Db:
    """A DuckDB file with empty mirror tables and helpers to add rows."""

    def __init__(self, path):
        self.settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(path)})
        self.con = duckdb.connect(str(path))
        for key in KEYS:
            schema = mirror_table_name(self.settings.table(key)).rsplit(".", 1)[0]
            self.con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            self.con.execute(create_table_sql(key, self.settings.table(key)))
        for name, cid in (APP_A, APP_B):
            self.con.execute("INSERT INTO main__ops_console.apps_inventory (workspace_id, name, oauth2_app_client_id)"
                             " VALUES ('ws1', ?, ?)", [name, cid])
        self.con.execute("INSERT INTO system__access.workspaces_latest (workspace_id, workspace_name) "
                         "VALUES ('ws1', 'prod')")

    def login(self, user: str, app=APP_A, at: datetime | None = None, status: int = 200,
              actions=("mintOAuthAuthorizationCode", "mintOAuthToken")) -> None:
        """One sign-in: the OAuth events of one authorization, a second apart."""
        at = at or ts(0)
        for i, action in enumerate(actions):
            self.audit("accounts", action, user, {"client_id": app[1]}, at + timedelta(seconds=i), status)

    def audit(self, service, action, user, params, at, status=200, error=None) -> None:
        self.con.execute(
            "INSERT INTO system__access.audit (workspace_id, event_time, event_date, service_name, action_name,"
            " user_identity, request_params, response) VALUES ('ws1', ?, ?, ?, ?, {'email': ?, 'subject_name': NULL},"
            " MAP(?, ?), {'status_code': ?, 'error_message': ?, 'result': NULL})",
            [at, at.date(), service, action, user, list(params), list(params.values()), status, error])

    def track(self, user: str, action: str, at: datetime, app=APP_A) -> None:
        self.con.execute('INSERT INTO main__ops_console.app_events ("timestamp", app_name, "user", action) '
                         "VALUES (?, ?, ?, ?)", [at, app[0], user, action])

    def run(self, name: str, **overrides):
        self.con.close()
        writer = EmbeddedEngine(self.settings.embedded_path, read_only=False)
        rollups.refresh(writer, self.settings, days=60, end_date=END)  # what the rollup job does
        writer.close()
        engine = EmbeddedEngine(self.settings.embedded_path)
        filters = app_usage.Filters(START, END, **overrides)
        try:
            return queries.run(name, engine=engine, settings=self.settings,
                               **app_usage.params(name, filters, self.settings)).frame
        finally:
            engine.close()
            self.con = duckdb.connect(str(self.settings.embedded_path))


@pytest.fixture()
def db(tmp_path):
    database = Db(tmp_path / "hand.duckdb")
    yield database
    database.con.close()


def test_daily_active_users_count_people_not_oauth_events(db):
    db.login("ann@corp.com", at=ts(0, 9))
    db.login("ann@corp.com", at=ts(0, 15))  # second sign-in the same day: one user, two logins
    db.login("bob@corp.com", at=ts(0, 11), actions=("mintOAuthAuthorizationCode", "mintOAuthToken",
                                                    "workspaceInHouseOAuthClientAuthentication"))
    db.login("ann@corp.com", at=ts(2, 9))
    db.login("cli@corp.com", app=("cli", "databricks-cli"), at=ts(2, 9))  # not an app
    db.login("eve@corp.com", at=ts(2, 9), status=401)  # failed sign-in is not activity
    daily = db.run("app_usage/daily_active").set_index("day")
    assert daily.loc[D0, ["dau", "logins"]].tolist() == [2, 3]
    assert daily.loc[D0 + timedelta(days=1), ["dau", "logins"]].tolist() == [0, 0]  # empty days are rows
    assert daily.loc[D0 + timedelta(days=2), ["dau", "logins"]].tolist() == [1, 1]


def test_service_principals_and_internal_accounts_are_excluded_on_request(db):
    db.login("ann@corp.com")
    db.login("5f1e0c4a-1111-2222-3333-444455556666")  # a service principal (application id)
    db.login("qa-bot@corp.com")
    assert db.run("app_usage/kpis").set_index("period").loc["current", "users"] == 1
    everyone = db.run("app_usage/kpis", exclude_service_principals=False, exclude_internal=False)
    assert everyone.set_index("period").loc["current", "users"] == 3


def test_kpis_compare_equal_length_periods_and_give_stickiness_inputs(db):
    for day in range(14):  # ann: every day of the current period
        db.login("ann@corp.com", at=ts(day))
    db.login("bob@corp.com", at=ts(13))
    db.login("old@corp.com", at=ts(-3))  # previous period (the 14 days before START)
    db.login("older@corp.com", at=ts(-40))  # history, in neither period
    k = db.run("app_usage/kpis").set_index("period")
    assert k.loc["current", ["users", "logins", "active_apps", "wau", "mau"]].tolist() == [2, 15, 1, 2, 2]
    assert k.loc["current", "dau"] == pytest.approx(15 / 14)
    assert k.loc["previous", ["users", "logins"]].tolist() == [1, 1]
    costs = [("sales-hub", D0 - timedelta(days=3), 2.0), ("sales-hub", D0 - timedelta(days=40), 5.0),
             ("sales-hub", D0 + timedelta(days=1), 3.0)]
    for app, day, dbus in costs:
        db.con.execute("INSERT INTO system__billing.usage (workspace_id, sku_name, cloud, usage_unit, usage_date,"
                       " usage_start_time, usage_quantity, billing_origin_product, usage_metadata)"
                       " VALUES ('ws1', 'APPS', 'AWS', 'DBU', ?, ?, ?, 'APPS', {'app_name': ?})",
                       [day, day, dbus, app])
    db.con.execute("INSERT INTO system__billing.list_prices (sku_name, cloud, usage_unit, price_start_time, pricing)"
                   " VALUES ('APPS', 'AWS', 'DBU', TIMESTAMP '2020-01-01', {'default': 0.5})")
    cost = db.run("app_usage/cost_totals").set_index("period")["cost_usd"].to_dict()
    assert cost == {"current": pytest.approx(1.5), "previous": pytest.approx(1.0)}
    per_app = db.run("app_usage/cost_by_app").set_index("app_name")["cost_usd"].to_dict()
    assert per_app == {"sales-hub": pytest.approx(1.5)}
    stickiness = next(x for x in app_usage.kpis(k.reset_index(), db.run("app_usage/cost_totals"))
                      if x.label == "Stickiness")
    assert stickiness.value == pytest.approx((15 / 14) / 2)


def test_weekly_retention_cohorts(db):
    db.login("early@corp.com", at=ts(-7))  # the first week of data: no cohort (it mixes in old users)
    for user in ("a@corp.com", "b@corp.com", "c@corp.com"):
        db.login(user, at=ts(0))  # cohort of week 0: three users
    db.login("a@corp.com", at=ts(8))  # a comes back in week 1
    db.login("d@corp.com", at=ts(9))  # cohort of week 1: one user
    r = db.run("app_usage/retention")
    got = {(row.cohort_week, row.week_offset): (row.users, row.cohort_size) for row in r.itertuples()}
    assert got == {(D0, 0): (3, 3), (D0, 1): (1, 3), (D0 + timedelta(days=7), 0): (1, 1)}
    matrix = app_usage.retention_matrix(r)
    assert matrix.loc[0, "week 1"] == pytest.approx(100 / 3)


def test_sessions_split_on_the_inactivity_gap(db):
    db.login("ann@corp.com", at=ts(0, 9, 0))
    db.track("ann@corp.com", "question", ts(0, 9, 10))
    db.track("ann@corp.com", "query_executed", ts(0, 9, 20))  # session 1: 20 minutes
    db.track("ann@corp.com", "question", ts(0, 10, 30))  # 70 min later: session 2 (single event)
    db.login("bob@corp.com", at=ts(1, 9))  # session 3: a lone sign-in
    result = db.run("app_usage/sessions")
    summary = result.iloc[0]
    assert (summary["total_sessions"], summary["users"]) == (3, 2)
    assert summary["sessions_per_user"] == pytest.approx(1.5)
    assert summary["median_minutes"] == pytest.approx(20.0)
    buckets = result.set_index("bucket")["sessions"].to_dict()
    assert buckets == {"single event": 2, "15–30 min": 1}
    longer_gap = db.run("app_usage/sessions", gap_minutes=90).iloc[0]
    assert longer_gap["total_sessions"] == 2


def test_segments_use_active_days_and_first_sign_in(db):
    for day in (-20, *range(0, 14)):  # seen before the period, so not "new"
        db.login("power@corp.com", at=ts(day))
    for day in (0, 3, 6, 9):
        db.login("regular@corp.com", at=ts(day))
    db.login("regular@corp.com", at=ts(-20))
    db.login("casual@corp.com", at=ts(-20))
    db.login("casual@corp.com", at=ts(5))
    db.login("newbie@corp.com", at=ts(12))
    power, regular = app_usage.segment_thresholds(app_usage.Filters(START, END))
    assert (power, regular) == (6, 2)  # 12 and 4 active days per 30, scaled to 14 days
    seg = db.run("app_usage/segments").set_index("segment")["users"].to_dict()
    assert seg == {"power": 1, "regular": 1, "casual": 1, "new": 1}


def test_permission_changes_explode_the_acl(db):
    acl = ('[{"user_name": "ann@corp.com", "permission_level": "CAN_MANAGE"},'
           ' {"group_name": "analysts", "permission_level": "CAN_USE"}]')
    db.audit("apps", "changeAppsAcl", "owner@corp.com", {"request_object_type": "apps",
             "request_object_id": APP_A[0], "access_control_list": acl}, ts(1))
    rows = db.run("app_usage/permission_changes").sort_values("principal")
    assert rows[["principal", "principal_type", "permission_level"]].values.tolist() == [
        ["analysts", "group", "CAN_USE"], ["ann@corp.com", "user", "CAN_MANAGE"]]
    assert set(rows["changed_by"]) == {"owner@corp.com"}


def test_failed_deployments_and_sign_ins_are_errors_with_messages(db):
    db.audit("apps", "deployApp", "dev@corp.com", {"app_name": APP_A[0]}, ts(1), 400, "ModuleNotFoundError: plotly")
    db.audit("apps", "deployApp", "dev@corp.com", {"app_name": APP_A[0]}, ts(1, 11), 200)
    db.login("eve@corp.com", at=ts(2), status=403)
    errors = db.run("app_usage/errors_daily")
    assert {(r.day, r.kind, r.errors) for r in errors.itertuples()} == {
        (D0 + timedelta(days=1), "deployment", 1), (D0 + timedelta(days=2), "login", 1)}  # one failed sign-in
    messages = db.run("app_usage/error_messages")
    assert "ModuleNotFoundError: plotly" in set(messages["message"])


def test_app_filter_limits_every_number_to_one_app(db):
    db.login("ann@corp.com", app=APP_A)
    db.login("bob@corp.com", app=APP_B)
    db.login("cat@corp.com", app=APP_B)
    top = db.run("app_usage/top_apps").set_index("app_name")["users"].to_dict()
    assert top == {"sales-hub": 1, "ops-bot": 2}
    only_b = db.run("app_usage/kpis", app_name="ops-bot").set_index("period")
    assert only_b.loc["current", "users"] == 2
