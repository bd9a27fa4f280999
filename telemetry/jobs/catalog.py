"""The registered jobs, in pipeline order: what `jobs list` shows and `jobs run NAME` finds.

Each job lives with its area (a `JOB` in telemetry/genie/…, telemetry/apps/…); this module only
lists them, so adding a job is one import and one entry here. The order is the bundle's chaining:
the queue before the fetch, the inventory before the sign-ins rollup. demo-append (embedded_only)
comes last: it extends the embedded demo and is not deployed.
"""

from __future__ import annotations

from telemetry.apps import inventory, rollups
from telemetry.genie import messages_job, queue, spaces_job
from telemetry.jobs.registry import Job, JobError
from telemetry.mirror import append

JOBS: tuple[Job, ...] = (queue.JOB, messages_job.JOB, spaces_job.JOB, inventory.JOB, rollups.JOB,
                         append.JOB)


def names() -> list[str]:
    return [job.name for job in JOBS]


def get(name: str) -> Job:
    """The job called `name`; JobError listing the known names otherwise."""
    for job in JOBS:
        if job.name == name:
            return job
    raise JobError(f"no job called {name!r}; the jobs are: {', '.join(names())} (see `python -m telemetry jobs list`).")
