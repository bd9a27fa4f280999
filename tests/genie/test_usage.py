"""telemetry.genie.usage: the parameters the Genie pages send, their KPI rows, the ?space= check, and
(on the demo database, through the named queries) the rules the pages state: a failure spike is
flagged against the space's own baseline, and the per-space numbers add up to the totals."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from telemetry import queries
from telemetry.config import load_settings
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.genie import usage
from telemetry.genie.filters import GenieFilters
from telemetry.mirror import genie as mirror_genie
from telemetry.mirror.build import META_TABLE
from telemetry.mirror.timeline import Window
from telemetry.mirror.world_apps import build_world

SETTINGS = load_settings({})
TODAY = date(2026, 3, 18)
F = GenieFilters(TODAY - timedelta(days=29), TODAY)
EVERY_QUERY = set(usage.SUMMARY_QUERIES + usage.SPACES_QUERIES + usage.SPACE_QUERIES + usage.CONFIGURATION_QUERIES
                  + usage.HEADER_QUERIES + sum(usage.QUALITY_VIEWS.values(), ())
                  + sum(usage.ADOPTION_VIEWS.values(), ()))


def test_every_query_of_the_pages_gets_all_its_parameters():
    built = usage.requests(tuple(sorted(EVERY_QUERY)), F.for_space("abc"), SETTINGS)
    for name, request in built.items():
        assert set(request.params) == queries.params_of(f"genie/{name}"), name
        if "space_id" in request.params:
            assert request.params["space_id"] == "abc", name


def test_history_reaches_back_90_days_and_the_spike_rule_comes_from_settings():
    params = usage.extra_params(F, load_settings({"TELEMETRY_GENIE_FAILURE_THRESHOLD": "0.3"}))
    assert params["from_date"] == F.start - timedelta(days=90)
    assert params["failure_threshold"] == 0.3 and params["baseline_factor"] == 1.5
    assert "above 30%" in usage.spike_rule(load_settings({"TELEMETRY_GENIE_FAILURE_THRESHOLD": "0.3"}))
    week = GenieFilters(TODAY - timedelta(days=199), TODAY)  # a long period: its previous one starts earlier
    assert usage.extra_params(week, SETTINGS)["from_date"] == week.previous_start


def _kpis(current: dict, previous: dict) -> pd.DataFrame:
    return pd.DataFrame([{"period": "current", **current}, {"period": "previous", **previous}])


def test_kpis_compute_rates_and_compare_with_the_previous_period():
    frame = _kpis({"messages": 120, "conversations": 40, "users": 10, "finished": 100, "succeeded": 90, "failed": 8,
                   "feedback_given": 20, "positive_feedback": 15},
                  {"messages": 60, "conversations": 30, "users": 10, "finished": 50, "succeeded": 40, "failed": 10,
                   "feedback_given": 0, "positive_feedback": 0})
    cost = pd.DataFrame({"period": ["current", "previous"], "cost_usd": [30.0, 20.0]})
    kpis = usage.all_kpis(frame, cost)
    assert kpis["Success rate"].value == pytest.approx(0.9) and kpis["Success rate"].previous == pytest.approx(0.8)
    assert kpis["Messages"].delta == pytest.approx(1.0)
    assert kpis["Messages per conversation"].value == pytest.approx(3.0)
    assert kpis["Positive feedback"].value == pytest.approx(0.75) and kpis["Positive feedback"].delta is None
    assert kpis["Cost"].delta == pytest.approx(0.5)
    assert [k.label for k in usage.kpi_row(usage.SUMMARY_KPIS, frame, cost)] == list(usage.SUMMARY_KPIS)


def test_kpis_of_an_empty_period_show_dashes_not_errors():
    empty = usage.all_kpis(pd.DataFrame(columns=["period", "messages"]))
    assert empty["Messages"].text == "–" and empty["Success rate"].text == "–" and empty["Cost"].text == "–"


def test_only_known_spaces_pass_the_check():
    choices = {"": "Choose a space", "s1": "Sales"}
    assert usage.known_space("", choices) and usage.known_space("s1", choices)
    assert not usage.known_space("s1' OR '1'='1", choices) and not usage.known_space("S1", choices)


# --- on the demo database ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(demo_db: Path):
    """(engine, filters for the 30 days ending today, the demo's world)."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        scale, days, seed, end = con.execute(f"SELECT scale, days, seed, window_end FROM {META_TABLE}").fetchone()
    engine = EmbeddedEngine(demo_db)
    yield engine, GenieFilters(end.date() - timedelta(days=29), end.date()), build_world(seed, scale,
                                                                                        Window.ending(end, days))
    engine.close()


def _run(engine, name: str, f: GenieFilters) -> pd.DataFrame:
    request = usage.requests((name,), f, SETTINGS)[name]
    return queries.run(request.name, engine=engine, settings=SETTINGS, **request.params).frame


def test_the_demo_space_with_a_failure_spike_is_flagged_in_its_last_days(demo):
    engine, f, world = demo
    spike = world.spaces.space_id[mirror_genie.spike_space(world)]
    spikes = _run(engine, "failure_spikes", f)
    row = spikes[spikes["space_id"] == spike].iloc[0]
    assert row["flagged"] and row["last_flagged"] >= f.end - timedelta(days=mirror_genie.SPIKE_DAYS)
    assert row["day_rate"] > SETTINGS.genie.failure_rate_threshold
    assert row["day_rate"] >= usage.BASELINE_FACTOR * row["baseline_rate"]
    assert spikes["flagged"].iloc[0], "flagged spaces come first"
    errors = _run(engine, "error_types", f.for_space(spike))
    assert errors["error_type"].iloc[0] == "TABLES_MISSING_EXCEPTION"  # the dropped table


def test_per_space_numbers_add_up_to_the_totals(demo):
    engine, f, _ = demo
    spaces = _run(engine, "spaces_activity", f)
    kpis = _run(engine, "kpis", f).set_index("period")
    cost = _run(engine, "cost_totals", f).set_index("period")
    assert spaces["messages"].sum() == kpis.loc["current", "messages"] > 0
    assert spaces["failed"].sum() == kpis.loc["current", "failed"]
    assert spaces["cost_usd"].sum() == pytest.approx(cost.loc["current", "cost_usd"])
    assert cost.loc["current", "warehouse_usd"] > 0 and cost.loc["current", "genie_usd"] >= 0
    assert (spaces["messages_per_conversation"].dropna() >= 1).all()


def test_the_spaces_share_of_warehouse_cost_never_exceeds_the_warehouses_cost(demo):
    """The attribution splits each warehouse-day's SQL cost by task time, so the spaces' shares of a
    warehouse add up to at most what the warehouse cost (the rest is other workloads)."""
    engine, f, _ = demo
    spaces = _run(engine, "spaces_activity", f)
    shares = spaces.groupby("warehouse_id")["warehouse_usd"].sum()
    sql = """SELECT u.usage_metadata.warehouse_id AS warehouse_id,
                    sum(CAST(u.usage_quantity AS DOUBLE) * CAST(p.pricing.default AS DOUBLE)) AS cost_usd
             FROM system.billing.usage AS u JOIN system.billing.list_prices AS p
               ON p.sku_name = u.sku_name AND p.cloud = u.cloud AND p.usage_unit = u.usage_unit
              AND u.usage_start_time >= p.price_start_time
              AND (p.price_end_time IS NULL OR u.usage_start_time < p.price_end_time)
             WHERE u.billing_origin_product = 'SQL' AND u.usage_date BETWEEN :start_date AND :end_date
             GROUP BY 1"""
    cost = engine.run(sql, {"start_date": f.start, "end_date": f.end}).frame.set_index("warehouse_id")["cost_usd"]
    assert len(shares) > 0
    for warehouse, share in shares.items():
        assert 0 <= share <= cost[warehouse] * (1 + 1e-9), warehouse
