"""A registered job's deployment: the env name and task key it is found under, deployed when app.yaml bound
an id, otherwise a sentence saying how to deploy it; an embedded-only job is never deployed."""

from __future__ import annotations

import pytest

from telemetry.config import load_settings
from telemetry.jobs import catalog, deployed
from telemetry.jobs.registry import JobError


def test_names_follow_the_registered_job():
    assert deployed.env_name("genie-messages") == "TELEMETRY_JOB_ID_GENIE_MESSAGES"
    assert deployed.task_key("genie-messages") == "genie_messages"
    assert deployed.env_name("genie-messages-to-fetch") == "TELEMETRY_JOB_ID_GENIE_MESSAGES_TO_FETCH"


def test_a_bound_job_id_makes_the_job_deployed():
    settings = load_settings({"TELEMETRY_JOB_ID_GENIE_MESSAGES": "123"})
    job = deployed.deployment("genie-messages", settings)
    assert job == deployed.Deployment("genie-messages", "TELEMETRY_JOB_ID_GENIE_MESSAGES", "genie_messages", 123)
    assert job.deployed and "123" in job.how_to_deploy() and "genie_messages" in job.how_to_deploy()
    other = deployed.deployment("apps-inventory", settings)
    assert not other.deployed and other.job_id is None


def test_an_unbound_job_says_how_to_deploy_it():
    text = deployed.deployment("apps-inventory", load_settings({})).how_to_deploy()
    assert "databricks bundle deploy" in text and "TELEMETRY_JOB_ID_APPS_INVENTORY" in text
    assert "apps_inventory" in text


def test_an_embedded_only_job_is_never_deployed():
    embedded = [job.name for job in catalog.JOBS if getattr(job, "embedded_only", False)]
    if not embedded:
        pytest.skip("no embedded_only job registered yet (helper L adds demo-append)")
    name = embedded[0]
    settings = load_settings({deployed.env_name(name): "77"})  # even when someone binds an id
    job = deployed.deployment(name, settings)
    assert job.job_id is None and not job.deployed and job.embedded_only
    assert "embedded demo" in job.how_to_deploy() and "never deployed" in job.how_to_deploy()
    assert name not in deployed.deployable()
    assert [d.job for d in deployed.deployments(settings)] == catalog.names()


def test_an_unknown_job_is_a_job_error():
    with pytest.raises(JobError, match="no job called 'nope'"):
        deployed.deployment("nope", load_settings({}))
