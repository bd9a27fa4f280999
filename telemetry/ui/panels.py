"""The page kit's panels: a titled block that shows its own error, charts, tables and KPI rows.

    with ui.panel("Daily active users"):
        ui.chart(apps.charts.dau(data.frame("daily_active"), f), "No sign-ins in this period.")

A QueryError raised inside a panel (reading a failed result) is shown in the panel's place and the
rest of the panel is skipped; the page goes on with the next panel. No `is None` guards in pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from telemetry.columns import Col
from telemetry.config import ConfigError
from telemetry.engine.base import QueryError
from telemetry.metrics.kpi import Kpi
from telemetry.ui import columns, faults, self_tracking, session

ROWS_SHOWN_WHOLE = 40


@contextmanager
def panel(title: str | None = None, *, help: str | None = None, border: bool = False,
          required: bool = False) -> Iterator[None]:
    """A block of the page; a failed query inside shows its message here (and with `required`,
    stops the page: the rest depends on it, e.g. the filter options)."""
    with st.container(border=border):
        if title:
            st.subheader(title, help=help)
        try:
            yield
        except ConfigError as err:
            faults.show(QueryError("configuration", str(err), kind="config"))
            if required:
                st.stop()
        except QueryError as err:
            faults.show(err)
            if required:
                st.stop()


def empty_state(message: str) -> None:
    """Say why a chart or table is empty, instead of drawing an empty frame."""
    st.info(message, icon=":material/info:")


def chart(figure, why_empty: str, *, key: str | None = None) -> None:
    """An altair chart, or (when the area's builder returned None: no rows) the reason it is empty."""
    if figure is None:
        empty_state(why_empty)
        return
    height = figure.height if isinstance(figure.height, int) else "content"
    st.altair_chart(figure, width="stretch", height=height, key=key)


def graph(dot: str | None, why_empty: str) -> None:
    """A Graphviz flow (DOT text the area built; drawn in the browser), or the reason it is empty."""
    if not dot:
        empty_state(why_empty)
        return
    st.graphviz_chart(dot, width="stretch")


def table(frame: pd.DataFrame | None, *, key: str, why_empty: str, preset: Mapping[str, Col] | None = None,
          truncated: bool = False, height: int | str | None = None) -> None:
    """A configured table (readable labels, formats) with its row count and a CSV download.

    Short tables show every row (no inner scroll bar for 15 rows); long ones scroll."""
    if frame is None or frame.empty:
        empty_state(why_empty)
        return
    height = height or ("content" if len(frame) <= ROWS_SHOWN_WHOLE else "auto")
    shown, config, order = columns.prepare(frame, preset)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config,
                 column_order=order, key=key, height=height)
    note = "Showing the first rows only (row cap reached). " if truncated else ""
    # The CSV has the shown columns, then those the preset hides to save width (counts behind rates).
    exported = [*order, *(c for c in (preset or {}) if c in frame.columns and c not in order)]
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(f"{note}{len(frame):,} rows")
        st.space("stretch")
        st.download_button("Download CSV", frame[exported].to_csv(index=False).encode(), file_name=f"{key}.csv",
                           mime="text/csv", key=f"{key}_csv", icon=":material/download:", width="content",
                           on_click=self_tracking.downloaded, args=(f"{key}.csv",))


def kpi_row(kpis: list[Kpi], columns_per_row: int = 4) -> None:
    """KPI tiles with their change against the previous period (as % of the previous value)."""
    for start in range(0, len(kpis), columns_per_row):
        row = kpis[start:start + columns_per_row]
        for col, kpi in zip(st.columns(columns_per_row), row, strict=False):
            col.metric(kpi.label, kpi.text, delta=_delta_text(kpi), help=kpi.help or None, border=True,
                       delta_color=_delta_colour(kpi))


def _delta_text(kpi: Kpi) -> str | None:
    if kpi.delta is None:
        return None
    if round(kpi.delta, 2) == 0:  # "-0%" in red would claim a fall that rounding erased
        return "±0% vs previous period"
    return f"{kpi.delta:+.0%} vs previous period"


def _delta_colour(kpi: Kpi) -> str:
    if kpi.delta is None or round(kpi.delta, 2) == 0:
        return "off"
    return "normal" if kpi.higher_is_better else "inverse"


def captions(parts: Mapping[str, str]) -> None:
    """A one-line legend: **name**: explanation · …"""
    st.caption(" · ".join(f"**{k}**: {v}" for k, v in parts.items()))


def tiles(items: list, per_row: int = 4, height: int = 190) -> None:
    """Equal bordered tiles (title with a badge, a big number, a note), `per_row` to a row.

    `items` have: title, badge (label, colour), help, value (None: show only the note), delta, note."""
    for start in range(0, len(items), per_row):
        for col, item in zip(st.columns(per_row), items[start:start + per_row], strict=False):
            with col.container(border=True, height=height):
                label, colour = item.badge
                st.markdown(f"**{item.title}** :{colour}-badge[{label}]", help=item.help)
                if item.value is not None:
                    st.metric(item.title, item.value, delta=item.delta or None, delta_color="off",
                              delta_arrow="off", label_visibility="collapsed")
                st.caption(item.note)


def download_all(label: str, make: Callable[[], bytes], *, file_name: str, key: str, note: str = "") -> None:
    """A CSV download of more rows than the page shows, built only when clicked (Streamlit calls
    `make` then); a query failure downloads its message rather than breaking the page."""
    who = session.current_user().email

    def build() -> bytes:
        self_tracking.downloaded(file_name, who)
        try:
            return make()
        except QueryError as err:
            return f"error\n{err}\n".encode()

    with st.container(horizontal=True, vertical_alignment="center"):
        if note:
            st.caption(note)
        st.space("stretch")
        st.download_button(label, build, file_name=file_name, mime="text/csv", key=key,
                           icon=":material/download:", width="content")
