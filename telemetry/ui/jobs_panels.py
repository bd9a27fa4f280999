"""The admin Jobs page's panels: a card per registered job with its last runs, a Run now form built
from the job's parameters (validated, then confirmed in a dialog), the active run followed live until
it ends, Cancel and Repair / Rerun, and the local run's log.

Double clicks and reruns start one run: each form instance has a nonce in session state, and the
idempotency token the backend dedups on is derived from it (telemetry.jobs.remote). The nonce is
renewed only once the run it started has ended. Every action goes through telemetry.admin.jobs,
which re-checks the admin role on the server; its refusals and failures are shown as messages.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from telemetry import identity, queries, runtime
from telemetry.admin import audit, job_tables
from telemetry.admin import jobs as model
from telemetry.admin.jobs import ActionError, JobRow
from telemetry.engine.base import QueryError
from telemetry.jobs.registry import JobError
from telemetry.ui import cache, session
from telemetry.ui.data import start
from telemetry.ui.panels import empty_state, kpi_row, table

POLL_S = 2
_ACTIVE, _NONCE, _PENDING, _MESSAGE = "_jobs_active", "_jobs_nonce_{}", "_jobs_pending_{}", "_jobs_message_{}"


def prefetch() -> dict[str, queries.Request]:
    """The job rows' own query (the embedded demo's job history), for a page to start with its others."""
    return model.demo_history_requests(runtime.settings())


def rows() -> list[JobRow]:
    """Every registered job with its last runs (the timeline fallback through the query cache).
    A runner that cannot start raises QueryError, which the enclosing panel shows."""
    engine, user_key = session.engine(), session.cache_user_key()
    try:
        return model.rows(run_query=lambda request: cache.fetch(request, engine, user_key))
    except (ActionError, JobError) as err:
        raise QueryError("jobs", str(err), kind="jobs") from None


def _active() -> dict[str, int]:
    return st.session_state.setdefault(_ACTIVE, {})


def nonce(job: str) -> str:
    """This form instance's nonce (kept until the run it started has ended)."""
    return st.session_state.setdefault(_NONCE.format(job), uuid.uuid4().hex)


def _say(job: str, kind: str, text: str) -> None:
    st.session_state[_MESSAGE.format(job)] = (kind, text)


def _messages(job: str) -> None:
    """The job's last action or run outcome; it stays until the next one replaces it."""
    kind, text = st.session_state.get(_MESSAGE.format(job), ("", ""))
    if kind == "error":
        st.error(text, icon=":material/error:")
    elif kind == "success":
        st.success(text, icon=":material/check_circle:")


def _act(job: str, action, *args) -> Any:
    """Run an admin action; a refusal or a failure becomes the job's message (never a traceback)."""
    try:
        return action(session.current_user(), job, *args)
    except (ActionError, identity.NotAllowed) as err:
        _say(job, "error", str(err))
        return None


def summary(all_rows: list[JobRow]) -> None:
    table(job_tables.summary(all_rows), key="jobs_summary", preset=job_tables.SUMMARY,
          why_empty="No job is registered.")


def job_card(row: JobRow) -> None:
    """One job: what it does, where it runs, its runs, the live run, and the Run now form."""
    job = row.job.name
    followed = _active().get(job)
    said = _MESSAGE.format(job) in st.session_state  # open while a run is followed, and to show how it ended
    with st.expander(f"**{job}** · {job_tables.where(row)}", expanded=followed is not None or said):
        st.caption(row.job.description)
        needs = job_tables.needs_workspace(row)
        if needs:
            st.caption(f":material/key: {needs}")
        _messages(job)
        if row.note and row.mode == "local":  # the embedded database's own job history, until a run here
            st.caption(f":material/history: {row.note}")
        elif row.note:  # the Jobs API did not answer: the run timeline instead
            st.warning(row.note, icon=":material/cloud_off:")
        if followed is not None:
            _follow(job, followed)
        _runs(row)
        if not row.can_run:
            st.info(row.how_to, icon=":material/rocket_launch:")
            return
        _run_form(row)


def _runs(row: JobRow) -> None:
    job = row.job.name
    if not row.runs:
        st.caption(f"No runs in the last 30 days ({row.source or 'no history'}). Run now starts one.")
        return
    st.caption(f"Last runs, from the {row.source}.")
    frame = job_tables.runs_frame(row.runs)
    table(frame, key=f"runs_{job}", preset=job_tables.presets(frame), why_empty="No runs.")
    newest = row.runs[0]
    if job_tables.failed(newest) and row.can_run and _active().get(job) != newest.run_id:
        label = "Repair" if row.mode == model.DEPLOYED else "Rerun"
        if st.button(f"{label} run {newest.run_id}", key=f"repair_{job}_{newest.run_id}", icon=":material/build:"):
            _repair(job, newest.run_id)
    if row.mode == model.LOCAL:
        with st.expander(f"Log of run {newest.run_id}"):
            st.code(model.log(newest.run_id) or "(empty)", language=None)


def _repair(job: str, run_id: int) -> None:
    followed = _act(job, model.repair, run_id)
    if followed is not None:
        _active()[job] = followed
        _say(job, "success", f"Run {run_id} is being rerun (following run {followed}).")
        st.rerun()


def _follow(job: str, run_id: int) -> None:
    """The active run, polled every POLL_S seconds until it ends (then the page refreshes once)."""
    def follow() -> None:
        try:
            run = model.run(job, run_id)
        except ActionError as err:
            st.error(str(err), icon=":material/error:")
            return
        st.markdown(job_tables.status_line(run))
        if run.url:
            st.link_button("Run page", run.url, icon=":material/open_in_new:")
        if not run.finished:
            if st.button(f"Cancel run {run_id}", key=f"cancel_{job}_{run_id}", icon=":material/cancel:"):
                _act(job, model.cancel, run_id)
                st.rerun()
            return
        _finished(job, run)

    st.fragment(follow, run_every=POLL_S)()


def _finished(job: str, run) -> None:
    """The followed run ended: say how, forget it, renew the form's nonce, and redraw the page."""
    _active().pop(job, None)
    st.session_state.pop(_NONCE.format(job), None)
    _say(job, "success" if run.result == "SUCCESS" else "error", f"{job_tables.status_line(run)}")
    st.rerun()


def _widget(job: str, field: job_tables.Field) -> Any:
    key, label, helptext = f"param_{job}_{field.name}", field.label, field.help or None
    if field.kind in ("int", "float"):
        cast = int if field.kind == "int" else float
        low = None if field.minimum is None else cast(field.minimum)
        high = None if field.maximum is None else cast(field.maximum)
        value = None if field.default is None else cast(field.default)
        return st.number_input(label, min_value=low, max_value=high, value=value, step=cast(1) if cast is int
                               else None, key=key, help=helptext)
    if field.kind == "bool":
        return st.checkbox(label, value=bool(field.default), key=key, help=helptext)
    if field.kind == "date":
        return st.date_input(label, value=field.default, key=key, help=helptext)
    if field.kind == "choice":
        index = field.choices.index(field.default) if field.default in field.choices else 0
        return st.selectbox(label, field.choices, index=index, key=key, help=helptext)
    return st.text_input(label, value=field.default or "", key=key, help=helptext)


def _run_form(row: JobRow) -> None:
    job = row.job.name
    with st.form(key=f"run_form_{job}", border=True):
        values = {f.name: _widget(job, f) for f in job_tables.fields(row.job)}
        submitted = st.form_submit_button("Run now…", icon=":material/play_arrow:", key=f"run_now_{job}")
    if submitted:
        try:
            st.session_state[_PENDING.format(job)] = (values, model.validate(job, values))
        except ActionError as err:
            st.error(str(err), icon=":material/error:")
    pending = st.session_state.get(_PENDING.format(job))
    if pending:
        _confirm(job, *pending)


def _dismiss(job: str) -> None:
    st.session_state.pop(_PENDING.format(job), None)


def _confirm(job: str, values: dict[str, Any], shown: dict[str, str]) -> None:
    @st.dialog(f"Run {job}?", on_dismiss=lambda: _dismiss(job))
    def dialog() -> None:
        st.markdown(f"Start **{job}** with:" if shown else f"Start **{job}** (it has no parameters).")
        if shown:
            st.table({"parameter": list(shown), "value": list(shown.values())})
        left, right = st.columns(2)
        if left.button("Start the run", key=f"confirm_{job}", type="primary", icon=":material/play_arrow:"):
            _dismiss(job)
            run_id = _act(job, model.trigger, values, nonce(job))
            if run_id is not None:
                _active()[job] = run_id
                _say(job, "success", f"Run {run_id} of {job} started.")
            st.rerun()
        if right.button("Cancel", key=f"dismiss_{job}"):
            _dismiss(job)
            st.rerun()

    dialog()


def audit_trail() -> None:
    """The admin actions recorded in the tracker table: who, when, what (and, with the extended layout,
    the job, parameters, run and outcome). A failed query raises QueryError for the enclosing panel."""
    settings = runtime.settings()
    tracker_table = settings.table("tracker")
    columns = cache.table_columns(tracker_table, session.engine(), session.cache_user_key(), "tracker")
    if columns is None:
        empty_state(f"The tracker table {tracker_table} does not exist, so no admin action can be recorded yet.")
        return
    found = audit.layout_of(columns)
    data = start({"trail": audit.trail_request(found, settings, datetime.now(UTC).date())})
    frame = audit.trail(data.frame("trail"))
    kpi_row(audit.kpis(frame), columns_per_row=3)
    table(frame, key="audit_trail", preset=audit.preset(frame), truncated=data["trail"].truncated,
          why_empty=f"No admin action recorded in the last {audit.TRAIL_DAYS} days.")
    if not audit.extended(found):
        st.caption(audit.CLASSIC_NOTE)
    if not settings.tracker.admin_audit:
        st.warning("TELEMETRY_ADMIN_AUDIT is off: new admin actions are not recorded.", icon=":material/warning:")


def cache_clearer() -> None:
    """Clear the cached results of one source, or of all, for every session (audited)."""
    from telemetry.admin import health_view

    choices = health_view.source_choices()
    with st.form("clear_cache", border=False):
        label = st.selectbox("Source", list(choices), key="clear_cache_source")
        clicked = st.form_submit_button("Clear cached results", icon=":material/delete_sweep:",
                                        key="clear_cache_submit")
    if clicked:
        what = label.lower() if choices[label] is None else f"the {label} source"
        try:
            model.clear_cache(session.current_user(), choices[label])
        except (ActionError, identity.NotAllowed) as err:
            st.error(str(err), icon=":material/error:")
        else:
            st.success(f"Cleared the cached results of {what}: the next view of each page queries again.",
                       icon=":material/check_circle:")
