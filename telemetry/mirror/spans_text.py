"""Readable span payloads: the questions users ask an agent, its tool calls and answers, as JSON.

MLflow stores a span's inputs and outputs as JSON text (`mlflow.spanInputs` / `mlflow.spanOutputs`).
Every payload is built once per *question cell* (a business domain's question with its SQL, from
the Genie vocabulary) and drawn by index, so millions of spans cost one dictionary lookup each.
A trace keeps one cell, so its root, agent, LLM and tool spans tell the same story.
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.mirror import vocab
from telemetry.mirror.ids import mix64, pick

TOOLS = ("run_sql_query", "search_knowledge_base", "lookup_customer", "get_forecast")
SQL_TOOL, KB_TOOL, CUSTOMER_TOOL, FORECAST_TOOL = range(4)
_N_TEMPLATES = vocab.FIRST_TEMPLATES
_PER_DOMAIN = _N_TEMPLATES * 4 * 4 * len(vocab.PERIODS)
N_CELLS = len(vocab.DOMAINS) * _PER_DOMAIN
_SYSTEM = ("You are the {label} assistant. Answer with data: call tools for numbers, cite the table you "
           "used, keep answers short.")
_DOCS = ("Metric definitions", "Data freshness and SLAs", "How {label} KPIs are calculated",
         "Quarterly review playbook", "Table ownership and contacts", "Known data issues")
_COMPACT = {"separators": (",", ":")}


def cells(rng: np.random.Generator, domain: np.ndarray) -> np.ndarray:
    """A question cell per request of an app in `domain` (a first question of a conversation)."""
    n = len(domain)
    local = ((rng.integers(0, _N_TEMPLATES, n) * 4 + rng.integers(0, 4, n)) * 4
             + rng.integers(0, 4, n)) * len(vocab.PERIODS) + rng.integers(0, len(vocab.PERIODS), n)
    return np.asarray(domain, np.int64) * _PER_DOMAIN + local


def rotate(cell: np.ndarray, step: np.ndarray) -> np.ndarray:
    """The same question broken down by another dimension (later tool calls of a loop look further)."""
    d = cell // len(vocab.PERIODS) % 4
    return cell + ((d + step) % 4 - d) * len(vocab.PERIODS)


def _coords(cell: int) -> tuple[int, int, int, int, int]:
    rest, p = divmod(cell, len(vocab.PERIODS))
    rest, d = divmod(rest, 4)
    rest, m = divmod(rest, 4)
    dom, t = divmod(rest, _N_TEMPLATES)
    return dom, t, m, d, p


@lru_cache(maxsize=1)
def _hashes() -> list[int]:
    return mix64(np.arange(N_CELLS * 16)).tolist()


def _hash(cell: int, salt: int) -> int:
    """A stable pseudo-random number per (cell, salt)."""
    return _hashes()[cell * 16 + salt]


@lru_cache(maxsize=1)
def _base() -> tuple[list[str], list[str], list[str]]:
    """(question, sql, answer) per cell."""
    questions, sqls, titles, _ = vocab.genie_grid()
    q_out, s_out, a_out = [], [], []
    for cell in range(N_CELLS):
        dom, t, m, d, p = _coords(cell)
        gid = int(vocab.genie_cell(dom, t, m, d, p))
        domain = vocab.DOMAINS[dom]
        dw, dplural, _ = domain.dims[d]
        h = _hash(cell, 1)
        q_out.append(questions[gid])
        s_out.append(sqls[gid])
        a_out.append(f"{titles[gid]} {vocab.PERIODS[p][0]}: the top {dw} accounts for {18 + h % 40}% of the "
                     f"total across {4 + h % 37} {dplural} (source: {domain.table}). Want a breakdown by "
                     f"{domain.dims[(d + 1) % 4][0]}?")
    return q_out, s_out, a_out


def _tool_args(cell: int, tool: int) -> dict:
    question, sql, _ = (col[cell] for col in _base())
    dom, _, m, _, p = _coords(cell)
    domain = vocab.DOMAINS[dom]
    if tool == SQL_TOOL:
        return {"query": sql, "warehouse": "Shared Serverless"}
    if tool == KB_TOOL:
        return {"query": question, "top_k": 5}
    if tool == CUSTOMER_TOOL:
        return {"customer_id": f"C-{10000 + _hash(cell, 2) % 90000}"}
    return {"metric": domain.measures[m][2], "horizon_days": 30, "since": vocab.PERIODS[p][0]}


def _tool_result(cell: int, tool: int) -> dict:
    dom, _, m, d, _ = _coords(cell)
    domain = vocab.DOMAINS[dom]
    h = _hash(cell, 3)
    col, alias = domain.dims[d][2], domain.measures[m][2]
    if tool == SQL_TOOL:
        rows = [[f"{col}_{i + 1}", round((h >> (8 * i)) % 9000 / 7.0 + 100, 2)] for i in range(3)]
        return {"columns": [col, alias], "rows": rows, "row_count": 4 + h % 37, "truncated": False}
    if tool == KB_TOOL:
        label = domain.label
        docs = [{"doc_id": f"kb-{(h >> (5 * i)) % 4000}", "title": _DOCS[(h + i) % len(_DOCS)].format(label=label),
                 "score": round(0.91 - 0.07 * i, 2)} for i in range(3)]
        return {"documents": docs}
    if tool == CUSTOMER_TOOL:
        return {"customer_id": _tool_args(cell, tool)["customer_id"], "segment": ("Enterprise", "Mid-market",
                "SMB")[h % 3], "region": ("EMEA", "AMER", "APJ")[(h >> 3) % 3], "open_tickets": h % 5,
                "account_owner": f"owner{h % 97}@example.com"}
    base = 1000 + h % 9000
    return {"metric": alias, "forecast": [{"week": i + 1, "value": base + 37 * i} for i in range(4)],
            "model": "prophet-v3", "mape": round(0.04 + (h % 9) / 100, 2)}


@lru_cache(maxsize=1)
def _tool_texts() -> tuple[list[str], list[str], list[str]]:
    """(call fragment, arguments, result) per (cell, tool): index cell * len(TOOLS) + tool."""
    calls, args, results = [], [], []
    for cell in range(N_CELLS):
        for tool, name in enumerate(TOOLS):
            arguments = json.dumps(_tool_args(cell, tool))
            call_id = f"call_{_hash(cell, 4 + tool) % 16**12:012x}"
            calls.append(json.dumps({"id": call_id, "type": "function",
                                     "function": {"name": name, "arguments": arguments}}))
            args.append(arguments)
            results.append(json.dumps(_tool_result(cell, tool)))
    return calls, args, results


@lru_cache(maxsize=1)
def _chat_texts() -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """Per cell: (agent inputs, agent outputs, first LLM inputs, later LLM inputs, final LLM output)."""
    questions, _, answers = _base()
    tools = [{"type": "function", "function": {"name": name}} for name in TOOLS]
    a_in, a_out, first, later, final = [], [], [], [], []
    for cell in range(N_CELLS):
        q, a = questions[cell], answers[cell]
        system = {"role": "system", "content": _SYSTEM.format(label=vocab.DOMAINS[_coords(cell)[0]].label)}
        user = {"role": "user", "content": q}
        a_in.append(json.dumps({"messages": [user]}))
        a_out.append(json.dumps({"messages": [{"role": "assistant", "content": a}]}))
        first.append(json.dumps({"messages": [system, user], "tools": tools, "temperature": 0.1}))
        result = _tool_texts()[2][cell * len(TOOLS)]
        later.append(json.dumps({"messages": [system, user, {"role": "assistant", "tool_calls": ["…"]},
                                              {"role": "tool", "content": result}], "temperature": 0.1}))
        final.append(json.dumps({"choices": [{"index": 0, "finish_reason": "stop",
                                              "message": {"role": "assistant", "content": a}}]}))
    return a_in, a_out, first, later, final


def question(cell: np.ndarray) -> pa.Array:
    """The user's question."""
    return pick(_base()[0], cell)


def sql(cell: np.ndarray) -> pa.Array:
    """The SQL that answers it."""
    return pick(_base()[1], cell)


def agent_inputs(cell: np.ndarray) -> pa.Array:
    """Request body of the agent: the user's message."""
    return pick(_chat_texts()[0], cell)


def agent_outputs(cell: np.ndarray) -> pa.Array:
    """Response of the agent: the assistant's answer."""
    return pick(_chat_texts()[1], cell)


def llm_inputs(cell: np.ndarray, first: np.ndarray) -> pa.Array:
    """Chat request: system + user messages (and the last tool result after the first call)."""
    texts = _chat_texts()
    return pick(texts[2] + texts[3], cell + np.where(first, 0, N_CELLS))


def llm_outputs(cell: np.ndarray, call_cell: np.ndarray, call_tool: np.ndarray,
                call_offsets: np.ndarray) -> pa.Array:
    """Chat completions: the answer where a call has no tool calls, else the tool calls it asked for.

    Call i asked for tools call_tool[call_offsets[i]:call_offsets[i+1]] (of cells call_cell).
    """
    fragments = pick(_tool_texts()[0], call_cell * len(TOOLS) + call_tool).cast(pa.string())
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(call_offsets.astype(np.int32)), fragments), ",")
    n = len(cell)
    tool_json = pc.binary_join_element_wise(  # typed: an empty window's arrays would otherwise be null-typed
        pa.array(['{"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant",'
                  '"content":null,"tool_calls":['] * n, pa.string()), joined.cast(pa.string()),
        pa.array([']}}]}'] * n, pa.string()), "")
    answers = pick(_chat_texts()[4], cell).cast(pa.string())
    return pc.if_else(pa.array(np.diff(call_offsets) > 0), tool_json, answers)


def tool_arguments(cell: np.ndarray, tool: np.ndarray) -> pa.Array:
    """A tool call's arguments as JSON."""
    return pick(_tool_texts()[1], cell * len(TOOLS) + tool)


def tool_result(cell: np.ndarray, tool: np.ndarray) -> pa.Array:
    """A tool call's result as JSON."""
    return pick(_tool_texts()[2], cell * len(TOOLS) + tool)


def answer(cell: np.ndarray) -> pa.Array:
    """The assistant's answer text."""
    return pick(_base()[2], cell)
