"""A warehouse console whose registered jobs are deployed to a fake Jobs API (the real databricks-sdk,
pointed at it through DATABRICKS_HOST / DATABRICKS_TOKEN with PAT auth, as the Apps runtime does)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from telemetry import identity, runtime
from tests.fakes import jobs_routes
from tests.fakes.server import FakeDatabricks

GENIE_JOB, APPS_JOB, MISSING_JOB = 123, 456, 789  # the genie bundle job, a forbidden one, one not in the workspace
ADMIN, VIEWER = "admin@corp.com", "viewer@corp.com"
TASKS = {GENIE_JOB: {"genie_messages_to_fetch", "genie_messages"}, APPS_JOB: {"apps_inventory", "app_logins_rollup"}}


@contextmanager
def deployed_console(monkeypatch, *, audit: bool = False, **job_ids: int) -> Iterator[tuple[FakeDatabricks,
                                                                                            jobs_routes.JobsWorkspace]]:
    """The fake workspace and its jobs; `job_ids` binds TELEMETRY_JOB_ID_<NAME> (default: the Genie
    and apps bundle jobs; genie-spaces and the sign-ins rollup are left undeployed)."""
    bound = job_ids or {"GENIE_MESSAGES_TO_FETCH": GENIE_JOB, "GENIE_MESSAGES": GENIE_JOB, "APPS_INVENTORY": APPS_JOB}
    with FakeDatabricks() as fake:
        ws = jobs_routes.install(fake, jobs_routes.JobsWorkspace(jobs={GENIE_JOB, APPS_JOB}, forbidden={APPS_JOB},
                                                                 tasks=TASKS))
        env = {"TELEMETRY_ENGINE": "warehouse", "DATABRICKS_WAREHOUSE_ID": "abc", "DATABRICKS_HOST": fake.url,
               "DATABRICKS_TOKEN": "fake-token", "DATABRICKS_AUTH_TYPE": "pat", "TELEMETRY_ADMINS": ADMIN,
               "TELEMETRY_TRUST_PROXY_HEADERS": "true", "TELEMETRY_ADMIN_AUDIT": "on" if audit else "off",
               **{f"TELEMETRY_JOB_ID_{name}": str(value) for name, value in bound.items()}}
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        runtime.use(None)
        yield fake, ws


def user(email: str) -> identity.User:
    """The user the Apps proxy would forward (through the one identity function)."""
    return identity.user_from_headers({"X-Forwarded-Email": email}, runtime.settings())


def no_warehouse(monkeypatch) -> None:
    """The console's SQL warehouse refuses connections at once (the Overview a test passes through on its
    way to the admin page would otherwise wait out the connector's retries against the fake host)."""
    from telemetry.engine.warehouse import WarehouseEngine
    from tests.engine.test_warehouse import FakeWarehouse

    fake = FakeWarehouse(connect_error=ConnectionRefusedError("no SQL warehouse in this test"))

    def from_settings(settings, **_):
        return WarehouseEngine(host="https://adb-1.azuredatabricks.net", http_path="/sql/1.0/warehouses/abc",
                               access_token="t", pool_size=1, connect=fake.connect)

    monkeypatch.setattr(WarehouseEngine, "from_settings", staticmethod(from_settings))
