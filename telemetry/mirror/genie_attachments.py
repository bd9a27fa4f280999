"""The `attachments` JSON of genie_message_details, in the GenieMessage shape (databricks-apis.md §1.2).

A message that ran SQL carries a query attachment (SQL, title, description, statement_id, result
metadata when the statement finished, parameters, and Genie's thoughts of each THOUGHT_TYPE_* kind);
a completed one also carries a text answer (without an attachment_id, as real responses do) and
suggested follow-up questions. Failed messages without SQL have no attachments ("[]").

Built without a Python loop over messages: each grid cell's constant JSON is rendered once, and the
per-message parts (ids, row counts, timestamps) are concatenated by pyarrow.
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from telemetry.mirror import vocab
from telemetry.mirror.ids import take

ANSWER = "TEXT_ATTACHMENT_PURPOSE_ANSWER"


def _coordinates(cell: int) -> tuple[int, int, int, int, int]:
    """(domain, template, measure, dim, period) of a grid cell (the inverse of vocab.genie_cell)."""
    cell, period = divmod(cell, len(vocab.PERIODS))
    cell, dim = divmod(cell, 4)
    cell, measure = divmod(cell, 4)
    domain, template = divmod(cell, vocab.N_TEMPLATES)
    return domain, template, measure, dim, period


def _thoughts(cell: int, description: str) -> list[dict[str, str]]:
    domain_i, template, measure, dim, period = _coordinates(cell)
    dom = vocab.DOMAINS[domain_i]
    mw, _, alias = dom.measures[measure]
    dw, _, col = dom.dims[dim]
    pw = vocab.PERIODS[period][0]
    steps = f"1. Keep rows of {dom.table} where {dom.date_col} falls {pw}. 2. Group by {col} and compute {alias}."
    steps += " 3. Sort the result." if template != 2 else " 3. Order by week."
    return [
        {"thought_type": "THOUGHT_TYPE_UNDERSTANDING", "content": f"You are asking for the {mw} per {dw}, {pw}."},
        {"thought_type": "THOUGHT_TYPE_DATA_SOURCING",
         "content": f"Using {dom.table}: {dom.date_col} for the period, {col} for the {dw}."},
        {"thought_type": "THOUGHT_TYPE_INSTRUCTIONS",
         "content": f"Applied the space instruction: use {dom.date_col} for date filters."},
        {"thought_type": "THOUGHT_TYPE_STEPS", "content": steps},
        {"thought_type": "THOUGHT_TYPE_DESCRIPTION", "content": description},
    ]


def _parameters(cell: int) -> list[dict[str, str]]:
    _, template, _, _, period = _coordinates(cell)
    out = [{"keyword": "period", "sql_type": "STRING", "value": vocab.PERIODS[period][0]}]
    if template == 1:
        out.append({"keyword": "top_n", "sql_type": "INT", "value": "10"})
    return out


@lru_cache(maxsize=1)
def _cell_parts() -> tuple[list[str], list[str], list[str]]:
    """Per grid cell: the query payload's constant keys, the text answer, the suggested questions."""
    questions, sqls, titles, descriptions = vocab.genie_grid()
    per_template = 4 * 4 * len(vocab.PERIODS)
    bodies, answers, suggestions = [], [], []
    for cell, (sql, title, description) in enumerate(zip(sqls, titles, descriptions, strict=True)):
        body = {"query": sql, "title": title, "description": description, "parameters": _parameters(cell),
                "thoughts": _thoughts(cell, description)}
        bodies.append(json.dumps(body)[1:-1])
        answers.append(json.dumps({"text": {"content": f"Here are the results: {title}.", "purpose": ANSWER}}))
        template = (cell // per_template) % vocab.N_TEMPLATES
        base = cell - template * per_template
        follow = [questions[base + k * per_template] for k in (5, 6)]
        suggestions.append(json.dumps({"questions": follow}))
    return bodies, answers, suggestions


def _when(mask: np.ndarray, values: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(mask), values, pa.scalar(""))


def _lit(text: str) -> pa.Scalar:
    """A literal part of every row's JSON (a scalar: pyarrow broadcasts it, nothing is copied n times)."""
    return pa.scalar(text, pa.string())


def attachments_json(cell: np.ndarray, has_sql: np.ndarray, finished: np.ndarray, completed: np.ndarray,
                     clarify_json: pa.Array, attachment_id: pa.Array, suggestion_id: pa.Array,
                     statement_id: pa.Array, rows: np.ndarray, updated_ms: np.ndarray) -> pa.Array:
    """One JSON array per message (inputs are per message; `clarify_json` is the JSON string literal of a
    text-only answer's text)."""
    bodies, answers, suggestions = _cell_parts()
    att, stmt = attachment_id.cast(pa.string()), statement_id.cast(pa.string())
    meta = pc.binary_join_element_wise(
        _lit('"query_result_metadata": {"row_count": '), pa.array(rows).cast(pa.string()),
        _lit(', "is_truncated": '),
        pa.array(np.where(rows >= 5000, "true", "false").astype(object), pa.string()), _lit("}, "), "")
    query = pc.binary_join_element_wise(
        _lit('{"attachment_id": "'), att, _lit('", "query": {"id": "'), att,
        _lit('", "statement_id": "'), stmt, _lit('", '), _when(finished, meta),
        _lit('"last_updated_timestamp": '), pa.array(updated_ms).cast(pa.string()), _lit(", "),
        take(bodies, cell), _lit("}}, "), "")
    clarify_text = pc.binary_join_element_wise(
        _lit('{"text": {"content": '), clarify_json.cast(pa.string()),
        _lit(f', "purpose": "{ANSWER}"}}}}, '), "")
    answer = pc.if_else(pa.array(has_sql), pc.binary_join_element_wise(take(answers, cell), _lit(", "), ""),
                        clarify_text)
    suggested = pc.binary_join_element_wise(
        _lit('{"attachment_id": "'), suggestion_id.cast(pa.string()), _lit('", "suggested_questions": '),
        take(suggestions, cell), _lit("}"), "")
    inner = pc.binary_join_element_wise(_when(has_sql, query), _when(completed, answer),
                                        _when(completed, suggested), "")
    return pc.binary_join_element_wise(_lit("["), pc.utf8_rtrim(inner, characters=", "), _lit("]"), "")
