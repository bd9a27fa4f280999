"""Two traces side by side: per operation (service + span name) how many spans each has and how long
they took, with the differences, largest change in total time first (Jaeger's trace comparison and
Grafana's span comparisons read the same way: what did B do more of, or more slowly, than A)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from telemetry.columns import Col, count, number, text
from telemetry.traces.tree import Tree

COLUMNS = {"service_name": text("Service"), "name": text("Operation"),
           "spans_a": count("Spans A"), "spans_b": count("Spans B"), "spans_diff": count("Δ spans"),
           "total_ms_a": number("Total ms A", "%.1f"), "total_ms_b": number("Total ms B", "%.1f"),
           "total_ms_diff": number("Δ total ms", "%+.1f", help="B − A"),
           "mean_ms_a": number("Mean ms A", "%.1f"), "mean_ms_b": number("Mean ms B", "%.1f"),
           "mean_ms_diff": number("Δ mean ms", "%+.1f", help="B − A"),
           "only_in": Col("Only in", help="Operations one of the traces does not have")}


def _per_operation(spans: pd.DataFrame) -> pd.DataFrame:
    return (spans.groupby(["service_name", "name"], dropna=False)["duration_ms"]
            .agg(spans="count", total_ms="sum", mean_ms="mean").reset_index())


def operations(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """One row per operation of either trace: count, total and mean duration in A and B, B − A."""
    both = _per_operation(a).merge(_per_operation(b), on=["service_name", "name"], how="outer",
                                   suffixes=("_a", "_b"), indicator=True)
    for side in ("a", "b"):
        both[f"spans_{side}"] = both[f"spans_{side}"].fillna(0).astype(int)
        both[f"total_ms_{side}"] = both[f"total_ms_{side}"].fillna(0.0)
    both["spans_diff"] = both["spans_b"] - both["spans_a"]
    both["total_ms_diff"] = both["total_ms_b"] - both["total_ms_a"]
    both["mean_ms_diff"] = both["mean_ms_b"] - both["mean_ms_a"]
    both["only_in"] = both["_merge"].map({"left_only": "A", "right_only": "B", "both": ""}).astype(str)
    both["_order"] = both["total_ms_diff"].abs()
    ordered = both.sort_values(["_order", "service_name", "name"], ascending=[False, True, True])
    return ordered.drop(columns=["_merge", "_order"]).reset_index(drop=True)[list(COLUMNS)]


@dataclass(frozen=True)
class Side:
    """One trace's totals in the comparison header."""

    label: str
    trace_id: str
    duration_ms: float
    spans: int
    errors: int
    services: int


def side(label: str, trace_id: str, tree: Tree) -> Side:
    spans = tree.spans
    return Side(label, trace_id, tree.duration_ms, tree.total_spans, int((spans["status_code"] == "ERROR").sum()),
                int(spans["service_name"].nunique()))


def summary(a: Side, b: Side) -> pd.DataFrame:
    """Duration, spans, errors and services of A and B, and B − A (the table above the per-operation one)."""
    rows = [("Duration (ms)", a.duration_ms, b.duration_ms, "{:,.1f}", "{:+,.1f}"),
            ("Spans", a.spans, b.spans, "{:,}", "{:+,}"), ("Errors", a.errors, b.errors, "{:,}", "{:+,}"),
            ("Services", a.services, b.services, "{:,}", "{:+,}")]
    return pd.DataFrame([(m, f.format(x), f.format(y), d.format(y - x)) for m, x, y, f, d in rows],
                        columns=["measure", "a", "b", "diff"])


SUMMARY_COLUMNS = {"measure": text("Measure"), "a": text("Trace A"), "b": text("Trace B"), "diff": text("B − A")}
