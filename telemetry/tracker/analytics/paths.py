"""Paths: what users do right after (and just before) a chosen action, inside a session.

tracker/paths returns transition counts around the action: one level before, two levels after. This
module turns them into tables with shares, and into a left-to-right flow as Graphviz DOT text
(before → the action → next → the one after), edges as thick as their share.
"""

from __future__ import annotations

import pandas as pd

from telemetry.tracker.actions import Actions

DEFAULT_ACTIONS = (Actions.SQL_EXECUTED, Actions.QUESTION_ASKED)
FLOW_BRANCHES = 5  # next actions drawn per node (the table has them all)
START, END = "(session start)", "(session end)"


def default_action(actions: list[str]) -> str:
    """The action the paths start from when the URL names none: SQL executed, else the most frequent."""
    return next((a for a in DEFAULT_ACTIONS if a in actions), actions[0] if actions else "")


def params(action: str) -> dict[str, str]:
    return {"path_action": action}


def occurrences(frame: pd.DataFrame) -> int:
    """How often the chosen action happened (every occurrence has exactly one next step or an end)."""
    after = frame[(frame["direction"] == "after") & (frame["level"] == 1)] if not frame.empty else frame
    return int(after["transitions"].sum()) if len(after) else 0


def _with_share(rows: pd.DataFrame, totals: pd.Series) -> pd.DataFrame:
    out = rows.copy()
    out["share"] = 100.0 * out["transitions"] / out["from_action"].map(totals)
    return out.reset_index(drop=True)


def next_steps(frame: pd.DataFrame) -> pd.DataFrame:
    """Both levels after the action: from_action → to_action, transitions, users, and share (0–100)
    of the from_action's occurrences on that level (level 2's from is a level-1 next action)."""
    if frame.empty:
        return frame
    after = frame[frame["direction"] == "after"]
    first = after[after["level"] == 1]
    totals = first.groupby("from_action")["transitions"].sum()
    second_totals = first.set_index("to_action")["transitions"]
    second = after[after["level"] == 2]
    shares = pd.concat([_with_share(first, totals), _with_share(second, second_totals)], ignore_index=True)
    return shares.sort_values(["level", "transitions", "from_action", "to_action"],
                              ascending=[True, False, True, True]).reset_index(drop=True)


def before_steps(frame: pd.DataFrame) -> pd.DataFrame:
    """What users did just before the action: from_action, transitions, users, share (0–100)."""
    if frame.empty:
        return frame
    before = frame[frame["direction"] == "before"]
    total = before["transitions"].sum()
    out = before.assign(share=100.0 * before["transitions"] / total if total else 0.0)
    return out.sort_values(["transitions", "from_action"], ascending=[False, True]).reset_index(drop=True)


def _quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _node(node: str, label: str, fill: str = "#F4F6F8") -> str:
    """A node; the session's start and end are dashed (they are no action)."""
    style = ', style="rounded,dashed", fillcolor=white' if label in (START, END) else f", fillcolor={_quote(fill)}"
    return f"{_quote(node)} [label={_quote(label)}{style}];"


def _edge(src: str, dst: str, count: int, share: float) -> str:
    width = 1 + 7 * share / 100
    return (f"{_quote(src)} -> {_quote(dst)} [label={_quote(f'{count:,} ({share:.0f}%)')}, "
            f"penwidth={width:.1f}, tooltip={_quote(f'{count:,} times')}];")


def flow_dot(frame: pd.DataFrame, action: str, branches: int = FLOW_BRANCHES) -> str | None:
    """The flow as Graphviz DOT: the top `branches` actions before, after, and after each of those.

    Nodes are per column (an action may appear before and after), labelled by the action; action
    names are quoted, so any name is safe in the DOT text. None when the action never happened."""
    after = next_steps(frame)
    if after.empty:
        return None
    lines = ["digraph paths {", "rankdir=LR; nodesep=0.25; ranksep=0.9;",
             'node [shape=box, style="rounded,filled", fillcolor="#F4F6F8", color="#1B3139", '
             'fontname="Helvetica", fontsize=11];', 'edge [color="#2272B4", fontname="Helvetica", fontsize=9];',
             f'{_quote("c:" + action)} [label={_quote(action)}, fillcolor="#1B3139", fontcolor="white"];']
    for row in before_steps(frame).head(branches).itertuples():
        lines.append(_node("b:" + row.from_action, row.from_action))
        lines.append(_edge("b:" + row.from_action, "c:" + action, row.transitions, row.share))
    first = after[after["level"] == 1].head(branches)
    for row in first.itertuples():
        lines.append(_node("n1:" + row.to_action, row.to_action))
        lines.append(_edge("c:" + action, "n1:" + row.to_action, row.transitions, row.share))
    second = after[(after["level"] == 2) & after["from_action"].isin(first["to_action"])]
    for row in second.groupby("from_action", sort=False).head(3).itertuples():
        node = f"n2:{row.from_action}>{row.to_action}"
        lines.append(_node(node, row.to_action, fill="white"))
        lines.append(_edge("n1:" + row.from_action, node, row.transitions, row.share))
    lines.append("}")
    return "\n".join(lines)


def default_index(actions: list[str]) -> int | None:
    """The picker's preselected position (None when the table holds no actions)."""
    action = default_action(actions)
    return actions.index(action) if action in actions else None
