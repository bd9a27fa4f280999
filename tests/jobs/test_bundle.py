"""The bundle and app.yaml, checked three ways: against the official typed bundle model (databricks-bundles,
so a misspelt key or permission fails), against the job registry (every deployable registered job is a
task taking its declared parameters, chained in the order the data flows), and against the settings
(every variable app.yaml sets is one the console reads; every valueFrom, ${var.x} and ${resources.…}
names something that exists; the job ids app.yaml binds reach `deployed.deployment`). Each checker is
also run on a broken copy of the YAML, to show it can fail."""

from __future__ import annotations

import copy
import re
import shlex
from pathlib import Path

import pytest
import yaml
from databricks.bundles.apps import App, AppConfig
from databricks.bundles.jobs import Job

from telemetry import config, config_reference
from telemetry.__main__ import _parser
from telemetry.jobs import catalog, deployed
from telemetry.mirror.jobs import CONSOLE_JOBS

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = yaml.safe_load((ROOT / "databricks.yml").read_text())
APP_YAML = yaml.safe_load((ROOT / "app.yaml").read_text())
JOBS = BUNDLE["resources"]["jobs"]
TASKS = [(job, task) for job in JOBS.values() for task in job["tasks"]]
PARAM_REF = re.compile(r"^(\w+)=\{\{job\.parameters\.(\w+)\}\}$")
REF = re.compile(r"\$\{([^}]+)\}")

# Top-level and target keys of databricks.yml: databricks-bundles models resources only (no Root/Target
# dataclass and no JSON schema shipped), so these keys are checked against the documented mappings.
TOP_KEYS = {"bundle", "variables", "resources", "sync", "targets", "include", "workspace", "artifacts",
            "permissions", "run_as", "presets", "experimental", "scripts", "python"}
TARGET_KEYS = {"mode", "default", "workspace", "variables", "resources", "presets", "run_as", "permissions",
               "git", "bundle", "sync", "artifacts", "cluster_id"}
VARIABLE_KEYS = {"description", "default", "type", "lookup"}
BUILTIN_REFS = ("workspace.", "bundle.")


def model_errors(bundle: dict, app_yaml: dict) -> list[str]:
    """What the typed bundle model (and the documented top-level mappings) refuse."""
    errors = [f"unknown top-level key {k}" for k in sorted(set(bundle) - TOP_KEYS)]
    for name, target in (bundle.get("targets") or {}).items():
        errors += [f"target {name}: unknown key {k}" for k in sorted(set(target) - TARGET_KEYS)]
        if target.get("mode") not in (None, "development", "production"):
            errors.append(f"target {name}: mode {target['mode']!r}")
    for name, var in (bundle.get("variables") or {}).items():
        errors += [f"variable {name}: unknown key {k}" for k in sorted(set(var) - VARIABLE_KEYS)]
    kinds = {"jobs": Job, "apps": App}
    for kind, items in bundle.get("resources", {}).items():
        for key, value in items.items():
            try:
                kinds[kind].from_dict(copy.deepcopy(value))
            except (KeyError, ValueError, TypeError) as err:
                errors.append(f"resources.{kind}.{key}: {err}")
    try:  # app.yaml is the app's `config` (command, env) with camelCase valueFrom
        env = [{("value_from" if k == "valueFrom" else k): v for k, v in e.items()} for e in app_yaml.get("env", [])]
        AppConfig.from_dict({**app_yaml, "env": env})
    except (ValueError, TypeError) as err:
        errors.append(f"app.yaml: {err}")
    errors += [f"app.yaml env {e.get('name')}: needs exactly one of value, valueFrom"
               for e in app_yaml.get("env", []) if ("value" in e) == ("valueFrom" in e)]
    return errors


def _refs(node) -> set[str]:
    if isinstance(node, dict):
        return set().union(*(_refs(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node)) if node else set()
    return set(REF.findall(node)) if isinstance(node, str) else set()


def reference_errors(bundle: dict) -> list[str]:
    """Every ${var.x} is declared; every ${resources.<kind>.<key>.…} exists; nothing else is referenced."""
    errors = []
    for ref in sorted(_refs(bundle)):
        parts = ref.split(".")
        if parts[0] == "var" and parts[1] not in (bundle.get("variables") or {}):
            errors.append(f"${{{ref}}}: no variable {parts[1]}")
        elif parts[0] == "resources" and parts[2] not in bundle["resources"].get(parts[1], {}):
            errors.append(f"${{{ref}}}: no resource {parts[1]}.{parts[2]}")
        elif parts[0] not in ("var", "resources") and not ref.startswith(BUILTIN_REFS):
            errors.append(f"${{{ref}}}: unknown reference")
    return errors


def _app(bundle: dict) -> dict:
    [app] = bundle["resources"]["apps"].values()
    return app


def _task_args(task: dict) -> list[str]:
    return task.get("spark_python_task", {}).get("parameters", [])


def _runs(task: dict) -> str | None:
    """The registered job a task runs (`jobs run NAME`), or None."""
    args = _task_args(task)
    return args[2] if args[:2] == ["jobs", "run"] and len(args) > 2 else None


def _holder(bundle: dict, name: str) -> tuple[str, dict] | None:
    """The bundle job (key, body) whose task runs registered job `name`."""
    for key, job in bundle["resources"]["jobs"].items():
        if any(_runs(t) == name for t in job["tasks"]):
            return key, job
    return None


def registry_errors(bundle: dict, app_yaml: dict) -> list[str]:
    """Registry ↔ bundle ↔ app.yaml: tasks, parameters, app resources and job-id bindings agree."""
    errors = []
    app = _app(bundle)
    resources = {r["name"]: r for r in app.get("resources", [])}
    env = {e["name"]: e for e in app_yaml.get("env", [])}
    for name in catalog.names():
        holder, bound = _holder(bundle, name), env.get(deployed.env_name(name), {})
        if deployed.embedded_only(name):
            if holder or bound:
                errors.append(f"{name} is embedded_only but deployed or bound")
            continue
        if holder is None:
            errors.append(f"{name} is not a task of any bundle job")
            continue
        key, job = holder
        [task] = [t for t in job["tasks"] if _runs(t) == name]
        if task["task_key"] != deployed.task_key(name):
            errors.append(f"{name}: task_key {task['task_key']} (the admin page runs only={deployed.task_key(name)})")
        resource = resources.get(bound.get("valueFrom", ""), {}).get("job", {})
        if resource.get("id") != f"${{resources.jobs.{key}.id}}":
            errors.append(f"{name}: {deployed.env_name(name)} is not bound to the app's resource of job {key}")
    for key, job in bundle["resources"]["jobs"].items():
        errors += _parameter_errors(key, job)
        granted = [r for r in resources.values() if r.get("job", {}).get("id") == f"${{resources.jobs.{key}.id}}"]
        if [r["job"]["permission"] for r in granted] != ["CAN_MANAGE_RUN"]:
            errors.append(f"job {key}: the app needs one job resource with CAN_MANAGE_RUN")
    for item in app_yaml.get("env", []):
        if "valueFrom" in item and item["valueFrom"] not in resources:
            errors.append(f"app.yaml {item['name']}: valueFrom {item['valueFrom']} is not an app resource")
    return errors


def _text(value) -> str:
    return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _parameter_errors(key: str, job: dict) -> list[str]:
    """Job-level parameters = the tasks' registry Params (defaults as text); each task passes its own."""
    errors, expected = [], {}
    for task in job["tasks"]:
        if _runs(task) is None:
            errors.append(f"task {task.get('task_key')}: does not run `jobs run NAME`")
            continue
        params = catalog.get(_runs(task)).params
        clash = sorted({p.name for p in params} & set(expected))
        errors += [f"job {key}: parameter {c} is declared by two tasks" for c in clash]
        expected.update({p.name: _text(p.default) for p in params})
        passed = [PARAM_REF.match(a) for a in _task_args(task)[4::2] if "{{" in a]
        pairs = [m.groups() if m else ("?", "?") for m in passed]
        if sorted(pairs) != sorted((p.name, p.name) for p in params):
            errors.append(f"task {task['task_key']}: passes {pairs}, declares {[p.name for p in params]}")
    declared = {p["name"]: p.get("default") for p in job.get("parameters", [])}
    if declared != expected:
        errors.append(f"job {key}: parameters {declared} != the registry's {expected}")
    return errors


def settings_errors(bundle: dict, app_yaml: dict) -> list[str]:
    """app.yaml, as Databricks Apps resolves it, gives settings in which every deployable job is deployed."""
    listed = {v.name for v in config_reference.variables()}
    errors = [f"app.yaml sets {e['name']}, which the console does not read" for e in app_yaml.get("env", [])
              if e["name"] not in listed and not e["name"].startswith("STREAMLIT_")]
    resources = {r["name"]: r for r in _app(bundle).get("resources", [])}
    ids = {name: str(1000 + i) for i, name in enumerate(resources)}  # what valueFrom resolves to
    env = {e["name"]: ids.get(e.get("valueFrom"), e.get("value", "")) for e in app_yaml.get("env", [])}
    env["DATABRICKS_WAREHOUSE_ID"] = "abc123"  # a warehouse id, not a job-id-like number
    settings = config.load_settings(env)
    errors += [f"{d.job}: not deployed under app.yaml ({d.how_to_deploy()})"
               for d in deployed.deployments(settings) if not d.deployed and not d.embedded_only]
    schema = (bundle.get("variables") or {}).get("schema", {}).get("default")
    if settings.own_schema != schema:
        errors.append(f"app.yaml TELEMETRY_SCHEMA={settings.own_schema} but the bundle's schema is {schema}")
    return errors


def all_errors(bundle: dict = BUNDLE, app_yaml: dict = APP_YAML) -> list[str]:
    return (model_errors(bundle, app_yaml) + reference_errors(bundle) + registry_errors(bundle, app_yaml)
            + settings_errors(bundle, app_yaml))


def test_the_bundle_and_app_yaml_agree_with_the_model_the_registry_and_the_settings():
    assert all_errors() == []


def _mutate(change):
    """A broken copy of (bundle, app.yaml): `change(bundle, app_yaml)` edits the copy in place."""
    bundle, app_yaml = copy.deepcopy(BUNDLE), copy.deepcopy(APP_YAML)
    change(bundle, app_yaml)
    return bundle, app_yaml


def _rename(d: dict, old: str, new: str) -> None:
    d[new] = d.pop(old)


MUTATIONS = {
    "a misspelt task key": (lambda b, a: _rename(b["resources"]["jobs"]["genie_space_sync"]["tasks"][0],
                                                 "spark_python_task", "spark_python_tsk"), "Unexpected field"),
    "a permission the model lacks": (lambda b, a: _app(b)["resources"][1]["job"].update(permission="CAN_RUN"),
                                     "not a valid AppResourceJobJobPermission"),
    "a misspelt app key": (lambda b, a: _rename(_app(b), "user_api_scopes", "user_api_scope"), "Unexpected field"),
    "a misspelt top-level key": (lambda b, a: _rename(b, "targets", "target"), "unknown top-level key target"),
    "a misspelt app.yaml env key": (lambda b, a: _rename(a["env"][0], "valueFrom", "valuefrom"),
                                    "Unexpected field 'valuefrom'"),
    "an undeclared variable": (lambda b, a: b["variables"].pop("warehouse_id"), "no variable warehouse_id"),
    "a job resource that does not exist": (
        lambda b, a: _app(b)["resources"][1]["job"].update(id="${resources.jobs.genie_ingestion.id}"),
        "no resource jobs.genie_ingestion"),
    "a registered job missing from the bundle": (
        lambda b, a: b["resources"]["jobs"].pop("genie_space_sync"), "genie-spaces is not a task"),
    "a task key the admin page would not find": (
        lambda b, a: b["resources"]["jobs"]["genie_space_sync"]["tasks"][0].update(task_key="spaces"),
        "genie-spaces: task_key spaces"),
    "a job id bound to the wrong job": (
        lambda b, a: next(e for e in a["env"] if e["name"] == "TELEMETRY_JOB_ID_GENIE_SPACES").update(
            valueFrom="genie-ingest-job"), "TELEMETRY_JOB_ID_GENIE_SPACES is not bound"),
    "a job id not bound at all": (
        lambda b, a: a["env"].remove(next(e for e in a["env"] if e["name"] == "TELEMETRY_JOB_ID_APPS_INVENTORY")),
        "apps-inventory: not deployed"),
    "a valueFrom naming no resource": (lambda b, a: a["env"][0].update(valueFrom="warehouse"),
                                       "valueFrom warehouse is not an app resource"),
    "a job without CAN_MANAGE_RUN for the app": (lambda b, a: _app(b)["resources"][2]["job"].update(
        permission="CAN_VIEW"), "apps_inventory: the app needs one job resource with CAN_MANAGE_RUN"),
    "a job parameter default that drifted": (
        lambda b, a: b["resources"]["jobs"]["apps_inventory"]["parameters"][1].update(default="7"),
        "parameters .* != the registry's"),
    "a task that does not pass a declared parameter": (
        lambda b, a: _task_args(b["resources"]["jobs"]["apps_inventory"]["tasks"][1]).__delitem__(slice(3, 5)),
        "task app_logins_rollup: passes"),
    "an env the console does not read": (lambda b, a: a["env"].append({"name": "TELEMETRY_ADMIN", "value": "x"}),
                                         "sets TELEMETRY_ADMIN, which"),
    "a schema that differs from the bundle's": (
        lambda b, a: b["variables"]["schema"].update(default="main.console"), "TELEMETRY_SCHEMA=main.ops_console"),
    "an env with both value and valueFrom": (lambda b, a: a["env"][0].update(value="x"), "exactly one of"),
}


@pytest.mark.parametrize("what", MUTATIONS)
def test_each_check_fails_on_a_broken_copy(what):
    change, message = MUTATIONS[what]
    errors = all_errors(*_mutate(change))
    assert any(re.search(message, e) for e in errors), errors


def test_an_embedded_only_job_is_refused_in_the_bundle():
    [embedded] = [n for n in catalog.names() if deployed.embedded_only(n)] or [None]
    if embedded is None:
        pytest.skip("no embedded_only job registered yet (helper L adds demo-append)")

    def deploy_it(b, a):
        task = copy.deepcopy(b["resources"]["jobs"]["genie_space_sync"]["tasks"][0])
        task.update(task_key=deployed.task_key(embedded))
        task["spark_python_task"]["parameters"][2] = embedded
        b["resources"]["jobs"]["genie_space_sync"]["tasks"].append(task)
    assert f"{embedded} is embedded_only but deployed or bound" in all_errors(*_mutate(deploy_it))


def test_the_app_gets_the_warehouse_and_the_scopes_the_console_needs():
    app = _app(BUNDLE)
    warehouse = next(r for r in app["resources"] if r["name"] == "sql-warehouse")["sql_warehouse"]
    assert warehouse == {"id": "${var.warehouse_id}", "permission": "CAN_USE"}
    assert set(app["user_api_scopes"]) == {"sql", "iam.current-user:read"}
    env = {e["name"]: e for e in APP_YAML["env"]}
    assert env["DATABRICKS_WAREHOUSE_ID"] == {"name": "DATABRICKS_WAREHOUSE_ID", "valueFrom": "sql-warehouse"}
    assert env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"]["value"] == "false"
    assert {t: BUNDLE["targets"][t].get("mode") for t in ("dev", "prod")} == {"dev": "development",
                                                                           "prod": "production"}


def test_every_registered_job_is_scheduled_under_a_known_job_name():
    scheduled = [_runs(task) for _, task in TASKS]
    assert sorted(scheduled) == sorted(deployed.deployable())
    assert {job["name"] for job in JOBS.values()} <= {name for name, *_ in CONSOLE_JOBS}
    assert all(job.get("schedule", {}).get("quartz_cron_expression") for job in JOBS.values())
    # the run timeline names a registered job's runs by the bundle job that holds its task
    assert {_runs(task): job["name"] for job, task in TASKS} == deployed.BUNDLE_JOBS


def _resolved(job: dict, task: dict) -> list[str]:
    """The task's arguments as the Jobs service passes them with the job's default parameters."""
    defaults = {p["name"]: p["default"] for p in job.get("parameters", [])}
    return [re.sub(r"\{\{job\.parameters\.(\w+)\}\}", lambda m: defaults[m.group(1)], a) for a in _task_args(task)]


@pytest.mark.parametrize(("job", "task"), TASKS, ids=lambda x: x.get("task_key", x.get("name", "")))
def test_each_task_is_a_valid_jobs_run_command_that_runs_with_the_registry_defaults(job, task):
    python = task["spark_python_task"]
    assert (ROOT / python["python_file"]).resolve() == ROOT / "telemetry" / "jobs_entry.py"
    args = _parser().parse_args(_resolved(job, task))
    assert (args.command, args.jobs_command) == ("jobs", "run")
    registered = catalog.get(args.name)
    raw = dict(item.split("=", 1) for item in args.param)
    assert registered.parse_params(raw) == registered.parse_params({})  # the defaults, typed
    assert args.warehouse_id == "${var.warehouse_id}", shlex.join(python["parameters"])
    assert args.schema == "${var.schema}", shlex.join(python["parameters"])  # serverless tasks have no env
    assert task["environment_key"] in {env["environment_key"] for env in job["environments"]}


def test_an_empty_job_parameter_runs_with_the_default():
    """A job parameter left empty on Run now reaches the task as `--param name=`."""
    for job in catalog.JOBS:
        for param in job.params:
            assert job.parse_params({param.name: ""})[param.name] == param.default, (job.name, param.name)


def test_a_job_that_feeds_another_runs_first():
    order = {job["name"]: [_runs(t) for t in job["tasks"]] for job in JOBS.values()}
    assert order["ops-console-genie-ingest"] == ["genie-messages-to-fetch", "genie-messages"]
    assert order["ops-console-apps-inventory"] == ["apps-inventory", "app-logins-rollup"]
    for job in JOBS.values():
        for before, after in zip(job["tasks"], job["tasks"][1:], strict=False):
            assert [d["task_key"] for d in after["depends_on"]] == [before["task_key"]]
