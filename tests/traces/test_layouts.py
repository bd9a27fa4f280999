"""`doctor` tells the span table's layout from its columns, and says how to configure a mismatch."""

from telemetry.engine.embedded import EmbeddedEngine
from telemetry.mirror.schema_own import OWN_SCHEMAS
from telemetry.traces import layouts

MAP_COLUMNS = dict(OWN_SCHEMAS["spans"])
VARIANT_COLUMNS = {"record_id": "STRING", "time": "TIMESTAMP", "date": "DATE", "service_name": "STRING",
                   **{k: ("VARIANT" if k == "attributes" else v) for k, v in MAP_COLUMNS.items()},
                   "resource": "STRUCT<attributes: VARIANT, dropped_attributes_count: INT>"}
COLLECTOR_COLUMNS = {k: v for k, v in MAP_COLUMNS.items() if k != "resource"}


def test_each_layout_is_told_apart():
    assert layouts.detect(MAP_COLUMNS)[0] == "map"
    assert layouts.detect(VARIANT_COLUMNS)[0] == "variant"
    assert layouts.detect(COLLECTOR_COLUMNS)[0] == "collector"
    layout, why = layouts.detect({"timestamp": "TIMESTAMP", "action": "STRING"})
    assert layout == "" and "not a span table" in why


def test_a_mismatch_names_the_setting_that_fixes_it():
    fine, line = layouts.verdict(VARIANT_COLUMNS, "map")
    assert not fine and "TELEMETRY_SPANS_LAYOUT=variant" in line
    assert layouts.verdict(MAP_COLUMNS, "map")[0]
    assert not layouts.verdict(None, "map")[0]


def test_the_embedded_demo_holds_the_map_layout(demo_db):
    engine = EmbeddedEngine(demo_db)
    try:
        columns = engine.table_columns("main.ops_console.apps_otel_spans")
    finally:
        engine.close()
    assert layouts.detect(columns)[0] == "map"
