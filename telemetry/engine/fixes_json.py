"""Dialect fixes for JSON: Spark's answer where sqlglot's DuckDB SQL differs or does not run.

Spark's JSON functions answer NULL for malformed text, so every JSON document is read with
TRY_CAST(... AS JSON).
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import SqlglotError

from telemetry.engine.fixes_common import Fixer, fill
from telemetry.engine.fixes_datetime import naive_timestamp


def _from_json(node: exp.FromJson) -> exp.Expr:
    """from_json(text, '<Spark schema>') → a typed cast of the JSON. Spark answers NULL for
    malformed text and for values of the wrong type; TRY_CAST does the same."""
    schema = node.expression
    if not (isinstance(schema, exp.Literal) and schema.is_string):
        return node
    target = spark_schema_type(schema.name)
    return exp.TryCast(this=exp.TryCast(this=node.this, to=exp.DataType.build("JSON")), to=target)


def spark_schema_type(schema: str) -> exp.DataType:
    """A Spark schema string ('array<struct<a:int>>', or DDL 'a INT, b STRING') as a DuckDB-ready
    sqlglot type, timestamps naive."""
    try:
        dtype = exp.DataType.build(schema, dialect="databricks")
    except SqlglotError:
        dtype = exp.DataType.build(f"struct<{schema}>", dialect="databricks")
    for part in dtype.find_all(exp.DataType):
        naive_timestamp(part)
    return dtype


def _json_path(node: exp.JSONExtract | exp.JSONExtractScalar) -> exp.Expr:
    """get_json_object / `col:path`: NULL (not an error) for malformed JSON, and `:` on a string
    column returns text (scalars unquoted), like `->>`."""
    if isinstance(node, exp.JSONExtract) and not node.args.get("variant_extract"):
        return node
    source = node.this
    if not isinstance(source, exp.ParseJSON):
        source = exp.TryCast(this=source, to=exp.DataType.build("JSON"))
    return exp.JSONExtractScalar(this=source, expression=node.expression)


# --- json_tuple (a generator: expanded where it stands, see fixes_values) -------------------------------

def is_json_tuple(node: exp.Expr) -> bool:
    return isinstance(node, exp.Anonymous) and node.name.lower() == "json_tuple"


def json_tuple_values(node: exp.Anonymous) -> list[exp.Expr]:
    """json_tuple(json, 'k1', 'k2', ...) as one text expression per key: strings unquoted, objects
    and arrays as compact JSON, JSON null, a missing key or malformed JSON as NULL (Spark's rules)."""
    source, keys = node.expressions[0], node.expressions[1:]
    document = fill("TRY_CAST(_j AS JSON)", j=source)
    return [fill("_d ->> _p", d=document, p=_key_path(key)) for key in keys]


def json_tuple_names(count: int) -> list[str]:
    """Spark's column names for an unaliased json_tuple: c0, c1, ..."""
    return [f"c{i}" for i in range(count)]


def _key_path(key: exp.Expr) -> exp.Expr:
    """The DuckDB JSON path of one top-level key (quoted: keys may hold dots or spaces)."""
    if isinstance(key, exp.Literal) and key.is_string:
        return exp.Literal.string('$."' + key.name.replace('"', '\\"') + '"')
    return fill("""'$."' || _k || '"'""", k=key)


FIXERS: dict[type, Fixer] = {
    exp.FromJson: _from_json,
    exp.JSONExtract: _json_path,
    exp.JSONExtractScalar: _json_path,
}

ANONYMOUS: dict[str, Fixer] = {}
