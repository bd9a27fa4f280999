"""GenieSpace JSON (+ its `serialized_space` string) → one genie_space_details row.

`serialized_space` is a JSON document in a string whose structure is versioned (databricks-apis.md
§1.5: version 2 holds `config.sample_questions`, `data_sources.tables`, `instructions.
{text_instructions, example_question_sqls}`, `benchmarks.questions`; text values are arrays of
string fragments). Its version 1 layout is not publicly documented, and later versions will come:
the parser looks for each section where version 2 keeps it and in a few flatter places, takes what
it recognises, and never fails the space. Counts of a section that is absent are 0 for the versions
we know (an absent section is empty there) and NULL for any other version (we cannot tell).
The raw string is stored as received, so a later parser can do better.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from telemetry.genie.message_rows import integer, obj, objs, text, utc_time

KNOWN_VERSIONS = frozenset({1, 2})
_USER_FOLDER = "/Workspace/Users/"


def _joined(value: Any) -> str | None:
    """A text value of serialized_space: an array of fragments (or a plain string) joined."""
    if isinstance(value, str):
        return value or None
    if not isinstance(value, list):
        return None
    return "".join(part for part in value if isinstance(part, str)) or None


def _section(doc: Mapping[str, Any], *paths: tuple[str, ...]) -> list[Any] | None:
    """The first list found at one of `paths` (each a key path from the document root)."""
    for path in paths:
        node: Any = doc
        for key in path:
            node = obj(node).get(key)
        if isinstance(node, list):
            return node
    return None


def _names(items: list[Any] | None) -> list[str] | None:
    """Table identifiers from objects (`identifier`, or older `name`/`full_name`) or plain strings."""
    if items is None:
        return None
    found = [text(i) if not isinstance(i, dict) else
             text(i.get("identifier")) or text(i.get("full_name")) or text(i.get("name")) for i in items]
    return [name for name in found if name]


def _questions(items: list[Any] | None) -> list[str] | None:
    if items is None:
        return None
    found = [_joined(i.get("question")) or _joined(i.get("content")) if isinstance(i, dict) else _joined(i)
             for i in items]
    return [q for q in found if q]


def _instruction_text(items: list[Any] | None) -> str | None:
    parts = [_joined(i.get("content")) if isinstance(i, dict) else _joined(i) for i in items or []]
    return "\n\n".join(p for p in parts if p) or None


def _either(found: list[Any] | None, empty: list[Any] | None) -> list[Any] | None:
    return found if found is not None else empty


def parse_serialized(raw: Any) -> dict[str, Any]:
    """The parsed configuration columns of a serialized_space string (all NULL if it is not JSON)."""
    try:
        doc = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        return dict.fromkeys(("space_version", "tables", "instructions", "sample_questions",
                              "sample_question_count", "instruction_count", "example_sql_count",
                              "benchmark_count"))
    version = integer(doc.get("version"))
    tables = _section(doc, ("data_sources", "tables"), ("tables",))
    views = _section(doc, ("data_sources", "metric_views"), ("metric_views",)) or []
    samples = _section(doc, ("config", "sample_questions"), ("sample_questions",))
    texts = _section(doc, ("instructions", "text_instructions"), ("text_instructions",))
    if texts is None and isinstance(doc.get("instructions"), str):  # a flat layout: one string
        texts = [doc["instructions"]]
    examples = _section(doc, ("instructions", "example_question_sqls"), ("example_question_sqls",))
    benchmarks = _section(doc, ("benchmarks", "questions"), ("benchmarks",))
    empty: list[Any] | None = [] if version in KNOWN_VERSIONS else None
    tables, samples, texts = _names(_either(tables, empty)), _questions(_either(samples, empty)), _either(texts, empty)
    examples, benchmarks = _either(examples, empty), _either(benchmarks, empty)
    return {
        "space_version": version,
        "tables": None if tables is None else tables + (_names(views) or []),
        "instructions": _instruction_text(texts),
        "sample_questions": samples,
        "sample_question_count": None if samples is None else len(samples),
        "instruction_count": None if texts is None else len(texts),
        "example_sql_count": None if examples is None else len(examples),
        "benchmark_count": None if benchmarks is None else len(benchmarks),
    }


def _creator(space: Mapping[str, Any]) -> str | None:
    """Who made the space: a creator key if the payload has one, else the user folder it lives in
    (`/Workspace/Users/<email>/...`), which is where Genie puts a new space."""
    named = next((v for k in ("creator", "creator_user_name", "created_by") if (v := text(space.get(k)))), None)
    path = text(space.get("parent_path")) or ""
    if named or not path.startswith(_USER_FOLDER):
        return named
    return path[len(_USER_FOLDER):].split("/")[0] or None


def space_row(space: Mapping[str, Any], workspace_id: str | None, fetched_at: datetime) -> dict[str, Any]:
    """One genie_space_details row from list_spaces / get_space JSON (serialized_space optional)."""
    space = obj(space)
    serialized = space.get("serialized_space")
    return {
        "workspace_id": workspace_id,
        "space_id": text(space.get("space_id")) or text(space.get("id")),
        "title": text(space.get("title")),
        "description": text(space.get("description")),
        "warehouse_id": text(space.get("warehouse_id")),
        "parent_path": text(space.get("parent_path")),
        "creator": _creator(space),
        "create_time": utc_time(space.get("create_time")),
        "update_time": utc_time(space.get("update_time")),
        "serialized_space": serialized if isinstance(serialized, str) else None,
        **parse_serialized(serialized),
        "fetched_at": fetched_at,
        "deleted_time": None,
    }


def listed_ids(spaces: list[Any]) -> list[str]:
    """The space ids of a list_spaces page (entries without one skipped)."""
    return [sid for s in objs(spaces) if (sid := text(s.get("space_id")) or text(s.get("id")))]
