"""OpenTelemetry traces of the instrumented apps, in the generation-B "OTel v1" table layout.

Sign-ins drive sessions: after each login to an instrumented app the user makes a few requests
(`session.id` stable across them, `enduser.id` their e-mail). Agent apps (chatbots, assistants,
copilots…) answer `POST /api/chat` with a deep agent loop (spans_agent, spans_tools) whose tools
call a data-service app (another `service.name` in the same trace); their other requests and all
requests of web apps are shallow HTTP traces (spans_http). Feedback requests link to the chat they
rate, export workers link to the request that enqueued them, and a few nightly evaluation runs
(spans_eval) of several thousand spans link each row to its production trace. Roots are SERVER
spans named by route with `parent_span_id = ''`; traces still running at `now` are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from telemetry.mirror import spans_http as http
from telemetry.mirror import spans_text as text
from telemetry.mirror.audit_apps import Logins, app_urls
from telemetry.mirror.ids import hex_ids, keyed_hex, pick
from telemetry.mirror.spans_agent import Calls, agent_loop
from telemetry.mirror.spans_eval import Production, evaluations
from telemetry.mirror.spans_time import MS, excl_cumsum, place, position
from telemetry.mirror.spans_tools import Env
from telemetry.mirror.spans_write import Link, SpanBatch, fixed, write_spans
from telemetry.mirror.timeline import US
from telemetry.mirror.world_apps import World
from telemetry.mirror.writer import Writer

AGENT_NOUNS = frozenset({"assistant", "chatbot", "copilot", "advisor", "search", "analyzer"})
CHAT = len(http.ROUTES)


@dataclass
class Plan:
    """Every request of every session: app, person, start (µs), route, session (login index)."""

    app: np.ndarray
    person: np.ndarray
    start: np.ndarray
    route: np.ndarray
    session: np.ndarray


def agent_apps(world: World) -> np.ndarray:
    """Mask of instrumented apps that are agents (by name); at least one agent and one web app."""
    noun = np.array([name.split("-")[1] if "-" in name else "" for name in world.apps.name])
    agent = world.apps.telemetry & np.isin(noun, list(AGENT_NOUNS))
    instrumented = np.flatnonzero(world.apps.telemetry)
    if len(instrumented) and not agent.any():
        agent[instrumented[0]] = True
    if len(instrumented) > 1 and agent[instrumented].all():
        agent[instrumented[-1]] = False
    return agent


def partners(world: World, agent: np.ndarray) -> np.ndarray:
    """(n_apps, 2): the apps an agent's SQL tool and CRM tool call — web apps, same workspace first."""
    web = np.flatnonzero(world.apps.telemetry & ~agent)
    n = world.apps.n
    out = np.stack([(np.arange(n) + 1) % n, (np.arange(n) + 2) % n], axis=1)
    for a in np.flatnonzero(agent):
        same = web[world.apps.ws[web] == world.apps.ws[a]]
        pool = np.concatenate([same, np.setdiff1d(web, same)])
        if len(pool):
            out[a] = pool[a % min(len(pool), max(len(same), 1))], pool[(a + 1) % len(pool)]
    return out


def _llm_fail_p(world: World, app: np.ndarray, start: np.ndarray) -> np.ndarray:
    """2% LLM failures; during an "llm" incident 45% on the target app and 8% elsewhere."""
    fail_p = np.full(len(start), 0.02)
    instrumented = np.flatnonzero(world.apps.telemetry)
    for inc in world.incidents:
        if inc.kind == "llm" and len(instrumented):
            hit = (start >= inc.start_us) & (start < inc.end_us)
            target = app == instrumented[inc.target % len(instrumented)]
            fail_p = np.where(hit & target, 0.45, np.where(hit, 0.08, fail_p))
    return fail_p


def plan_requests(world: World, logins: Logins, agent: np.ndarray, rng: np.random.Generator) -> Plan:
    """A few requests after each login to an instrumented app (agent apps: mostly chats)."""
    sel = np.flatnonzero(world.apps.telemetry[logins.app])
    is_agent = agent[logins.app[sel]]
    per = 1 + np.where(is_agent, rng.poisson(3.0, len(sel)), rng.poisson(5.0, len(sel)))
    rows = np.repeat(sel, per)
    k = position(per)
    gap = rng.lognormal(np.log(40 * US), 0.9, len(rows)).astype(np.int64)
    start = logins.ts[rows] + 3 * US + excl_cumsum(gap, per)
    app = logins.app[rows]
    u = rng.random(len(rows))
    agent_route = np.where(k == 0, http.CONVERSATIONS, np.where(u < 0.7, CHAT, np.where(
        u < 0.82, http.FEEDBACK, http.CONVERSATION)))
    route = np.where(agent[app], agent_route, rng.choice(len(http.WEB_P), len(rows), p=http.WEB_P))
    return Plan(app, logins.person[rows], start, route, rows)


def _env(world: World) -> Env:
    ws_hosts = [f"dbc-{world.ws.ids[w][:4]}-{world.ws.ids[w][4:8]}.cloud.databricks.com"
                for w in world.apps.ws.tolist()]
    return Env(world.apps.name, [u.removeprefix("https://") for u in app_urls(world)], ws_hosts,
               world.apps.domain, world.people.email)


def _chat_root(env: Env, plan: Plan, idx: np.ndarray, cell: np.ndarray, dur: np.ndarray,
               agent: SpanBatch) -> SpanBatch:
    """The SERVER span of each chat request."""
    n = len(idx)
    failed = agent.failed
    return SpanBatch(np.arange(n), "POST /api/chat", "SPAN_KIND_SERVER", plan.start[idx],
                     plan.start[idx] + 5 * MS + dur, failed, {
        "http.request.method": fixed("POST", n), "http.route": fixed("/api/chat", n), "url.path": fixed("/api/chat", n),
        "url.scheme": fixed("https", n), "server.address": pick(env.hosts, plan.app[idx]),
        "http.response.status_code": pick(["200", "500"], failed.astype(np.int32)),
        "enduser.id": pick(env.emails, plan.person[idx]), "session.id": keyed_hex(plan.session[idx], 16),
        "mlflow.spanInputs": text.agent_inputs(cell),
        "mlflow.spanOutputs": agent.attributes["mlflow.spanOutputs"],
    }, error=agent.error, frames="agent.py", ok_code="STATUS_CODE_UNSET",
        scope="opentelemetry.instrumentation.fastapi")


@dataclass
class _Group:
    """Traces written together: ids, app per trace, batches."""

    trace_ids: pa.Array
    app: np.ndarray
    batches: list[SpanBatch]


def _chats(rng: np.random.Generator, world: World, env: Env, plan: Plan, idx: np.ndarray,
           partner: np.ndarray) -> tuple[_Group, Production]:
    """Chat requests: SERVER root → agent loop."""
    app, start = plan.app[idx], plan.start[idx]
    cell = text.cells(rng, env.domain[app])
    calls = Calls(app, cell, rng.random(len(idx)) < _llm_fail_p(world, app, start), partner[app])
    loop = agent_loop(rng, calls, env)
    root = _chat_root(env, plan, idx, cell, loop.dur, loop.agent)
    place(loop.batches, np.arange(len(idx)), start + 2 * MS)
    loop.agent.parent, loop.agent.parent_row = root, np.arange(len(idx))
    trace_ids = hex_ids(rng, len(idx), 16)
    return _Group(trace_ids, app, [root, *loop.batches]), Production(app, root.end, trace_ids, root)


def _feedback_links(plan: Plan, shallow_idx: np.ndarray, prod: Production) -> Link:
    """Each feedback request links to the latest chat of its session that had ended before it."""
    n = len(plan.route)
    pos = np.arange(n)
    is_chat = plan.route == CHAT
    last = np.maximum.accumulate(np.where(is_chat, pos, -1))
    chat_rank = np.cumsum(is_chat) - 1
    same = (last >= 0) & (plan.session[np.maximum(last, 0)] == plan.session)
    target = np.where(same & (plan.route == http.FEEDBACK), chat_rank[np.maximum(last, 0)], -1)[shallow_idx]
    ended = target >= 0
    ended[ended] = prod.end[target[ended]] < plan.start[shallow_idx][ended]
    target = np.where(ended, target, -1)
    m = len(shallow_idx)
    return Link(prod.trace_ids, prod.root, target,
                {"link.type": fixed("follows_from", m), "feedback.for": fixed("chat_response", m)})


def _shallow(rng: np.random.Generator, world: World, env: Env, plan: Plan, idx: np.ndarray,
             feedback: Link) -> tuple[_Group, _Group]:
    """Shallow requests, then the export workers (one trace each, linked to the enqueuing span)."""
    route = np.where((plan.route[idx] == http.FEEDBACK) & (feedback.target_row < 0), http.CONVERSATION,
                     plan.route[idx])
    app = plan.app[idx]
    req = http.Requests(app, plan.person[idx], plan.start[idx], route, plan.session[idx],
                        text.cells(rng, env.domain[app]))
    built = http.shallow(rng, world, env, req, feedback=feedback)
    p = built.producer_req
    m = len(p)
    worker_req = http.Requests(app[p], req.person[p], built.end[p] + rng.integers(300 * MS, 20 * US, m),
                               np.full(m, http.WORKER), req.session[p], req.cell[p])
    first = _Group(hex_ids(rng, len(idx), 16), app, built.batches)
    link = Link(first.trace_ids, built.producer, np.arange(m), {
        "link.type": fixed("follows_from", m), "messaging.destination.name": fixed("export_jobs", m)})
    workers = http.shallow(rng, world, env, worker_req, worker_link=link)
    return first, _Group(hex_ids(rng, m, 16), app[p], workers.batches)


def write_traces(writer: Writer, world: World, logins: Logins) -> None:
    """Build every trace and insert it (in batches per span type)."""
    rng = world.streams("spans")
    env = _env(world)
    agent = agent_apps(world)
    partner = partners(world, agent)
    plan = plan_requests(world, logins, agent, rng)
    chat_idx = np.flatnonzero(plan.route == CHAT)
    shallow_idx = np.flatnonzero(plan.route != CHAT)
    chats, prod = _chats(rng, world, env, plan, chat_idx, partner)
    _write(writer, world, rng, chats)  # written as built: only the roots stay referenced (link targets)
    for group in _shallow(rng, world, env, plan, shallow_idx, _feedback_links(plan, shallow_idx, prod)):
        _write(writer, world, rng, group)
    evals = evaluations(rng, world, env, prod, np.flatnonzero(agent), partner, world.apps.creator)
    write_spans(writer, world, rng, evals.trace_ids, evals.app, evals.batches)
    writer.progress("OpenTelemetry spans", 1.0)


def _write(writer: Writer, world: World, rng: np.random.Generator, group: _Group) -> None:
    write_spans(writer, world, rng, group.trace_ids, group.app, group.batches)
    group.batches.clear()
