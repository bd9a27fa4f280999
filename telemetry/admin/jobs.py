"""The admin Jobs page's model (no Streamlit): every registered job with where it runs and its last runs,
and the admin actions (trigger, cancel, repair, clear the cache).

Where a job runs: on the embedded engine, in this console's local runner (telemetry.jobs.local); on a
warehouse, as the deployed Databricks job bound to it (telemetry.jobs.deployed: `TELEMETRY_JOB_ID_<NAME>`
from app.yaml's `valueFrom`), triggered through the Jobs API with `only=[its task]` so one task of a
chained bundle job runs. A registered job with no deployed id gets the sentence that says how to deploy
it instead of a button. Jobs marked `embedded_only` exist only on the embedded engine.

Every action takes the acting user first and re-checks the admin role before anything else (a hidden
button is not a permission), validates the parameters before anything is sent, and is audited
(telemetry.admin.audit) whatever its outcome. Failures come back as ActionError with a sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from telemetry import concurrency, identity, queries, runtime
from telemetry.admin import audit, generations, history
from telemetry.config import Settings
from telemetry.jobs import catalog, error_line, remote
from telemetry.jobs.registry import Job, JobError
from telemetry.jobs.remote import RemoteJobError, RemoteJobs, RunView

LOCAL, DEPLOYED, NOT_DEPLOYED = "local", "deployed", "not deployed"
ALL_SOURCES = "all sources"  # what the audit says a clear of every source cleared
SOURCE_LOCAL, SOURCE_API, SOURCE_TIMELINE = "local runner", "Jobs API", "system.lakeflow.job_run_timeline"
API_RETRY_S, API_TIMEOUT_S = 5, 5  # a page waits about twice this at most for an unreachable workspace


class ActionError(RuntimeError):
    """An admin action that could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class JobRow:
    """One registered job as the page shows it."""

    job: Job
    mode: str  # LOCAL, DEPLOYED or NOT_DEPLOYED
    job_id: int | None = None
    how_to: str = ""  # NOT_DEPLOYED: how to deploy it (shown instead of the Run button)
    runs: tuple[RunView, ...] = ()
    source: str = ""  # where `runs` came from
    note: str = ""  # e.g. why the history is the timeline's

    @property
    def can_run(self) -> bool:
        return self.mode != NOT_DEPLOYED


def embedded(settings: Settings) -> bool:
    return settings.engine == "embedded"


def registered(settings: Settings) -> list[Job]:
    """The jobs this console offers (the embedded demo's own jobs only on the embedded engine)."""
    return [job for job in catalog.JOBS if embedded(settings) or not getattr(job, "embedded_only", False)]


def workspace_client() -> Any:
    """A databricks-sdk WorkspaceClient from the environment (the app's service principal on Databricks
    Apps), with short retry and HTTP timeouts so an unreachable workspace costs a page seconds."""
    from databricks.sdk import WorkspaceClient
    from databricks.sdk.core import Config

    try:
        return WorkspaceClient(config=Config(retry_timeout_seconds=API_RETRY_S, http_timeout_seconds=API_TIMEOUT_S))
    except ValueError as err:  # the SDK's "cannot configure default credentials"
        raise RemoteJobError(f"cannot sign in to the Databricks workspace: {error_line(err)}") from None


def _remote() -> RemoteJobs:
    return RemoteJobs(workspace_client())


def _local():
    from telemetry.jobs import local

    return local.local_runner()


def _deployment(name: str, settings: Settings):
    from telemetry.jobs import deployed

    return deployed.deployment(name, settings)


def _run_query(request: queries.Request):
    return queries.run(request.name, row_cap=request.row_cap, **request.params)


def rows(settings: Settings | None = None, *, run_query=None, limit: int = history.RUNS_SHOWN) -> list[JobRow]:
    """Every offered job with its last runs (local runner; else the Jobs API; else the run timeline)."""
    settings = settings or runtime.settings()
    if embedded(settings):
        runner = _local()
        out = [JobRow(job, LOCAL, runs=tuple(runner.recent(job.name, limit)), source=SOURCE_LOCAL)
               for job in registered(settings)]
        return _with_demo_history(out, settings, run_query or _run_query, limit)
    return _deployed_rows(settings, run_query or _run_query, limit)


def demo_history_requests(settings: Settings, limit: int = history.RUNS_SHOWN) -> dict[str, queries.Request]:
    """On the embedded engine, the run timeline of the bundle's jobs (the demo mirrors them): one
    request, the same for every render, so a page can start it with its other queries and the job rows
    then find it in the cache. Nothing on a warehouse (there the Jobs API has the history)."""
    from telemetry.jobs.deployed import BUNDLE_JOBS

    if not embedded(settings):
        return {}
    return {"job_history": history.request(names=set(BUNDLE_JOBS.values()), limit=limit)}


def _with_demo_history(out: list[JobRow], settings: Settings, run_query, limit: int) -> list[JobRow]:
    """Jobs never run here show the embedded database's own job history (the demo mirrors the bundle's
    jobs in system.lakeflow.job_run_timeline), under their bundle job's name, until they are."""
    from telemetry.jobs.deployed import BUNDLE_JOBS

    idle = [i for i, row in enumerate(out) if not row.runs and row.job.name in BUNDLE_JOBS]
    if not idle:
        return out
    try:
        frame = run_query(demo_history_requests(settings, limit)["job_history"]).frame
        by_name = history.run_views_by_name(frame)
    except Exception:  # noqa: BLE001 - no history is shown as "no runs", as before
        return out
    for i in idle:
        row, bundle_job = out[i], BUNDLE_JOBS[out[i].job.name]
        if by_name.get(bundle_job):
            out[i] = JobRow(row.job, row.mode, runs=tuple(by_name[bundle_job]), source=SOURCE_TIMELINE,
                            note=f"Not run from this console yet: these are the runs of {bundle_job} in "
                                 "system.lakeflow.job_run_timeline. Run now runs the job here, in the local runner.")
    return out


def _deployed_rows(settings: Settings, run_query, limit: int) -> list[JobRow]:
    """Each deployed job's runs from the Jobs API, asked for all jobs at once (one call per deployed job
    id: the tasks of one bundle job share it); jobs the API did not answer for read the run timeline."""
    deployments = {job.name: _deployment(job.name, settings) for job in registered(settings)}
    ids = sorted({d.job_id for d in deployments.values() if d.deployed})
    recent: dict[str, Any] = {}
    if ids:
        try:
            client = _remote()
            recent = concurrency.run_all({str(i): (lambda i=i: client.recent(i, limit)) for i in ids},
                                         settings.max_concurrent_queries)
        except RemoteJobError as err:  # no client at all (no credentials): every job reads the timeline
            recent = {str(i): err for i in ids}
    out, failed, api_error = [], [], ""
    for job in registered(settings):
        dep = deployments[job.name]
        if not dep.deployed:
            out.append(JobRow(job, NOT_DEPLOYED, how_to=dep.how_to_deploy()))
            continue
        answer = recent[str(dep.job_id)]
        if isinstance(answer, BaseException):
            api_error = api_error or str(answer)
            failed.append(len(out))
            out.append(JobRow(job, DEPLOYED, dep.job_id))
        else:
            out.append(JobRow(job, DEPLOYED, dep.job_id, runs=tuple(answer), source=SOURCE_API))
    return _with_timeline(out, failed, api_error, run_query, limit) if failed else out


def _with_timeline(out: list[JobRow], failed: list[int], api_error: str, run_query, limit: int) -> list[JobRow]:
    note = (f"The Jobs API did not answer ({api_error}); these runs are from system.lakeflow.job_run_timeline, "
            "which lags behind and has no parameters or live state.")
    try:
        frame = run_query(history.request({out[i].job_id for i in failed}, limit=limit)).frame
        by_id = history.run_views(frame)
    except Exception as err:  # noqa: BLE001 - the page says both failed, per job, instead of breaking
        by_id, note = {}, f"The Jobs API did not answer ({api_error}) and the run timeline failed too: {err}"
    for i in failed:
        row = out[i]
        out[i] = JobRow(row.job, row.mode, row.job_id, runs=tuple(by_id.get(row.job_id, ())),
                        source=SOURCE_TIMELINE, note=note)
    return out


def _as_text(params: Mapping[str, Any]) -> dict[str, str]:
    """Typed parameters as the job-parameter text the bundle's tasks parse (None → '')."""
    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return value.isoformat() if isinstance(value, date) else str(value)

    return {name: text(value) for name, value in params.items()}


def _admin(user: identity.User, action: str, what: str, **details: Any) -> None:
    """The server-side role check of every action; a refusal is audited, then raised (NotAllowed)."""
    try:
        identity.require_admin(user, what)
    except identity.NotAllowed as err:
        audit.record(user.email, action, outcome="refused", message=str(err), **details)
        raise


def _job(user: identity.User, action: str, name: str, settings: Settings, **details: Any) -> Job:
    try:
        job = catalog.get(name)
    except JobError as err:
        audit.record(user.email, action, outcome="invalid", job=name, message=str(err), **details)
        raise ActionError(str(err)) from None
    if job not in registered(settings):
        message = f"{name} is the embedded demo's own job: it does not run on a warehouse."
        audit.record(user.email, action, outcome="invalid", job=name, message=message, **details)
        raise ActionError(message)
    return job


def trigger(user: identity.User, job: str, raw_params: Mapping[str, Any], nonce: str, *,
            settings: Settings | None = None) -> int:
    """Start `job` with the form's parameters; the same form instance (`nonce`) never starts two runs.

    Returns the run id to follow. NotAllowed for a non-admin; ActionError for an unknown job, a bad
    parameter (before anything is sent), a job that is not deployed, or a backend that refused."""
    _admin(user, audit.JOB_TRIGGERED, f"run the job {job}", job=job)
    settings = settings or runtime.settings()
    found = _job(user, audit.JOB_TRIGGERED, job, settings)
    try:
        params = found.parse_params(raw_params)
    except JobError as err:
        audit.record(user.email, audit.JOB_TRIGGERED, outcome="invalid", job=job, message=str(err))
        raise ActionError(str(err)) from None
    text = _as_text(params)
    token = remote.idempotency_token(job, text, user.email, nonce)
    try:
        run_id = _start(found, params, text, token, user, settings)
    except (JobError, RemoteJobError) as err:
        audit.record(user.email, audit.JOB_TRIGGERED, outcome="failed", job=job, params=text, message=str(err))
        raise ActionError(str(err)) from None
    audit.record(user.email, audit.JOB_TRIGGERED, outcome="done", job=job, params=text, run_id=run_id)
    return run_id


def _start(job: Job, params: dict[str, Any], text: dict[str, str], token: str, user: identity.User,
           settings: Settings) -> int:
    if embedded(settings):
        return _local().trigger(job.name, params, token, user.email)
    dep = _deployment(job.name, settings)
    if not dep.deployed:
        raise JobError(dep.how_to_deploy())
    return _remote().trigger(dep.job_id, text, token, only=[dep.task_key])


def cancel(user: identity.User, job: str, run_id: int, *, settings: Settings | None = None) -> None:
    """Cancel a queued or running run. NotAllowed for a non-admin; ActionError if the backend refused."""
    _admin(user, audit.JOB_CANCELLED, f"cancel a run of {job}", job=job, run_id=run_id)
    settings = settings or runtime.settings()
    _job(user, audit.JOB_CANCELLED, job, settings, run_id=run_id)
    try:
        (_local() if embedded(settings) else _remote()).cancel(int(run_id))
    except (JobError, RemoteJobError) as err:
        audit.record(user.email, audit.JOB_CANCELLED, outcome="failed", job=job, run_id=run_id, message=str(err))
        raise ActionError(str(err)) from None
    audit.record(user.email, audit.JOB_CANCELLED, outcome="done", job=job, run_id=run_id)


def repair(user: identity.User, job: str, run_id: int, *, settings: Settings | None = None) -> int:
    """Rerun a failed run: on Databricks, repair its failed tasks (the run id stays); locally, a new run
    with the same parameters (a second click returns the same rerun). Returns the run id to follow."""
    _admin(user, audit.JOB_REPAIRED, f"repair a run of {job}", job=job, run_id=run_id)
    settings = settings or runtime.settings()
    found = _job(user, audit.JOB_REPAIRED, job, settings, run_id=run_id)
    try:
        if embedded(settings):
            runner = _local()
            failed = runner.run(int(run_id))
            token = remote.idempotency_token(job, failed.parameters, user.email, f"repair-{run_id}")
            followed = runner.trigger(found.name, dict(failed.parameters), token, user.email)
        else:
            _remote().repair(int(run_id))
            followed = int(run_id)
    except (JobError, RemoteJobError) as err:
        audit.record(user.email, audit.JOB_REPAIRED, outcome="failed", job=job, run_id=run_id, message=str(err))
        raise ActionError(str(err)) from None
    audit.record(user.email, audit.JOB_REPAIRED, outcome="done", job=job, run_id=run_id, rerun_id=followed)
    return followed


def clear_cache(user: identity.User, source: str | None = None) -> None:
    """Make every session compute the results of one source's queries (None: of all) again."""
    _admin(user, audit.CACHE_CLEARED, "clear the cached results", source=source or ALL_SOURCES)
    try:
        generations.bump(source)
    except generations.UnknownSource as err:
        audit.record(user.email, audit.CACHE_CLEARED, outcome="invalid", source=source, message=str(err))
        raise ActionError(str(err)) from None
    audit.record(user.email, audit.CACHE_CLEARED, outcome="done", source=source or ALL_SOURCES)


def run(job: str, run_id: int, settings: Settings | None = None) -> RunView:
    """One run's current state (the live panel polls this). ActionError when it cannot be read."""
    settings = settings or runtime.settings()
    try:
        return (_local() if embedded(settings) else _remote()).run(int(run_id))
    except (JobError, RemoteJobError) as err:
        raise ActionError(f"cannot read run {run_id} of {job}: {err}") from None


def log(run_id: int, settings: Settings | None = None) -> str:
    """The local run's log ('' for a Databricks run: its run page has the output)."""
    settings = settings or runtime.settings()
    if not embedded(settings):
        return ""
    try:
        return _local().log(int(run_id))
    except JobError as err:
        return f"(no log: {err})"


def validate(job: str, raw_params: Mapping[str, Any]) -> dict[str, str]:
    """The form's values checked and as the text that will be sent (ActionError says what is wrong);
    the page calls it before it asks for a confirmation, and `trigger` checks again on the server."""
    try:
        return _as_text(catalog.get(job).parse_params(raw_params))
    except JobError as err:
        raise ActionError(str(err)) from None
