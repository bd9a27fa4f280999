"""The span tree: tree order, depth, orphans, self time, the critical path, and which spans are drawn
(render limit, depth, collapsed spans), on span rows read by the real traces/trace_spans query from
the demo database and from traces of known shape (tests/traces/synthetic.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from telemetry import queries
from telemetry.bench.sample_params import page_samples
from telemetry.config import load_settings
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.traces import trace_view
from telemetry.traces import tree as trees
from tests.traces import synthetic


@pytest.fixture(scope="module")
def db(demo_db, tmp_path_factory):
    """The demo database plus the synthetic agent trace and a 5,000-span trace."""
    import shutil

    path = tmp_path_factory.mktemp("tree") / "demo.duckdb"
    shutil.copyfile(demo_db, path)
    synthetic.insert(path, synthetic.big_trace_rows(5000) + synthetic.agent_trace_rows())
    return path


@pytest.fixture(scope="module")
def engine(db):
    engine = EmbeddedEngine(db, row_cap=10_000)
    yield engine
    engine.close()


def spans(engine, trace_id: str, t_ns: int | None = None) -> pd.DataFrame:
    ask = trace_view.ask(trace_id, {"t": str(t_ns)} if t_ns else {})
    request = trace_view.requests(ask, load_settings({}))[trace_view.SPANS]
    return queries.run(request.name, engine=engine, settings=load_settings({}), **request.params).frame


def test_the_demo_trace_is_a_proper_tree(engine):
    frame = spans(engine, page_samples(engine)["trace"])
    tree = trees.build(frame)
    s = tree.spans
    assert len(s) == len(frame) == tree.total_spans > 1
    assert sorted(s["span_id"]) == sorted(frame["span_id"])  # every span once
    assert s["depth"].iloc[0] == 0 and s["parent_span_id"].isna().iloc[0]
    depth = dict(zip(s["span_id"], s["depth"], strict=True))
    position = dict(zip(s["span_id"], s["position"], strict=True))
    for _, row in s.iloc[1:].iterrows():
        assert depth[row["span_id"]] == depth[row["parent_span_id"]] + 1
        assert position[row["span_id"]] > position[row["parent_span_id"]]  # parents come first
    assert (s["self_ms"] <= s["duration_ms"] + 1e-6).all() and (s["self_ms"] >= 0).all()
    assert s["critical"].iloc[0]
    assert s["critical_ms"].sum() == pytest.approx(s["duration_ms"].iloc[0], rel=1e-6)  # the path covers the root
    assert tree.duration_ms == pytest.approx((frame["end_ns"].max() - frame["start_ns"].min()) / 1e6)


def test_the_agent_trace_has_the_shape_it_was_built_with(engine):
    tree = trees.build(spans(engine, synthetic.AGENT_TRACE, synthetic.AGENT_T0))
    s = tree.spans.set_index("span_id")
    assert list(tree.spans["span_id"]) == ["root", "agent", "ret_fast", "ret_slow", "llm", "tool", "http", "answer",
                                           "orphan"]
    assert s["depth"].to_dict() == {"root": 0, "agent": 1, "ret_fast": 2, "ret_slow": 2, "llm": 2, "tool": 2,
                                    "http": 3, "answer": 2, "orphan": 1}
    assert s.loc["orphan", "orphan"] and not s.drop("orphan")["orphan"].any()
    assert s.loc["orphan", "label"].endswith(trees.ORPHAN_MARK + "cache.lookup")
    assert s.loc["agent", "self_ms"] == pytest.approx(98 - (28 + 29 + 29 + 7))
    assert s.loc["tool", "self_ms"] == pytest.approx(2)
    on_path = set(s.index[s["critical"]])
    assert on_path == {"root", "agent", "ret_slow", "llm", "tool", "http", "answer"}  # ret_fast ran in parallel
    assert s.loc["ret_slow", "critical_ms"] == pytest.approx(28)
    assert s.loc["root", "descendants"] == 8 and s.loc["tool", "descendants"] == 1


def test_a_big_trace_draws_the_first_n_spans_in_tree_order_and_counts_the_rest(engine):
    tree = trees.build(spans(engine, synthetic.BIG_TRACE, synthetic.T0))
    assert tree.loaded == tree.total_spans == 5000 and not tree.truncated
    shown = trees.visible(tree, 1000)
    assert len(shown.spans) == 1000 and shown.hidden_by_limit == 4000 and shown.hidden == 4000
    assert list(shown.spans["span_id"][:7]) == ["r0", "a0", "l0", "t0", "h0_0", "h0_1", "h0_2"]
    assert list(shown.spans["position"]) == list(range(1000))
    assert len(trees.visible(tree, 10**9).spans) == 5000
    shallow = trees.visible(tree, 1000, max_depth=1)
    assert list(shallow.spans["span_id"]) == ["r0", "a0"] and shallow.hidden_by_depth == 4998
    collapsed = trees.visible(tree, 1000, collapsed={"t0"})
    assert "h0_0" not in set(collapsed.spans["span_id"]) and collapsed.hidden_by_collapse == 3
    assert collapsed.spans["span_id"].iloc[4] == "l1"
    assert tree.spans["critical"].all()  # one step after another: every span decided the end


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (span_id, parent, start ms, end ms) as trace_spans returns them."""
    return pd.DataFrame([{"span_id": s, "parent_span_id": p, "name": s, "service_name": "svc", "start_ns": a * 10**6,
                          "end_ns": b * 10**6, "duration_ms": float(b - a), "status_code": "OK", "kind": "INTERNAL",
                          "input_tokens": None, "output_tokens": None} for s, p, a, b in rows])


def test_a_trace_without_its_root_shows_its_orphans_at_the_top():
    tree = trees.build(frame([("b", "lost", 0, 10), ("c", "b", 1, 5), ("d", "gone", 2, 4)]))
    s = tree.spans.set_index("span_id")
    assert list(tree.spans["span_id"]) == ["b", "c", "d"]
    assert s["depth"].to_dict() == {"b": 0, "c": 1, "d": 0} and s["orphan"].to_dict() == {"b": True, "c": False,
                                                                                           "d": True}


def test_a_parent_cycle_and_duplicate_rows_lose_no_span_and_never_loop():
    tree = trees.build(frame([("r", None, 0, 10), ("x", "y", 1, 3), ("y", "x", 2, 4), ("r", None, 0, 10)]))
    assert sorted(tree.spans["span_id"]) == ["r", "x", "y"]
    assert tree.spans.set_index("span_id").loc["x", "orphan"]


def test_critical_path_picks_the_child_that_ends_last_then_the_one_before_it():
    # a: 0-100 with children b 0-40, c 10-30 (overlaps b, finishes earlier), d 50-90, e 60-70 (inside d's time)
    tree = trees.build(frame([("a", None, 0, 100), ("b", "a", 0, 40), ("c", "a", 10, 30), ("d", "a", 50, 90),
                              ("e", "a", 60, 70)]))
    s = tree.spans.set_index("span_id")
    assert set(s.index[s["critical"]]) == {"a", "b", "d"}
    assert s.loc["a", "critical_ms"] == pytest.approx(10 + 10)  # 40-50 and 90-100


def test_search_matches_names_services_and_ids_as_typed():
    s = trees.build(frame([("root", None, 0, 10), ("fetch", "root", 1, 2)])).spans
    assert list(trees.matches(s, "FETCH")) == [False, True]
    assert trees.matches(s, "").all() and not trees.matches(s, ".*").any()  # text, not a pattern
