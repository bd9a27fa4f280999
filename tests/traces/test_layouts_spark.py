"""Every trace query gives the same answer over the three span table layouts.

Spark 4 has VARIANT, so the demo's spans (the MAP layout, which both engines run in the two-engines
test) are re-shaped on Spark into the table-prefix layout (VARIANT attributes, time/date/service_name
columns, NULL parent ids) and the collector app's layout (no resource column, resource attributes
copied into the span's with a `resource.` prefix, short enum names). Each query, through its layout's
fragment, must return what DuckDB returns over the MAP table.
"""

from __future__ import annotations

import json
from datetime import datetime

import duckdb
import pytest

from telemetry import queries
from telemetry.bench import sample_params
from telemetry.config import load_settings
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.mirror.build import META_TABLE
from tests.spark_oracle import decimal_tolerances, frame_rows, same_rows, sort_key, spark_frame, spark_sql_text

pytestmark = pytest.mark.spark

SOURCE = "main__ops_console.apps_otel_spans"
VARIANT = """
CREATE OR REPLACE VIEW main__ops_console.apps_otel_spans_variant AS
SELECT
  concat(trace_id, span_id) AS record_id,
  timestamp_micros(start_time_unix_nano DIV 1000) AS time,
  CAST(timestamp_micros(start_time_unix_nano DIV 1000) AS DATE) AS date,
  resource.attributes['service.name'] AS service_name,
  trace_id, span_id, trace_state, nullif(parent_span_id, '') AS parent_span_id, flags, name, kind,
  start_time_unix_nano, end_time_unix_nano,
  parse_json(to_json(attributes)) AS attributes, dropped_attributes_count,
  transform(events, e -> named_struct('time_unix_nano', e.time_unix_nano, 'name', e.name,
    'attributes', parse_json(to_json(e.attributes)), 'dropped_attributes_count', e.dropped_attributes_count)) AS events,
  dropped_events_count,
  transform(links, l -> named_struct('trace_id', l.trace_id, 'span_id', l.span_id, 'trace_state', l.trace_state,
    'attributes', parse_json(to_json(l.attributes)), 'dropped_attributes_count', l.dropped_attributes_count,
    'flags', l.flags)) AS links,
  dropped_links_count, status,
  named_struct('attributes', parse_json(to_json(resource.attributes)),
               'dropped_attributes_count', resource.dropped_attributes_count) AS resource,
  resource_schema_url, instrumentation_scope, span_schema_url
FROM main__ops_console.apps_otel_spans
"""
COLLECTOR = """
CREATE OR REPLACE VIEW main__ops_console.apps_otel_spans_collector AS
SELECT
  trace_id, span_id, trace_state, parent_span_id, flags, name, regexp_replace(kind, '^SPAN_KIND_', '') AS kind,
  start_time_unix_nano, end_time_unix_nano,
  map_concat(attributes, transform_keys(resource.attributes, (k, v) -> concat('resource.', k))) AS attributes,
  dropped_attributes_count, events, dropped_events_count, links, dropped_links_count,
  named_struct('message', status.message, 'code', regexp_replace(status.code, '^STATUS_CODE_', '')) AS status,
  instrumentation_scope, span_schema_url
FROM main__ops_console.apps_otel_spans
"""
TRACE_QUERIES = [name for name in queries.all_names() if name.startswith("traces/")]


@pytest.fixture(scope="module")
def layouts(spark_demo):
    spark_demo.sql(VARIANT)
    spark_demo.sql(COLLECTOR)
    return spark_demo


@pytest.fixture(scope="module")
def duck(demo_db):
    engine = EmbeddedEngine(demo_db, row_cap=100_000, timeout_s=120)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def params_for(demo_db, duck):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        window: tuple[datetime, datetime] = con.execute(f"SELECT window_start, window_end FROM {META_TABLE}").fetchone()
    samples = sample_params.page_samples(duck)
    return lambda name: sample_params.examples_for(queries.params_of(name), window, samples=samples, query=name)


def _comparable(frame) -> list[tuple]:
    """Rows with JSON text columns parsed (a rebuilt map may list its keys in another order)."""
    out = frame.copy()
    for column in [c for c in out.columns if c.endswith("_json")]:
        out[column] = [json.dumps(json.loads(v), sort_keys=True) if isinstance(v, str) else v for v in out[column]]
    return sorted(frame_rows(out), key=sort_key)


@pytest.mark.parametrize("layout", ["variant", "collector"])
@pytest.mark.parametrize("name", TRACE_QUERIES)
def test_a_trace_query_agrees_across_layouts(name, layout, layouts, duck, params_for):
    settings = load_settings({"TELEMETRY_SPANS_LAYOUT": layout,
                              "TELEMETRY_SPANS_TABLE": f"main.ops_console.apps_otel_spans_{layout}"})
    params = params_for(name)
    expected = duck.run(queries.sql_text(name), params, query=name).frame
    got = spark_frame(layouts, spark_sql_text(queries.bound_sql(name, settings)), params, exact=True)
    assert list(got.columns) == list(expected.columns)
    assert len(expected), f"{name} returns nothing on the demo: the comparison would prove nothing"
    assert same_rows(_comparable(got), _comparable(expected), ordered=False, rel_tol=1e-6,
                     abs_tols=decimal_tolerances(got)), f"{name} differs on the {layout} layout"
