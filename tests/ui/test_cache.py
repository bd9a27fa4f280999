"""The process-wide query cache with per-user tokens: two users never share a result, the token is in
no cache key, and concurrent askers of one query share one execution.

With TELEMETRY_USE_USER_TOKEN on a warehouse every query runs with the signed-in user's forwarded
token, so Unity Catalog may answer each user differently. The cache is process-wide (every session),
so its key must carry the user and never the token.

Seams: `telemetry.ui.session.request_headers` (the headers a trusted proxy forwarded) and, because
the real `WarehouseEngine.from_settings` builds an SDK Config (which asks the workspace host for its
metadata over the network), `WarehouseEngine.from_settings` itself, replaced by the real engine
class built on a fake DB-API connector whose answer depends on the token it was opened with.
"""

from __future__ import annotations

import inspect
import threading
import time

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from telemetry import queries, runtime
from telemetry.engine.warehouse import WarehouseEngine
from telemetry.ui import cache, session
from tests.engine.test_warehouse import FakeWarehouse

USERS = {"a@corp.com": "token-of-a-0123456789abcdef", "b@corp.com": "token-of-b-fedcba9876543210"}
REQUEST = queries.Request("app_usage/app_info", {"app_name": "billing-app"})


class PerTokenWarehouse:
    """A fake connector: a connection answers with one row naming the user whose token opened it."""

    def __init__(self) -> None:
        owner = {token: email for email, token in USERS.items()}
        self.warehouses = {token: FakeWarehouse(pa.table({"who": [owner[token]]})) for token in owner}

    def connect(self, **kwargs):
        return self.warehouses[kwargs["access_token"]].connect(**kwargs)

    def executions(self, email: str) -> list[tuple[str, dict]]:
        """The page's statements run with `email`'s token: not the session's SET statements, nor the
        ownership lookups identity makes once per user (apps inventory, space details; own TTL cache)."""
        return [entry for conn in self.warehouses[USERS[email]].connections for entry in conn.log
                if not entry[0].startswith("SET ") and not _ownership_lookup(entry[0])]


def _ownership_lookup(sql: str) -> bool:
    return "lower(:user_email)" in sql  # owned_apps / owned_spaces compare e-mails case-insensitively


@pytest.fixture()
def warehouse(monkeypatch) -> PerTokenWarehouse:
    """A warehouse console with per-user tokens behind a trusted proxy, on the fake connector."""
    for name, value in {"TELEMETRY_ENGINE": "warehouse", "DATABRICKS_WAREHOUSE_ID": "abc",
                        "TELEMETRY_USE_USER_TOKEN": "true", "TELEMETRY_TRUST_PROXY_HEADERS": "true"}.items():
        monkeypatch.setenv(name, value)
    runtime.use(None)
    fake = PerTokenWarehouse()

    def from_settings(settings, *, user_token=None, **_):
        return WarehouseEngine(host="https://adb-1.azuredatabricks.net", http_path="/sql/1.0/warehouses/abc",
                               access_token=user_token, pool_size=2, connect=fake.connect)

    monkeypatch.setattr(WarehouseEngine, "from_settings", staticmethod(from_settings))
    return fake


@pytest.fixture()
def signed_in(monkeypatch):
    """`signed_in(email)`: from now on the proxy forwards that user's e-mail and token."""
    current: dict[str, str] = {}
    monkeypatch.setattr(session, "request_headers", lambda: current)

    def as_user(email: str) -> None:
        current.clear()
        current.update({"X-Forwarded-Email": email, "X-Forwarded-Access-Token": USERS[email]})

    return as_user


@pytest.fixture()
def cache_calls(monkeypatch) -> list[dict]:
    """The arguments the cached query function receives, by parameter name (what Streamlit hashes
    into the key: every parameter without a leading underscore)."""
    real = cache._query_runner()
    signature = inspect.signature(real)
    calls: list[dict] = []

    def recording(*args, **kwargs):
        calls.append(signature.bind(*args, **kwargs).arguments)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache, "_query_runner", lambda: recording)
    return calls


def _page_script():
    """A page asking for one query through the page kit (runs as an AppTest script)."""
    import streamlit as st

    from telemetry import queries
    from telemetry.ui import data

    rows = data.start({"info": queries.Request("app_usage/app_info", {"app_name": "billing-app"})}).frame("info")
    st.text(",".join(rows["who"]))


def _session_of(signed_in, email: str) -> str:
    """Open the page as `email` in a new browser session; what it shows."""
    signed_in(email)
    at = AppTest.from_function(_page_script, default_timeout=30).run()
    assert not at.exception, at.exception
    return at.text[0].value


def test_two_users_never_share_a_cached_result(warehouse, signed_in, cache_calls):
    assert _session_of(signed_in, "a@corp.com") == "a@corp.com"
    assert _session_of(signed_in, "b@corp.com") == "b@corp.com"  # not A's cached rows
    assert _session_of(signed_in, "a@corp.com") == "a@corp.com"  # A again, from the cache
    assert len(warehouse.executions("a@corp.com")) == 1 and len(warehouse.executions("b@corp.com")) == 1
    assert [call["user_key"] for call in cache_calls] == ["a@corp.com", "b@corp.com", "a@corp.com"]


def test_the_token_is_in_no_cache_key(warehouse, signed_in, cache_calls):
    _session_of(signed_in, "a@corp.com")
    _session_of(signed_in, "b@corp.com")
    assert cache_calls
    for call in cache_calls:
        hashed = {name: value for name, value in call.items() if not name.startswith("_")}
        assert set(hashed) == {"name", "params", "user_key", "data_version", "row_cap"}, hashed
        assert not [t for t in USERS.values() if t in repr(hashed)], hashed
        assert not [t for t in USERS.values() if t in repr(call["_engine"])]  # nor in the engine's repr


def test_the_cache_key_is_the_lowercased_email(warehouse, signed_in, cache_calls, monkeypatch):
    """`A@Corp.com` and `a@corp.com` are one user (one entry), as the admin list treats them."""
    users = {**USERS, "A@Corp.com": USERS["a@corp.com"]}
    monkeypatch.setattr(f"{__name__}.USERS", users)
    _session_of(signed_in, "a@corp.com")
    _session_of(signed_in, "A@Corp.com")
    assert [call["user_key"] for call in cache_calls] == ["a@corp.com", "a@corp.com"]
    assert len(warehouse.executions("a@corp.com")) == 1


def _ask_at_once(engine_of, keys: list[str], requests: list[queries.Request], hold: list[FakeWarehouse]):
    """Threads asking `cache.fetch` together while the warehouse holds every statement; results in order."""
    for fake in hold:
        fake.hold = threading.Event()
    results: list = [None] * len(keys)

    def ask(i: int) -> None:
        results[i] = cache.fetch(requests[i], engine_of(keys[i]), keys[i])

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(keys))]
    for thread in threads:
        thread.start()
    assert hold[0].running.acquire(timeout=10)  # one statement is running on the warehouse
    time.sleep(0.3)  # the other thread asks meanwhile
    for fake in hold:
        fake.hold.set()
    for thread in threads:
        thread.join(timeout=10)
    return results


def _engine_for(fake: PerTokenWarehouse):
    engines = {email: WarehouseEngine(host="https://adb-1.azuredatabricks.net", http_path="/sql/1.0/warehouses/abc",
                                      access_token=token, pool_size=2, connect=fake.connect)
               for email, token in USERS.items()}
    return engines.__getitem__


def test_two_threads_asking_at_once_share_one_execution(warehouse):
    a = warehouse.warehouses[USERS["a@corp.com"]]
    results = _ask_at_once(_engine_for(warehouse), ["a@corp.com"] * 2, [REQUEST, REQUEST], [a])
    assert len(warehouse.executions("a@corp.com")) == 1
    assert [r.frame["who"].tolist() for r in results] == [["a@corp.com"], ["a@corp.com"]]


def test_distinct_parameters_asked_at_once_run_once_each(warehouse):
    a = warehouse.warehouses[USERS["a@corp.com"]]
    other = queries.Request("app_usage/app_info", {"app_name": "hr-app"})
    _ask_at_once(_engine_for(warehouse), ["a@corp.com"] * 4, [REQUEST, other, REQUEST, other], [a])
    assert sorted(params["app_name"] for _, params in warehouse.executions("a@corp.com")) == ["billing-app", "hr-app"]


def test_two_users_asking_at_once_each_get_their_own_rows(warehouse):
    a, b = (warehouse.warehouses[USERS[e]] for e in ("a@corp.com", "b@corp.com"))
    results = _ask_at_once(_engine_for(warehouse), ["a@corp.com", "b@corp.com"], [REQUEST, REQUEST], [a, b])
    assert [r.frame["who"].tolist() for r in results] == [["a@corp.com"], ["b@corp.com"]]
    assert len(warehouse.executions("a@corp.com")) == 1 and len(warehouse.executions("b@corp.com")) == 1
