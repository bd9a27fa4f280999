"""One trace's spans as a tree: tree order, depth, self time, the critical path and what is shown.

The rows are traces/trace_spans (start order). Tree order is depth-first from the root with each
span's children by start time (then span id), the order Jaeger, Tempo and Phoenix draw a waterfall.

* Roots: spans without a parent. The first one is *the* root; other parentless spans follow it at
  depth 0. Orphans (a parent id that is not in the trace: a span lost, dropped by sampling or not
  yet written) hang under the root with `orphan` set, so nothing is silently left out; a trace with
  no root at all shows its orphans at depth 0. A parent cycle (malformed data) is broken the same way.
* Self time: a span's duration minus the union of its children's intervals (clipped to the span):
  the time the span spent on its own, not waiting for a child.
* Critical path (Jaeger's definition, jaeger-ui #1288): walk back from the root's end; the child that
  finished last before the cursor is critical from its start to its end and is walked the same way,
  the gap after it is the parent's own; then the cursor moves to that child's start and the next
  child finishing before it is taken. Children that overlap a chosen one ran in parallel and did not
  decide the end. A span is on the path when it owns any of that time (`critical_ms` > 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

NS_PER_MS = 1_000_000
ORPHAN_MARK = "⚠ "  # before the name of a span whose parent is not in the trace
CRITICAL_PATH_HELP = ("The critical path: the spans that decided when the trace ended. From the root's end, "
                      "the child that finished last is on it, then the child that finished last before that one "
                      "started, and so on, inside each of them too (Jaeger's definition). Spans that overlap "
                      "them ran in parallel and did not delay the end.")
INDENT = "\u2002\u2002"  # two en spaces per level: kept by the browser, unlike plain spaces


@dataclass(frozen=True)
class Tree:
    """The trace in tree order (`spans`, one row per span, with the columns below added)."""

    spans: pd.DataFrame  # + depth, orphan, offset_ms, end_offset_ms, self_ms, critical, critical_ms,
    #                       children, descendants, position, label
    start_ns: int = 0
    end_ns: int = 0
    total_spans: int = 0  # the trace's spans, loaded or not (the row cap may have cut the list)

    @property
    def loaded(self) -> int:
        return len(self.spans)

    @property
    def truncated(self) -> bool:
        return self.total_spans > self.loaded

    @property
    def duration_ms(self) -> float:
        return (self.end_ns - self.start_ns) / NS_PER_MS

    @property
    def max_depth(self) -> int:
        return int(self.spans["depth"].max()) if self.loaded else 0

    @property
    def empty(self) -> bool:
        return self.spans.empty


@dataclass
class _Links:
    """Parent → children index lists of the loaded spans, and how each span was reached."""

    children: list[list[int]]
    orphan: list[bool]
    top: list[int]
    unique: list[int] = field(default_factory=list)  # row positions, a duplicated span's first row only


def _parent_ids(frame: pd.DataFrame) -> list[str | None]:
    return [None if (p is None or (isinstance(p, float) and np.isnan(p)) or p == "") else str(p)
            for p in frame["parent_span_id"].tolist()]


def _links(ids: list[str], parents: list[str | None], starts: list[int]) -> _Links:
    index: dict[str, int] = {}
    for i, span_id in enumerate(ids):
        index.setdefault(span_id, i)
    children: list[list[int]] = [[] for _ in ids]
    orphan = [False] * len(ids)
    roots, orphans, unique = [], [], []
    for i, parent in enumerate(parents):
        if index[ids[i]] != i:
            continue  # a duplicate row of a span already seen
        unique.append(i)
        if parent is None:
            roots.append(i)
        elif parent in index and index[parent] != i:
            children[index[parent]].append(i)
        else:
            orphan[i] = True
            orphans.append(i)
    if roots:
        children[roots[0]].extend(orphans)
        top = roots
    else:
        top = orphans
    for kids in children:
        kids.sort(key=lambda c: (starts[c], ids[c]))
    top.sort(key=lambda c: (starts[c], ids[c]))
    return _Links(children, orphan, top, unique)


def _walk(links: _Links, n: int) -> tuple[list[int], list[int], list[list[int]]]:
    """Depth-first order, depth per span, and the children each span was walked through."""
    order: list[int] = []
    depth = [0] * n
    tree_children: list[list[int]] = [[] for _ in range(n)]
    seen = [False] * n
    pending = [(i, 0) for i in reversed(links.top)]
    while True:
        while pending:
            i, d = pending.pop()
            if seen[i]:
                continue
            seen[i], depth[i] = True, d
            order.append(i)
            kids = [c for c in links.children[i] if not seen[c]]
            tree_children[i] = kids
            pending.extend((c, d + 1) for c in reversed(kids))
        first = next((i for i in links.unique if not seen[i]), None)
        if first is None:
            return order, depth, tree_children
        # a parent cycle: break it at its earliest span
        links.orphan[first] = True
        if order:
            tree_children[order[0]].append(first)
            pending.append((first, 1))
        else:
            pending.append((first, 0))


def _self_ms(i: int, kids: list[int], starts: list[int], ends: list[int]) -> float:
    lo, hi = starts[i], ends[i]
    busy, cursor = 0, lo
    for s, e in sorted((max(starts[c], lo), min(ends[c], hi)) for c in kids):
        if e <= cursor:
            continue
        busy += e - max(s, cursor)
        cursor = e
    return max(0, (hi - lo) - busy) / NS_PER_MS


def critical_ms(root: int, tree_children: list[list[int]], starts: list[int], ends: list[int]) -> dict[int, float]:
    """Each span's share of the critical path in ms (Jaeger's walk; see the module docstring)."""
    owned: dict[int, float] = {}
    by_end: dict[int, list[tuple[int, int, int]]] = {}
    pointer: dict[int, int] = {}

    def kids_by_end(i: int) -> list[tuple[int, int, int]]:
        if i not in by_end:  # children clipped to the parent, latest end first
            lo, hi = starts[i], ends[i]
            clipped = [(min(ends[c], hi), max(starts[c], lo), c) for c in tree_children[i]
                       if starts[c] < hi and ends[c] > lo]
            by_end[i] = sorted(clipped, key=lambda t: (-t[0], t[1], t[2]))
            pointer[i] = 0
        return by_end[i]

    stack = [(root, ends[root])]
    while stack:
        i, cursor = stack.pop()
        kids, k = kids_by_end(i), pointer.get(i, 0)
        while k < len(kids) and kids[k][0] > cursor:
            k += 1  # finished after the cursor: ran in parallel with a later critical child
        if k >= len(kids):
            pointer[i] = k
            owned[i] = owned.get(i, 0.0) + max(0, cursor - starts[i]) / NS_PER_MS
            continue
        end, start, child = kids[k]
        pointer[i] = k + 1
        owned[i] = owned.get(i, 0.0) + max(0, cursor - end) / NS_PER_MS
        stack.append((i, start))
        stack.append((child, end))
    return owned


def build(frame: pd.DataFrame) -> Tree:
    """The tree of one trace's span rows (traces/trace_spans); an empty frame gives an empty tree."""
    if frame.empty:
        return Tree(frame.assign(depth=[], orphan=[], offset_ms=[], end_offset_ms=[], self_ms=[], critical=[],
                                 critical_ms=[], children=[], descendants=[], position=[], label=[]))
    ids = frame["span_id"].astype(str).tolist()
    starts = [int(v) for v in frame["start_ns"].tolist()]
    ends = [max(int(e), s) for e, s in zip(frame["end_ns"].tolist(), starts, strict=True)]
    links = _links(ids, _parent_ids(frame), starts)
    order, depth, tree_children = _walk(links, len(ids))
    owned = critical_ms(order[0], tree_children, starts, ends)
    descendants = [0] * len(ids)
    for i in reversed(order):
        descendants[i] = sum(1 + descendants[c] for c in tree_children[i])
    t0, t1 = min(starts), max(ends)
    names = frame["name"].astype(str).tolist()
    spans = frame.iloc[order].reset_index(drop=True).assign(
        depth=[depth[i] for i in order],
        orphan=[links.orphan[i] for i in order],
        offset_ms=[(starts[i] - t0) / NS_PER_MS for i in order],
        end_offset_ms=[(ends[i] - t0) / NS_PER_MS for i in order],
        self_ms=[_self_ms(i, tree_children[i], starts, ends) for i in order],
        critical_ms=[owned.get(i, 0.0) for i in order],
        children=[len(tree_children[i]) for i in order],
        descendants=[descendants[i] for i in order],
        position=range(len(order)),
        label=[INDENT * depth[i] + (ORPHAN_MARK if links.orphan[i] else "") + names[i] for i in order])
    spans["critical"] = spans["critical_ms"] > 0
    total = int(frame["trace_span_count"].iloc[0]) if "trace_span_count" in frame else len(frame)
    return Tree(spans, t0, t1, max(total, len(spans)))


@dataclass(frozen=True)
class Shown:
    """The spans drawn now, and how many each rule hid (each count says so on the page)."""

    spans: pd.DataFrame
    hidden_by_limit: int = 0
    hidden_by_depth: int = 0
    hidden_by_collapse: int = 0

    @property
    def hidden(self) -> int:
        return self.hidden_by_limit + self.hidden_by_depth + self.hidden_by_collapse


def visible(tree: Tree, limit: int, max_depth: int | None = None,
            collapsed: frozenset[str] | set[str] = frozenset()) -> Shown:
    """The spans to draw: in tree order, none deeper than `max_depth`, none inside a collapsed span's
    subtree, then the first `limit` of those (the rest come on demand: 'show N more')."""
    spans = tree.spans
    keep = np.ones(len(spans), bool)
    by_depth = np.zeros(len(spans), bool)
    if max_depth is not None:
        by_depth = spans["depth"].to_numpy() > max_depth
    inside = np.zeros(len(spans), bool)
    if collapsed:
        rows = spans.index[spans["span_id"].isin(list(collapsed))]
        for pos in rows:
            inside[pos + 1: pos + 1 + int(spans.at[pos, "descendants"])] = True
    keep &= ~by_depth & ~inside
    kept = np.flatnonzero(keep)
    shown = spans.iloc[kept[:max(limit, 0)]]
    return Shown(shown, max(0, len(kept) - max(limit, 0)), int((by_depth & ~inside).sum()), int(inside.sum()))


def matches(spans: pd.DataFrame, text: str) -> pd.Series:
    """Spans whose name, service, span id, status or model contains `text` (any case, as typed)."""
    needle = text.strip().lower()
    if not needle:
        return pd.Series(True, index=spans.index)
    hit = pd.Series(False, index=spans.index)
    for column in ("name", "service_name", "span_id", "status_code", "model", "span_type"):
        if column in spans:
            hit |= spans[column].astype(str).str.lower().str.contains(needle, regex=False, na=False)
    return hit
