"""Trace search's filter parsing, cursors and parameters (no engine needed)."""

from datetime import UTC, datetime

import pandas as pd

from telemetry.traces import search as ts


def test_attribute_filters_parse_operators_and_numbers():
    found, refused = ts.parse_attributes("http.route = /api/chat; gen_ai.usage.input_tokens>=2000 ;; a<3")
    assert [(a.key, a.op, a.value) for a in found] == [
        ("http.route", "=", "/api/chat"), ("gen_ai.usage.input_tokens", ">=", "2000"), ("a", "<", "3")]
    assert found[1].number == 2000 and found[0].number is None and not refused


def test_attribute_filters_refuse_what_they_cannot_mean():
    found, refused = ts.parse_attributes("noop; size>big; =value; a=1; b=2; c=3; d=4; e=5; nan>nan")
    assert [a.key for a in found] == ["a", "b", "c", "d"]
    assert len(refused) == 5 and any("at most 4" in r for r in refused)
    assert any("compares numbers" in r for r in refused)


def test_params_fill_every_slot_and_type_numbers():
    f = ts.TraceFilters(1, 2, attributes=ts.parse_attributes("k=10; j=abc")[0])
    p = ts.base_params(f)
    assert (p["attr_is_num_1"], p["attr_num_1"], p["attr_is_num_2"], p["attr_val_2"]) == (True, 10.0, False, "abc")
    assert p["attr_key_4"] == "" and p["attr_is_num_4"] is False


def test_a_cursor_survives_the_url_and_nonsense_is_the_first_page():
    cursor = ts.Cursor(-1796125946894050168, "cccf1eba9999c01f580fd9b264212c18")
    assert ts.Cursor.parse(cursor.token) == cursor
    for junk in ("", "abc", "1~x' OR 1=1", "9" * 30 + "~a"):
        assert ts.Cursor.parse(junk) == ts.Cursor()


def test_the_window_ends_on_the_next_minute_so_reruns_share_a_cache_entry():
    now = datetime(2026, 12, 1, 10, 30, 41, tzinfo=UTC)
    start, end = ts.window("1 hour", now)
    assert end == int(datetime(2026, 12, 1, 10, 31, tzinfo=UTC).timestamp()) * 10**9
    assert end - start == 3600 * 10**9
    fallback = ts.window("nonsense", now)
    assert fallback[1] - fallback[0] == 7 * 86400 * 10**9


def test_next_cursor_comes_from_the_last_shown_row():
    page = pd.DataFrame({"trace_id": ["a", "b", "c"], "sort_key": [-3, -2, -1], "total": [9, 9, 9]})
    assert ts.next_cursor(page, 2) == ts.Cursor(-2, "b") and ts.next_cursor(page, 3) is None
    assert ts.page_of(page, 2) == ts.KeysetPage(2, 2, 9, ts.Cursor(-2, "b"))


def test_durations_read_as_people_say_them():
    assert [ts.duration_text(v) for v in (4.2, 850, 9_140, 252_000, None)] == [
        "4 ms", "850 ms", "9.1 s", "4 min 12 s", "–"]


def test_kpis_carry_their_change_against_the_period_before():
    now = pd.DataFrame([{"traces": 120, "error_rate": 0.05, "p50_ms": 800.0, "p95_ms": 9000.0, "p99_ms": 20000.0,
                         "spans": 900}])
    before = now.assign(traces=100, p95_ms=10000.0)
    kpis = {k.label: k for k in ts.kpis(now, before)}
    assert kpis["Traces"].delta == 0.2 and kpis["p95 duration"].delta == -0.1
    assert kpis["p95 duration"].text == "9.0 s" and not kpis["p95 duration"].higher_is_better
