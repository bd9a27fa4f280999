"""Prompts and SQL (space owners, platform admins): every prompt → Genie's description → SQL → outcome."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.genie import privacy
from telemetry.genie import prompt_columns as columns
from telemetry.genie import prompts as p
from telemetry.ui import pagination

PAGE = "pages/genie/prompts.py"
st.title("Prompts and SQL")
settings = runtime.settings()
scope = privacy.content_scope(ui.current_user(), settings)

# A real wait: the workspace, space and status pickers validate the URL against these options.
options = ui.start(p.filter_requests())
with ui.panel(required=True):
    f = ui.filters.genie_filters(options.frame("workspaces_list"))
    choices = p.options(options.frame("prompts_options"))
view = ui.views.pick(PAGE)
with st.container(border=True):
    search_col, status_col, space_col, user_col, feedback_col = st.columns([4, 2, 3, 3, 2.4])
    raw_search = search_col.text_input("Search prompts, descriptions and SQL", key="q", bind="query-params",
                                       placeholder="words to look for, as typed")
    status = status_col.selectbox("Status", [""] + choices.statuses, key="status", bind="query-params",
                                  format_func=lambda s: s or "Any status")
    with space_col:  # ?space=<space_id>, as other pages link here
        space = pagination.id_choice("Space", choices.spaces, "space", "All spaces")
    raw_user = user_col.text_input("User", key="user", bind="query-params", placeholder="e-mail, any case")
    feedback = feedback_col.selectbox("Feedback", list(p.FEEDBACK), key="feedback", bind="query-params",
                                      format_func=p.FEEDBACK.get)
(search, bad_search), (user, bad_user) = p.search_text(raw_search), p.user_text(raw_user)
for refused in (bad_search, bad_user):
    if refused:
        st.warning(refused, icon=":material/warning:")
pf = p.PromptFilters(search, status or "", space or "", user, feedback or "", view == p.VIEWS[1])
pf = pf.at_page(pagination.requested("page", pf.signature, p.page_number))
# Everything below depends only on the filters: the page of rows and the counts start together.
data = ui.start(p.requests(f, pf, scope, settings))

with ui.panel():
    ui.freshness([data["prompts_page"], data["prompts_summary"]])
    ui.kpi_row(p.kpis(data.frame("prompts_summary")))
    if view == p.VIEWS[1]:
        st.caption(p.PROBLEM_RULE)
    hidden = p.hidden_count(data.frame("prompts_summary"))
    if hidden:
        st.caption(f":material/lock: {hidden:,} of these prompts are {scope.hidden_note}; their counts, statuses "
                   "and outcomes are shown, and search looks only at the prompts you may read.")

with ui.panel():
    page = data.frame("prompts_page")
    ui.table(p.rows(page, scope), key="prompts", preset=columns.PROMPTS,
             why_empty="No prompts match these filters in the period.")
    pagination.pager("page", p.window(page, pf.page_size))
