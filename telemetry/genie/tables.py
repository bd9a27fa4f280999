"""Table shaping of the Genie pages (pure functions, no Streamlit): links to the per-space page,
rates as percentages, unique space labels, workspace names, and one space's configuration block.

Tables never carry prompt text or SQL: counts, statuses, error types, space titles. Space titles,
descriptions, instructions and sample questions are user-written: shown as plain text, never Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

import pandas as pd

from telemetry.columns import Col, count, pct
from telemetry.columns import day as day_col
from telemetry.metrics.kpi import Kpi

SPACE_PAGE = "genie-space"
_MARKDOWN_SPECIAL = "\\`*_{}[]()<>#+-.!|~:$"


def space_link(space_id) -> str:
    """The per-space page's URL for `space_id` (encoded: ids come from data)."""
    return f"{SPACE_PAGE}?space={quote(str(space_id), safe='')}"


def markdown_safe(text) -> str:
    """`text` with every Markdown character escaped (space titles are user-written, and st.title
    renders Markdown)."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in str(text))


def space_labels(frame: pd.DataFrame) -> pd.Series:
    """A unique label per row: the title, with the start of the space id where two titles repeat."""
    ids = frame["space_id"].astype(str)
    titles = frame["title"].where(frame["title"].notna(), ids).astype(str)
    repeated = titles.duplicated(keep=False)
    return titles.where(~repeated, titles + " · " + ids.str[:6])


def _share_pct(top: pd.Series, bottom: pd.Series) -> pd.Series:
    return (100.0 * top.astype("float64") / bottom.astype("float64").where(bottom > 0)).astype("float64")


def ranked_spaces(spaces: pd.DataFrame, measure: str, workspaces: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every space ranked by `measure` (messages, users, cost_usd or failure_rate), with its link."""
    table = spaces_table(spaces, workspaces)
    return table.sort_values([measure, "title", "space_id"], ascending=[False, True, True], na_position="last")


def owned_spaces(owned: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """The owner's spaces first: their rows of the ranked table, then their spaces without activity in
    the period (title, workspace and link only), in genie/owned_spaces' order."""
    active = ranked[ranked["space_id"].isin(owned["space_id"])]
    quiet = owned[~owned["space_id"].isin(ranked["space_id"])]
    quiet = quiet.assign(title=space_labels(quiet), details=quiet["space_id"].map(space_link))
    parts = [part for part in (active, quiet[["space_id", "title", "workspace", "details"]]) if not part.empty]
    return pd.concat(parts, ignore_index=True) if parts else active


def workspace_names(ids: pd.Series, workspaces: pd.DataFrame | None) -> pd.Series:
    """Workspace names for workspace ids (the id itself where the name is unknown)."""
    if workspaces is None or workspaces.empty:
        return ids
    names = dict(zip(workspaces["workspace_id"], workspaces["workspace_name"], strict=False))
    return ids.map(lambda i: names.get(i, i))


def spaces_table(spaces: pd.DataFrame, workspaces: pd.DataFrame | None = None) -> pd.DataFrame:
    """genie/spaces_activity with success and failure rates (0–100), workspace names and links."""
    return spaces.assign(title=space_labels(spaces), workspace=workspace_names(spaces["workspace_id"], workspaces),
                         success_rate=_share_pct(spaces["succeeded"], spaces["finished"]),
                         failure_rate=_share_pct(spaces["failed"], spaces["finished"]),
                         details=spaces["space_id"].map(space_link))


def error_types_table(errors: pd.DataFrame) -> pd.DataFrame:
    return errors.assign(share=100.0 * errors["share"].astype("float64"))


def failure_table(spikes: pd.DataFrame) -> pd.DataFrame:
    """genie/failure_spikes with rates as percentages, a flag column that reads well, and links."""
    last = pd.to_datetime(spikes["last_flagged"])
    return spikes.assign(
        title=space_labels(spikes), flag=spikes["flagged"].map({True: "⚑ flagged", False: ""}),
        last_flagged=last.dt.strftime("%Y-%m-%d").fillna(""),  # text: a blank cell, never "None"
        failure_rate=100.0 * spikes["failure_rate"].astype("float64"),
        day_rate=100.0 * spikes["day_rate"].astype("float64"),
        baseline_rate=100.0 * spikes["baseline_rate"].astype("float64"),
        details=spikes["space_id"].map(space_link))


def latency_table(by_space: pd.DataFrame) -> pd.DataFrame:
    """genie/latency_by_space in seconds, with links."""
    seconds = {c.replace("_ms", "_s"): by_space[c].astype("float64") / 1000.0
               for c in ("p50_ms", "p95_ms", "p99_ms", "avg_queue_ms")}
    return by_space.assign(title=space_labels(by_space), **seconds, details=by_space["space_id"].map(space_link))


def feedback_table(by_space: pd.DataFrame) -> pd.DataFrame:
    return by_space.assign(title=space_labels(by_space),
                           positive_rate=100.0 * by_space["positive_rate"].astype("float64"),
                           details=by_space["space_id"].map(space_link))


def configuration_table(config: pd.DataFrame, workspaces: pd.DataFrame | None = None) -> pd.DataFrame:
    """genie/configuration with a state column (active, or trashed), workspace names and links."""
    return config.assign(title=space_labels(config), workspace=workspace_names(config["workspace_id"], workspaces),
                         state=config["deleted_time"].notna().map({True: "Trashed", False: "Active"}),
                         details=config["space_id"].map(space_link))


def configuration_kpis(config: pd.DataFrame) -> list[Kpi]:
    """How many spaces exist, were used in the period, were not, and were trashed."""
    live = config[config["deleted_time"].isna()] if not config.empty else config
    used = int((live["messages"] > 0).sum()) if not live.empty else 0
    return [Kpi("Spaces", len(live), help="Spaces the genie-spaces job listed (trashed ones not counted)"),
            Kpi("Used in the period", used, help="With at least one message in the period"),
            Kpi("Unused in the period", len(live) - used, help="No message in the period: candidates to retire"),
            Kpi("Trashed", len(config) - len(live), help="No longer listed by the Genie API")]


def retention_matrix(cohorts: pd.DataFrame) -> pd.DataFrame:
    """Cohort × week-offset table of retained shares (0–100), cohorts as rows, sizes in a column."""
    if cohorts.empty:
        return pd.DataFrame()
    frame = cohorts.assign(share=100.0 * cohorts["users"] / cohorts["cohort_size"])
    table = frame.pivot_table(index="cohort_week", columns="week_offset", values="share")
    table.columns = [f"week {int(c)}" for c in table.columns]
    sizes = frame.groupby("cohort_week")["cohort_size"].max()
    return table.assign(users=sizes).reset_index()[["cohort_week", "users", *table.columns]]


def retention_preset(cohorts: pd.DataFrame) -> dict[str, Col]:
    """The retention matrix's columns: the cohort, its size, then one percentage column per week."""
    preset: dict[str, Col] = {"cohort_week": day_col("Cohort (week of)"), "users": count("Users in cohort")}
    return preset | {c: pct(c.capitalize()) for c in retention_matrix(cohorts).columns if str(c).startswith("week")}


def newest(frame: pd.DataFrame, column: str):
    """The newest timestamp in `column` (None when there is none), for a "data as of" caption."""
    if frame.empty or frame[column].isna().all():
        return None
    return pd.Timestamp(frame[column].max()).to_pydatetime()


# --- one space ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpaceSummary:
    """A space's configuration as plain text (user-written: shown escaped, never as Markdown)."""

    title: str
    description: str
    state: str
    active: bool
    facts: dict[str, str]
    counts: list[Kpi]
    items: pd.DataFrame  # kind, text: the tables, instructions and sample questions, one per row


def _text(value, fallback: str = "–") -> str:
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return fallback
    return str(value)


def _day(value) -> str:
    if value is None or pd.isna(value):
        return "unknown"
    moment = value if isinstance(value, date | datetime) else pd.Timestamp(value)
    return f"{moment:%Y-%m-%d}"


def _items(row: pd.Series) -> pd.DataFrame:
    tables = [t for t in _text(row.get("tables"), "").split(", ") if t]
    instructions = [t for t in _text(row.get("instructions"), "").split("\n\n") if t.strip()]
    questions = row.get("sample_questions")
    questions = [] if questions is None or isinstance(questions, float) else [str(q) for q in questions]
    rows = ([("Table", t) for t in tables] + [("Instruction", t) for t in instructions]
            + [("Sample question", q) for q in questions])
    return pd.DataFrame(rows, columns=["kind", "text"])


def space_summary(info: pd.DataFrame) -> SpaceSummary | None:
    """The per-space page's configuration block (None when the space details have no row for it)."""
    if info.empty:
        return None
    row = info.iloc[0]
    deleted = row.get("deleted_time")
    gone = deleted is not None and not pd.isna(deleted)
    counts = [Kpi("Tables", row.get("table_count")), Kpi("Instructions", row.get("instruction_count")),
              Kpi("Sample questions", row.get("sample_question_count")),
              Kpi("Example SQL", row.get("example_sql_count")), Kpi("Benchmarks", row.get("benchmark_count"))]
    facts = {"workspace": _text(row.get("workspace_id")), "warehouse": _text(row.get("warehouse_id")),
             "creator": _text(row.get("creator"), "unknown"), "created": _day(row.get("create_time")),
             "updated": _day(row.get("update_time"))}
    return SpaceSummary(_text(row.get("title"), _text(row.get("space_id"))),
                        _text(row.get("description"), "No description"),
                        f"Trashed {_day(deleted)}" if gone else "Active", not gone, facts, counts, _items(row))


def space_choices(spaces: pd.DataFrame) -> dict[str, str]:
    """{space_id: label} for the space picker, "" (no space) first; repeated titles get the id's start."""
    if spaces.empty:
        return {"": "Choose a space"}
    labels = space_labels(spaces).where(~spaces["deleted"], space_labels(spaces) + " (trashed)")
    return {"": "Choose a space", **dict(zip(spaces["space_id"], labels, strict=True))}
