"""A small span table whose search answers are known by construction (the MAP layout, the mirror's
DDL), relative to now: the search page's period ends now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from telemetry.config import load_settings
from telemetry.engine.dialect import mirror_table_name
from telemetry.mirror.schema import create_table_sql

NOW = datetime.now(UTC).replace(microsecond=0)
SHOP, AGENT = "shop-api", "agent-app"
MODEL = "databricks-claude-sonnet-4"


def ns(moment: datetime) -> int:
    return int(moment.timestamp()) * 1_000_000_000


def _attrs(d: dict[str, str]) -> str:
    items = ", ".join(f"'{k}': '{v}'" for k, v in d.items())  # test data only, no user input
    return f"MAP {{{items}}}" if d else "MAP {}"


class SpanDb:
    def __init__(self, path: Path):
        settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(path)})
        self.table = mirror_table_name(settings.table("spans"))
        self.con = duckdb.connect(str(path))
        self.con.execute(f"CREATE SCHEMA IF NOT EXISTS {self.table.rsplit('.', 1)[0]}")
        self.con.execute(create_table_sql("spans", settings.table("spans")))

    def span(self, trace: str, span: str, parent: str, name: str, service: str, start: datetime, ms: float, *,
             kind: str = "SPAN_KIND_INTERNAL", status: str = "STATUS_CODE_OK", attrs: dict[str, str] | None = None,
             resource: dict[str, str] | None = None, error: str = "") -> None:
        events = ("[]" if not error else
                  f"[{{'time_unix_nano': {ns(start)}, 'name': 'exception', 'attributes': "
                  f"{_attrs({'exception.type': 'RuntimeError', 'exception.message': error})}, "
                  "'dropped_attributes_count': 0}]")
        res = _attrs({"service.name": service, **(resource or {})})
        self.con.execute(f"""INSERT INTO {self.table} BY NAME SELECT
            ? AS trace_id, ? AS span_id, '' AS trace_state, ? AS parent_span_id, 1 AS flags, ? AS name, ? AS kind,
            ? AS start_time_unix_nano, ? AS end_time_unix_nano, {_attrs(attrs or {})} AS attributes,
            0 AS dropped_attributes_count, {events} AS events, 0 AS dropped_events_count, [] AS links,
            0 AS dropped_links_count, {{'message': ?, 'code': ?}} AS status,
            {{'attributes': {res}, 'dropped_attributes_count': 0}} AS resource, '' AS resource_schema_url,
            {{'name': 'test', 'version': '1', 'attributes': MAP {{}}, 'dropped_attributes_count': 0}}
              AS instrumentation_scope, '' AS span_schema_url""",
                         [trace, span, parent, name, kind, ns(start), ns(start) + int(ms * 1e6), error or None, status])

    def close(self) -> None:
        self.con.close()


def shop_trace(i: int) -> str:
    return f"{i:032x}"


def build(path: Path) -> None:
    """130 shallow shop traces (GET, 100+i ms, a minute apart) and 3 agent traces with LLM calls."""
    db = SpanDb(path)
    for i in range(130):
        start = NOW - timedelta(hours=30) + timedelta(minutes=i)
        db.span(shop_trace(i), f"{i:016x}", "", "GET /api/items", SHOP, start, 100 + i, kind="SPAN_KIND_SERVER",
                status="STATUS_CODE_UNSET", attrs={"http.request.method": "GET", "http.response.status_code": "200"})
    for n, (ms, env) in enumerate(((5000, "prod"), (8000, "prod"), (12000, "staging"))):
        trace, start = f"a{n:031x}", NOW - timedelta(hours=2 - n * 0.5)
        failed = n == 1
        db.span(trace, f"a{n:015x}", "", "POST /api/chat", AGENT, start, ms, kind="SPAN_KIND_SERVER",
                status="STATUS_CODE_ERROR" if failed else "STATUS_CODE_UNSET", resource={"deployment.environment": env},
                attrs={"http.request.method": "POST", "enduser.id": f"user{n}@corp.com", "session.id": f"s{n}"},
                error="upstream failed" if failed else "")
        db.span(trace, f"b{n:015x}", f"a{n:015x}", f"chat {MODEL}", AGENT, start + timedelta(milliseconds=10), ms / 2,
                kind="SPAN_KIND_CLIENT", attrs={"gen_ai.request.model": MODEL, "gen_ai.usage.input_tokens": "1000",
                                                "gen_ai.usage.output_tokens": "200"})
    db.close()
