"""Where a registered job runs on Databricks: the deployed job id the app was given, and the task in it.

`databricks.yml` deploys the registered jobs as a few bundle jobs (chained tasks, one task per
registered job) and gives the app one `job` resource per bundle job; `app.yaml` binds each registered
job's TELEMETRY_JOB_ID_<NAME> to the resource of the bundle job holding its task (`valueFrom`), so the
admin page triggers that job with `only=[task_key]`. A job with no id bound says how to deploy it
instead of offering a button; a job marked `embedded_only` (the demo's appender) is never deployed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telemetry.config import JOB_ID_PREFIX
from telemetry.jobs import catalog

DEPLOY_COMMAND = "databricks bundle deploy -t prod --var warehouse_id=<id>"
# The bundle job (its `name` in databricks.yml) holding each registered job's task: how the run timeline
# names a registered job's runs (tests/jobs/test_bundle.py keeps it equal to the bundle).
BUNDLE_JOBS = {"genie-messages-to-fetch": "ops-console-genie-ingest", "genie-messages": "ops-console-genie-ingest",
               "apps-inventory": "ops-console-apps-inventory", "app-logins-rollup": "ops-console-apps-inventory",
               "genie-spaces": "ops-console-genie-space-sync"}


def env_name(job: str) -> str:
    """The variable holding the job's deployed id: genie-messages → TELEMETRY_JOB_ID_GENIE_MESSAGES."""
    return JOB_ID_PREFIX + suffix(job)


def suffix(job: str) -> str:
    """The key of `settings.job_ids` for a job (its name in upper snake case)."""
    return job.upper().replace("-", "_")


def task_key(job: str) -> str:
    """The bundle task that runs the job: genie-messages → genie_messages."""
    return job.lower().replace("-", "_")


def embedded_only(job: str) -> bool:
    """True for a job that only makes sense on the embedded demo (unknown names raise JobError)."""
    return bool(getattr(catalog.get(job), "embedded_only", False))


@dataclass(frozen=True)
class Deployment:
    """One registered job's place on Databricks, as the admin page needs it."""

    job: str
    env: str
    task_key: str
    job_id: int | None
    embedded_only: bool = False

    @property
    def deployed(self) -> bool:
        return self.job_id is not None

    def how_to_deploy(self) -> str:
        """The sentence the page shows instead of a Run button (or where a deployed job runs)."""
        if self.embedded_only:
            return (f"{self.job} belongs to the embedded demo (it writes synthetic data into the local "
                    "database) and is never deployed to Databricks; run it on the embedded engine.")
        if self.deployed:
            return f"Deployed as job {self.job_id}; the console runs its task `{self.task_key}` only."
        return (f"{self.job} has no deployed job id. Run `{DEPLOY_COMMAND}` and `databricks bundle run "
                f"ops_console`: the bundle creates the job and app.yaml binds {self.env} to it (valueFrom). "
                f"Outside the bundle, set {self.env} to the id of a job whose task `{self.task_key}` runs "
                f"`jobs run {self.job}`.")


def deployment(job: str, settings: Any) -> Deployment:
    """The job's deployment under `settings` (job_ids from TELEMETRY_JOB_ID_*); JobError for an unknown job."""
    only_embedded = embedded_only(job)
    job_id = None if only_embedded else settings.job_ids.get(suffix(job))
    return Deployment(job=job, env=env_name(job), task_key=task_key(job), job_id=job_id,
                      embedded_only=only_embedded)


def deployments(settings: Any) -> list[Deployment]:
    """Every registered job's deployment, in catalog order."""
    return [deployment(name, settings) for name in catalog.names()]


def deployable() -> list[str]:
    """The registered jobs the bundle must deploy (all but the embedded-only ones)."""
    return [name for name in catalog.names() if not embedded_only(name)]
