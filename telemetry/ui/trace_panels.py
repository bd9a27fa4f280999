"""The Trace page's Streamlit pieces: the waterfall in a fixed-height scrolling box with its controls,
the span tree (a row selects the span), the span detail tabs and the comparison of two traces.

The selected span lives in the URL (`&span=`); a click on a bar or a row sets it through a callback
(so the rerun queries that span), and the chart and the table are fresh widgets per selected span,
so a stale selection never fights the URL. "Show more spans" and collapsed subtrees are this
session's state, per trace.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from telemetry.traces import compare, span_view, trace_columns, waterfall
from telemetry.traces import trace_view as tv
from telemetry.traces import tree as trees
from telemetry.traces.span_view import SpanDetail
from telemetry.ui import columns
from telemetry.ui.panels import chart, table
from telemetry.ui.text import facts

SPAN = "span"
BOX_PX = 640  # the waterfall's scrolling box: about 28 rows in view, any number of rows inside
TREE_PX = 460
CHART_FRAME_PX = 150  # the legend and the time axis above the bars
_MORE = "_trace_more_{trace}"
_COLLAPSED = "_trace_collapsed_{trace}"


def url() -> dict[str, str]:
    """The page's URL parameters (span, t, ct; the trace ids are bound widgets)."""
    return st.query_params.to_dict()


def _select(span_id: str) -> None:
    if span_id:
        st.query_params[SPAN] = span_id


def _picked_bar(key: str) -> None:
    state = st.session_state.get(key) or {}
    _select(waterfall.picked(state.get("selection")))


def _picked_row(key: str, ids: list[str]) -> None:
    rows = (st.session_state.get(key) or {}).get("selection", {}).get("rows", [])
    if rows and 0 <= rows[0] < len(ids):
        _select(ids[rows[0]])


def _more(trace_id: str, step: int | None) -> None:
    key = _MORE.format(trace=trace_id)
    st.session_state[key] = 10**9 if step is None else st.session_state.get(key, 0) + step


def _toggle_collapsed(trace_id: str, span_id: str) -> None:
    key = _COLLAPSED.format(trace=trace_id)
    held = set(st.session_state.get(key, set()))
    st.session_state[key] = held ^ {span_id}


def _controls(tree: trees.Tree) -> tuple[bool, int | None, str, tuple[float, float] | None]:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        critical = st.toggle("Highlight the critical path", key="critical", bind="query-params",
                             help="Fade every span that did not decide when the trace ended (Jaeger's critical path).")
        depths = ["all", *(str(d) for d in range(1, tree.max_depth))]
        depth = st.selectbox("Depth shown", depths, key="depth", bind="query-params", width=150,
                             format_func=lambda d: "All levels" if d == "all" else f"Down to level {d}")
        find = st.text_input("Find spans", key="find", placeholder="name, service, span id, status or model",
                             width=300)
        full = (0.0, float(max(round(tree.duration_ms, 3), 0.001)))
        zoom = st.slider("Time window (ms)", 0.0, full[1], full, key=f"zoom_{full[1]}", width=320,
                         help="Zoom the time axis to part of the trace.")
    return (bool(critical), (None if depth in (None, "all") else int(depth)), find or "",
            None if tuple(zoom) == full else (float(zoom[0]), float(zoom[1])))


def _hidden_notice(trace_id: str, shown: trees.Shown, step: int) -> None:
    parts = []
    if shown.hidden_by_limit:
        parts.append(f"{shown.hidden_by_limit:,} more spans are not drawn (the first {len(shown.spans):,} in tree "
                     "order are)")
    if shown.hidden_by_depth:
        parts.append(f"{shown.hidden_by_depth:,} below the depth shown")
    if shown.hidden_by_collapse:
        parts.append(f"{shown.hidden_by_collapse:,} inside collapsed spans")
    if not parts:
        return
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f":material/visibility_off: **{shown.hidden:,} spans hidden**: " + "; ".join(parts) + ".")
        if shown.hidden_by_limit:
            st.button(f"Show {min(step, shown.hidden_by_limit):,} more spans", key="more_spans",
                      on_click=_more, args=(trace_id, step), icon=":material/expand_more:")
            st.button("Show all", key="all_spans", on_click=_more, args=(trace_id, None), type="tertiary")


def waterfall_panel(tree: trees.Tree, trace_id: str, limit: int, selected: str) -> trees.Shown:
    """Controls, the hidden-spans notice, and the waterfall; returns what it drew (the tree shows it too)."""
    critical, depth, find, zoom = _controls(tree)
    collapsed = st.session_state.get(_COLLAPSED.format(trace=trace_id), set())
    extra = st.session_state.get(_MORE.format(trace=trace_id), 0)
    shown = trees.visible(tree, limit + extra, depth, collapsed)
    _hidden_notice(trace_id, shown, limit)
    matched = trees.matches(shown.spans, find) if find.strip() else None
    if matched is not None:
        st.caption(f"{int(matched.sum()):,} of the {len(shown.spans):,} spans drawn match {find.strip()!r}.")
    figure = waterfall.chart(shown.spans, tree.duration_ms, critical_only=critical, matched=matched,
                             selected=selected, window_ms=zoom)
    key = f"waterfall_{selected}"
    tall = len(shown.spans) * waterfall.ROW_PX + CHART_FRAME_PX > BOX_PX
    with st.container(height=BOX_PX if tall else "content", border=False):
        if figure is None:
            chart(None, "Every span is hidden by the depth or the collapsed spans.")
        else:
            st.altair_chart(figure, width="stretch", key=key, on_select=lambda: _picked_bar(key),
                            selection_mode=waterfall.SELECTION)
    st.caption("Click a bar or a row below to open the span. Red outline and ✕: status ERROR. "
               "Bars are in tree order: each span under its parent, children by start time.")
    return shown


def span_tree(shown: trees.Shown, tree: trees.Tree, trace_id: str, selected: str) -> None:
    """The drawn spans as a table (the waterfall's search applies); selecting a row opens that span.
    A button collapses the selected span's subtree (in the waterfall and here)."""
    rows = span_view.tree_rows(shown.spans)[list(trace_columns.SPAN_TREE)]
    find = str(st.session_state.get("find") or "")
    if find.strip():
        rows = rows[trees.matches(rows, find).to_numpy()]
    ids = rows["span_id"].astype(str).tolist()
    frame, config, order = columns.prepare(rows, trace_columns.SPAN_TREE)
    key = f"span_tree_{selected}"
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config, column_order=order, key=key,
                 height=min(TREE_PX, 38 + 35 * max(len(rows), 1)), on_select=lambda: _picked_row(key, ids),
                 selection_mode="single-row")
    if selected and selected in set(tree.spans["span_id"]):
        held = selected in st.session_state.get(_COLLAPSED.format(trace=trace_id), set())
        children = int(tree.spans.loc[tree.spans["span_id"] == selected, "descendants"].iloc[0])
        if children:
            st.button(f"{'Expand' if held else 'Collapse'} the selected span's {children:,} descendants",
                      key="collapse_span", on_click=_toggle_collapsed, args=(trace_id, selected),
                      icon=":material/unfold_less:" if not held else ":material/unfold_more:")


def _table(frame, key: str, preset: dict, why_empty: str) -> None:
    """A detail table, or a quiet caption when it has no rows (an empty tab is normal, not a problem)."""
    if frame.empty:
        st.caption(why_empty)
    else:
        table(frame, key=key, preset=preset, why_empty=why_empty)


def _code(text: str, language: str = "text") -> None:
    st.code(text, language=language, wrap_lines=True)


def _messages(title: str, messages: list) -> None:
    st.markdown(f"**{title}**")
    if not messages:
        st.caption(f"No {title.lower()} recorded on this span.")
        return
    for m in messages:
        with st.chat_message("assistant" if m.role in ("assistant", "output", "ai", "model") else "user"):
            st.caption(m.role)
            _code(m.content)


def _llm(d: SpanDetail) -> None:
    llm = d.llm
    if not llm.is_call:  # an agent or tool span with recorded inputs and outputs (mlflow.spanInputs)
        _messages("Inputs", llm.prompt)
        _messages("Outputs", llm.completion)
        return
    st.markdown(f"**Model**: {tv.shown(llm.model or 'not recorded')}")
    with st.container(horizontal=True):
        st.metric("Input tokens", "–" if llm.input_tokens is None else f"{llm.input_tokens:,}", border=True)
        st.metric("Output tokens", "–" if llm.output_tokens is None else f"{llm.output_tokens:,}", border=True)
        st.metric("Cost", span_view.usd_text(llm.cost_usd) if llm.cost_usd is not None else "no price",
                  border=True, help="At the configured price per 1M tokens (TELEMETRY_LLM_PRICES).")
    _messages("Prompt", llm.prompt)
    _messages("Completion", llm.completion)


def _attributes(d: SpanDetail) -> None:
    find = st.text_input("Search attributes", key="attribute_find", placeholder="key or value", width=340)
    rows = span_view.attribute_table(d.attributes, find or "")
    _table(rows, key="span_attributes", preset=trace_columns.ATTRIBUTES,
          why_empty="No attribute matches." if d.attributes else "This span has no attributes.")
    shown = set(rows["key"])
    for key, text in [(k, t) for k, t in span_view.json_values(d.attributes) if k in shown][:12]:
        st.caption(key)
        _code(text, "json")


def _events(d: SpanDetail) -> None:
    for kind, message, stack in d.exceptions:
        st.markdown(f":red[**{tv.shown(kind or 'Exception')}**] {tv.shown(message)}")
        if stack:
            _code(stack, "python")
    _table(span_view.event_rows(d), key="span_events", preset=trace_columns.EVENTS, why_empty="No events on this span.")


def span_detail(d: SpanDetail | None, requested: str, link: Callable[[str, str], str]) -> None:
    """The selected span: facts, status message, then tabs for attributes, events, LLM, resource, links."""
    if d is None:
        st.caption("The trace has no span to show.")
        return
    if requested and not d.get("requested", False):
        st.caption(f":material/help: Span {tv.shown(requested)} is not in this trace; showing its root span.")
    colour = {"ERROR": "red", "OK": "green"}.get(d.get("status_code"), "gray")
    facts(d.get("name"), (d.get("status_code"), colour), service=d.get("service_name"), kind=d.get("kind"),
          duration=span_view.duration_text(d.get("duration_ms", None)), span_id=d.get("span_id"),
          parent=d.get("parent_span_id") or "none (root)")
    if d.get("status_message"):
        st.markdown(f":red[**Status message**]: {tv.shown(str(d.get('status_message')))}")
    tabs: dict[str, Callable[[], None]] = {}
    if d.llm.present:
        tabs["LLM call" if d.llm.is_call else "Inputs and outputs"] = lambda: _llm(d)
    events = f"Events ({len(d.events)})" + (" ⚠" if d.exceptions else "")
    if d.exceptions:  # what went wrong first
        tabs[events] = lambda: _events(d)
    tabs[f"Attributes ({len(d.attributes)})"] = lambda: _attributes(d)
    tabs.setdefault(events, lambda: _events(d))
    tabs[f"Resource ({len(d.resource)})"] = lambda: _table(
        span_view.attribute_table(d.resource), key="span_resource", preset=trace_columns.ATTRIBUTES,
        why_empty="No resource attributes.")
    tabs[f"Links ({len(d.links)})"] = lambda: _table(
        span_view.link_rows(d, link), key="span_links", preset=trace_columns.LINKS,
        why_empty="This span links to no other span.")
    for tab, draw in zip(st.tabs(list(tabs)), tabs.values(), strict=True):
        with tab:
            draw()


def comparison(a: trees.Tree, b: trees.Tree, ask: tv.Ask) -> None:
    """Trace A (this one) against trace B (&compare=): totals, then per operation, biggest change first."""
    if b.empty:
        st.warning(f"No such trace to compare: {tv.shown(ask.compare_id)}. {ask.compare_window.text}",
                   icon=":material/search_off:")
        return
    st.markdown(f"**A** = this trace · **B** = [{tv.shown(ask.compare_id)}]({tv.link(ask.compare_id)})")
    table(compare.summary(compare.side("A", ask.trace_id, a), compare.side("B", ask.compare_id, b)),
          key="compare_summary", preset=compare.SUMMARY_COLUMNS, why_empty="")
    table(compare.operations(a.spans, b.spans), key="compare_operations", preset=compare.COLUMNS,
          why_empty="Neither trace has spans.")
