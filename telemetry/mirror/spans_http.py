"""Shallow HTTP traces: a SERVER root named by route with 0–3 children (cache, SQL warehouse, Lakebase).

Most requests of a web app (dashboards, filters, saved views) and the non-chat requests of agent
apps (conversation list, feedback) look like this. 4xx answers stop before any query; a failing or
timed-out warehouse query (more during "warehouse" incidents) makes the request a 500 / 504 with
the exception on both the query and the root. An export request enqueues a job (a PRODUCER span);
the worker's own trace, a little later, links back to it (see `workers`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.mirror import spans_text as text
from telemetry.mirror import vocab
from telemetry.mirror.ids import hex_ids, keyed_hex, pick
from telemetry.mirror.spans_time import MS, durations, error_index, error_of, excl_cumsum, position
from telemetry.mirror.spans_tools import TIMEOUT, Env
from telemetry.mirror.spans_write import Link, SpanBatch, fixed, numbers
from telemetry.mirror.world_apps import World

CACHE, SQL, PG, PRODUCER, CSV, UPLOAD = range(6)
# (method, route, children); GET_ID routes draw an id into url.path.
ROUTES = (
    ("GET", "/api/dashboards/{dashboard_id}", (CACHE, SQL)),
    ("GET", "/api/metrics", (SQL,)),
    ("GET", "/api/filters", (CACHE, PG)),
    ("POST", "/api/query", (CACHE, SQL)),
    ("GET", "/api/me", ()),
    ("GET", "/api/saved-views", (PG,)),
    ("POST", "/api/exports", (PG, PRODUCER)),
    ("GET", "/api/conversations", (PG,)),
    ("GET", "/api/conversations/{conversation_id}", (CACHE, PG)),
    ("POST", "/api/feedback", (PG,)),
    ("POST", "/api/tasks/export", (SQL, CSV, UPLOAD)),
)
WEB_P = np.array([0.28, 0.18, 0.14, 0.15, 0.12, 0.09, 0.04])
EXPORT, CONVERSATIONS, CONVERSATION, FEEDBACK, WORKER = 6, 7, 8, 9, 10
_PG = {2: ("SELECT app.filter_values", "SELECT column_name, value FROM app.filter_values WHERE app_id = %s"),
       5: ("SELECT app.saved_views", "SELECT id, name, spec FROM app.saved_views WHERE owner = %s"),
       6: ("INSERT app.exports", "INSERT INTO app.exports (id, owner, status) VALUES (%s, %s, 'QUEUED')"),
       7: ("SELECT app.conversations", "SELECT id, title, updated_at FROM app.conversations WHERE user_id = %s "
           "ORDER BY updated_at DESC LIMIT 50"),
       8: ("SELECT app.messages", "SELECT role, content, created_at FROM app.messages WHERE conversation_id = %s "
           "ORDER BY created_at"),
       9: ("INSERT app.feedback", "INSERT INTO app.feedback (trace_id, user_id, rating, comment) "
           "VALUES (%s, %s, %s, %s)")}
_MEDIAN_MS = {CACHE: 0.6, SQL: 450, PG: 4, PRODUCER: 2, CSV: 45, UPLOAD: 280}


@dataclass
class Requests:
    """Shallow requests: app, person, start (µs), route, session key, question cell (its SQL)."""

    app: np.ndarray
    person: np.ndarray
    start: np.ndarray
    route: np.ndarray
    session: np.ndarray
    cell: np.ndarray


@dataclass
class Shallow:
    """The built traces: batches, the roots, each request's end, and the export PRODUCER spans."""

    batches: list[SpanBatch]
    root: SpanBatch
    end: np.ndarray
    producer: SpanBatch
    producer_req: np.ndarray  # request of each producer span


def _paths(route: np.ndarray, app: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """url.path: the route with an id filled in where it has one."""
    n = len(route)
    base = [r[1] for r in ROUTES]
    ids = [f"/api/dashboards/{1000 + 37 * i}" for i in range(64)] + [
        f"/api/conversations/{h}" for h in keyed_hex(np.arange(64), 8).to_pylist()]
    draw = (app * 7 + rng.integers(0, 9, n)) % 64
    idx = np.where(route == 0, len(base) + draw, np.where(route == CONVERSATION, len(base) + 64 + draw, route))
    return pick(base + ids, idx)


def _failures(world: World, rng: np.random.Generator, req: Requests, has_sql: np.ndarray,
              hit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(HTTP status, query fails, query times out) per request."""
    n = len(req.app)
    by_id = np.isin(req.route, [0, CONVERSATION]) & (rng.random(n) < 0.04)
    post = np.isin(req.route, [3, EXPORT, FEEDBACK]) & (rng.random(n) < 0.03)
    status = np.where(rng.random(n) < 0.01, 401, np.where(by_id, 404, np.where(post, 422, 200)))
    fail_p = np.full(n, 0.01)
    for inc in world.incidents:
        if inc.kind == "warehouse":
            ws = world.warehouses.ws[inc.target % len(world.warehouses.ws)]
            hit_inc = (req.start >= inc.start_us) & (req.start < inc.end_us) & (world.apps.ws[req.app] == ws)
            fail_p = np.where(hit_inc, 0.3, fail_p)
    query = has_sql & ~hit & (status == 200)
    fail = query & (rng.random(n) < fail_p)
    slow = query & ~fail & (rng.random(n) < 0.005)
    status = np.where(fail, 500, np.where(slow, 504, status))
    return status, fail, slow


def shallow(rng: np.random.Generator, world: World, env: Env, req: Requests, feedback: Link | None = None,
            worker_link: Link | None = None) -> Shallow:
    """Build the shallow traces of `req` (trace i = request i)."""
    n = len(req.app)
    pattern = [r[2] for r in ROUTES]
    n_children = np.array([len(p) for p in pattern])[req.route]
    req_of = np.repeat(np.arange(n), n_children)
    slot = position(n_children)
    table = np.full((len(ROUTES), 3), -1)
    for i, p in enumerate(pattern):
        table[i, : len(p)] = p
    code = table[req.route[req_of], slot]
    has_sql = np.array([SQL in p for p in pattern])[req.route]
    sql_slot = np.array([p.index(SQL) if SQL in p else 9 for p in pattern])[req.route]
    has_cache = np.array([CACHE in p for p in pattern])[req.route]
    hit = has_cache & (rng.random(n) < 0.45)
    status, fail, slow = _failures(world, rng, req, has_sql, hit)
    keep = (status[req_of] < 400) | np.isin(status[req_of], [500, 504])
    keep &= ~(hit[req_of] & np.isin(code, [SQL, PG]))
    keep &= ~((fail | slow)[req_of] & (slot > sql_slot[req_of]))
    req_of, code = req_of[keep], code[keep]
    med = np.array([_MEDIAN_MS[c] for c in range(6)])
    dur = np.zeros(len(code), np.int64)
    for c in range(6):
        rows = np.flatnonzero(code == c)
        scale = np.where(req.route[req_of[rows]] == WORKER, 8.0, 1.0)
        dur[rows] = (durations(rng, len(rows), med[c], 0.9 if c == SQL else 0.6, 25_000) * scale).astype(np.int64)
    sql_row = code == SQL
    dur = np.where(sql_row & slow[req_of], TIMEOUT, np.where(sql_row & fail[req_of], dur // 5 + MS, dur))
    counts = np.bincount(req_of, minlength=n)
    start = req.start[req_of] + MS + excl_cumsum(dur + 300, counts)
    busy = np.zeros(n, np.int64)
    np.add.at(busy, req_of, dur + 300)
    end = req.start + MS + busy + durations(rng, n, 3, 0.8, 500)
    root = _root(rng, env, req, status, end, fail, slow, feedback, worker_link)
    children, producer, producer_req = _children(rng, env, req, root, req_of, code, start, dur, fail, slow, hit)
    return Shallow([root, *children], root, end, producer, producer_req)


def _root(rng: np.random.Generator, env: Env, req: Requests, status: np.ndarray, end: np.ndarray,
          fail: np.ndarray, slow: np.ndarray, feedback: Link | None, worker_link: Link | None) -> SpanBatch:
    n = len(req.app)
    method = np.array([r[0] == "POST" for r in ROUTES])[req.route].astype(np.int32)
    agents = pick(vocab.BROWSER_AGENTS, req.person % len(vocab.BROWSER_AGENTS), mask=req.route == WORKER)
    failed = fail | slow
    link = feedback or worker_link
    return SpanBatch(np.arange(n), pick([f"{m} {r}" for m, r, _ in ROUTES], req.route), "SPAN_KIND_SERVER",
                     req.start, end, failed, {
        "http.request.method": pick(["GET", "POST"], method), "http.route": pick([r[1] for r in ROUTES], req.route),
        "url.path": _paths(req.route, req.app, rng), "url.scheme": fixed("https", n),
        "server.address": pick(env.hosts, req.app), "http.response.status_code": numbers(status),
        "user_agent.original": agents, "enduser.id": pick(env.emails, req.person),
        "session.id": keyed_hex(req.session, 16)},
        error=error_of(np.where(slow, error_index("gateway_timeout"), error_index("warehouse"))), frames="app.py",
        link=link, ok_code="STATUS_CODE_UNSET", scope="opentelemetry.instrumentation.fastapi")


def _children(rng: np.random.Generator, env: Env, req: Requests, root: SpanBatch, req_of: np.ndarray,
              code: np.ndarray, start: np.ndarray, dur: np.ndarray, fail: np.ndarray, slow: np.ndarray,
              hit: np.ndarray) -> tuple[list[SpanBatch], SpanBatch, np.ndarray]:
    out = []
    producer = None
    for c in range(6):
        rows = np.flatnonzero(code == c)
        r, m = req_of[rows], len(rows)
        s, e = start[rows], start[rows] + dur[rows]
        ok = np.zeros(m, bool)
        if c == CACHE:
            b = SpanBatch(r, "cache.get", "SPAN_KIND_INTERNAL", s, e, ok, {
                "cache.hit": pick(["false", "true"], hit[r].astype(np.int32)),
                "cache.key": pc.binary_join_element_wise(fixed("view:", m).cast(pa.string()),
                                                         numbers(req.cell[r] % 997), "")}, scope="app")
        elif c == SQL:
            table = pick([d.table for d in vocab.DOMAINS], env.domain[req.app[r]])
            err = np.where(slow[r], error_index("sql_timeout"), error_index("warehouse"))
            b = SpanBatch(r, pc.binary_join_element_wise(fixed("SELECT", m).cast(pa.string()),
                                                         table.cast(pa.string()), " "), "SPAN_KIND_CLIENT", s, e,
                          (fail | slow)[r], {
                "db.system": fixed("databricks", m), "db.operation.name": fixed("SELECT", m),
                "db.collection.name": table, "db.statement": text.sql(req.cell[r]),
                "server.address": pick(env.ws_hosts, req.app[r]),
                "db.response.returned_rows": numbers(np.where((fail | slow)[r], 0, 1 + req.cell[r] % 200))},
                error=error_of(err), frames="db.py", ok_code="STATUS_CODE_UNSET",
                scope="opentelemetry.instrumentation.sqlalchemy")
        elif c == PG:
            names = [_PG.get(i, ("SELECT app.state", "SELECT 1"))[0] for i in range(len(ROUTES))]
            stmts = [_PG.get(i, ("SELECT app.state", "SELECT 1"))[1] for i in range(len(ROUTES))]
            b = SpanBatch(r, pick(names, req.route[r]), "SPAN_KIND_CLIENT", s, e, ok, {
                "db.system": fixed("postgresql", m), "db.namespace": fixed("databricks_postgres", m),
                "db.statement": pick(stmts, req.route[r])}, ok_code="STATUS_CODE_UNSET",
                scope="opentelemetry.instrumentation.psycopg")
        elif c == PRODUCER:
            b = SpanBatch(r, "export_jobs publish", "SPAN_KIND_PRODUCER", s, e, ok, {
                "messaging.system": fixed("celery", m), "messaging.destination.name": fixed("export_jobs", m),
                "messaging.operation.type": fixed("publish", m), "messaging.message.id": hex_ids(rng, m, 8)},
                scope="app")
            producer = b
        elif c == CSV:
            b = SpanBatch(r, "write_csv", "SPAN_KIND_INTERNAL", s, e, ok, {
                "export.rows": numbers(1 + req.cell[r] % 5000 * 17), "export.format": fixed("csv", m)}, scope="app")
        else:
            b = SpanBatch(r, "PUT /api/2.0/fs/files{file_path}", "SPAN_KIND_CLIENT", s, e, ok, {
                "http.request.method": fixed("PUT", m), "server.address": pick(env.ws_hosts, req.app[r]),
                "url.path": pc.binary_join_element_wise(fixed("/api/2.0/fs/files/Volumes/main/exports/out/", m).cast(
                    pa.string()), hex_ids(rng, m, 6), fixed(".csv", m).cast(pa.string()), ""),
                "http.response.status_code": fixed("204", m)}, ok_code="STATUS_CODE_UNSET",
                scope="opentelemetry.instrumentation.httpx")
        b.parent, b.parent_row = root, r
        out.append(b)
    assert producer is not None
    return out, producer, producer.trace.copy()
