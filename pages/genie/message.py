"""Genie message (space owners, platform admins): one prompt, Genie's thoughts, SQL, outcome and feedback."""

import streamlit as st

from telemetry import runtime, ui
from telemetry.genie import message as gm
from telemetry.genie import privacy
from telemetry.genie import prompt_columns as columns

st.title("Genie message")
settings = runtime.settings()
scope = privacy.content_scope(ui.current_user(), settings)
raw = st.text_input("Message id", key="message", bind="query-params", placeholder="32 hex characters", width=420)
mid, refused = gm.message_id(raw)
if refused:
    st.warning(refused, icon=":material/warning:")
if not mid:
    ui.links(gm.page_links(None))
    st.stop()
# One wave: the message, its audit trail and its place in the fetch queue do not depend on each other.
data = ui.start(gm.requests(mid, scope, settings))

with ui.panel(required=True):
    ui.freshness([data["message_detail"]])
    m = gm.message(data.frame("message_detail"))
    if not m:
        st.warning(gm.not_found(mid, data.frame("message_fetch")), icon=":material/search_off:")
        st.stop()
    ui.facts(m.get("space_title", ""), gm.badge(m), **gm.facts(m))
    ui.links(gm.page_links(m))

with ui.panel("Prompt"):
    if not m.readable:
        st.caption(f":material/lock: The prompt, Genie's answer and its SQL are {scope.hidden_note}. "
                   "Status, timings and feedback are shown below.")
    else:
        st.html(gm.text_html(m.get("content", "(empty prompt)"), size="1.15rem"))
        if m.get("query_title") or m.get("query_description"):
            st.caption("Genie's reading")
            st.html(gm.text_html(m.get("query_title", ""), size="0.95rem") +
                    gm.text_html(m.get("query_description", ""), size="0.95rem", muted=True))
        if m.get("error_message"):
            st.error(f"{m.get('error_type', 'Error')}: {m.get('error_message')}", icon=":material/error:")

left, right = st.columns([3, 2])
with left, ui.panel("SQL"):
    if not m.readable:
        st.caption(f"SQL {scope.hidden_note}.")
    elif m.sql:
        st.code(m.sql, language="sql", wrap_lines=True)
        if m.attachments.parameters:
            st.caption("Parameters: " + " · ".join(f"{k} ({t}) = {v}" for k, t, v in m.attachments.parameters))
    else:
        st.caption("Genie ran no SQL for this message.")
with right, ui.panel("Outcome"):
    ui.facts("Statement", None, **gm.outcome(m))
    if m.readable and m.get("statement_error"):
        st.error(m.get("statement_error"), icon=":material/error:")
    if m.readable and m.attachments.thoughts:
        st.caption("Genie's thoughts")
        st.html(gm.thoughts_html(m.attachments.thoughts))

if m.readable:
    with ui.panel("Answer"):
        st.html("".join(gm.text_html(a) for a in m.answers or ["(no text answer)"]))
        if m.suggested:
            st.caption("Suggested follow-up questions")
            st.html(gm.list_html(m.suggested))

with ui.panel("Feedback and review requests"):
    if m.readable and m.get("feedback_comment"):
        st.caption("Feedback comment")
        st.html(gm.text_html(m.get("feedback_comment")))
    ui.table(data.frame("message_events"), key="message_events", preset=columns.MESSAGE_EVENTS,
             why_empty="No audit events for this message yet (the audit log lags by a few hours).")
