"""Executive summary (executives): adoption, activity and cost of Databricks Apps and Genie against
the previous period, with the top apps and spaces linking to their pages."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.overview import columns, summary, views

st.title("Executive summary")
settings = runtime.settings()

with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
    period = summary.Period(*ui.filters.date_range(summary.today()))
    st.caption(f"{period.label}, compared with the {period.days} days before ({period.previous_label})")
# Only the period parameterises the page: every query starts now, together (one wave).
data = ui.start(summary.requests(period, settings))

with ui.panel():
    latest = summary.latest_events(data.frame("apps_kpis"), data.frame("genie_kpis"), data.frame("tracker_kpis"))
    ui.freshness([data[name] for name in summary.HEADER_RESULTS], data_as_of=summary.data_as_of(latest))
    ui.kpi_row(summary.kpis(data.frame("apps_kpis"), data.frame("genie_kpis"), data.frame("tracker_kpis"),
                            data.frame("apps_cost_totals"), data.frame("genie_cost_totals")))
    st.caption(summary.freshness_note(latest))

with ui.panel("Active users per day", help="Distinct people who signed in to an app, or asked Genie, each UTC day"):
    ui.chart(views.trend_chart(data.frame("apps_daily_active"), data.frame("genie_daily_activity")),
             "Nobody signed in to an app or asked Genie in this period.")

left, right = st.columns(2)
with left, ui.panel("Cost by product", help="USD at list price; Genie includes its share of SQL warehouses"):
    ui.chart(views.cost_chart(data.frame("apps_cost_totals"), data.frame("genie_cost_totals"), period),
             "No apps or Genie cost in either period.")
with right, ui.panel("Top cost drivers", help=f"The {views.TOP_N} costliest apps and Genie spaces of the period"):
    ui.chart(views.cost_drivers_chart(data.frame("apps_cost_by_app"), data.frame("genie_spaces_activity")),
             "No app or Genie space had cost in this period.")

left, right = st.columns(2)
with left, ui.panel(f"Top {views.TOP_N} apps by users"):
    ui.table(views.top_apps(data.frame("apps_top_apps"), data.frame("apps_cost_by_app"), period), key="top_apps",
             preset=columns.TOP_APPS, why_empty="No app had sign-ins in this period.")
    ui.links(views.links(period)["apps"])
with right, ui.panel(f"Top {views.TOP_N} Genie spaces by users"):
    ui.table(views.top_spaces(data.frame("genie_spaces_activity"), period), key="top_spaces", preset=columns.TOP_SPACES,
             why_empty="Nobody asked Genie anything in this period.")
    ui.links(views.links(period)["spaces"])
