"""Job genie-spaces: every Genie space of the workspace, with its configuration, into the space details.

`list_spaces` (all pages, following `next_page_token`) says which spaces exist; `get_space` with
`include_serialized_space=true` adds the configuration (tables, instructions, sample questions,
benchmarks; parsed in space_rows). That needs CAN EDIT on the space: a 403 keeps the listed fields
(and the configuration stored earlier) and counts the space as skipped. Rows are merged by space_id;
a space no longer listed gets `deleted_time` (the row stays, so history keeps its title).

Both calls go through the SDK's client as raw JSON (`api_client.do`), like genie-messages: the SDK's
auth and retries, and no field dropped by a dataclass that does not know it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

from telemetry import queries
from telemetry.genie import fetch_errors
from telemetry.genie.message_rows import obj, objs, text
from telemetry.genie.space_rows import space_row
from telemetry.jobs import tables
from telemetry.jobs.registry import Job, JobContext, JobError, JobReport

TABLE = "genie_space_details"
MERGE = "genie_jobs/merge_space_details"
MARK_DELETED = "genie_jobs/mark_deleted_spaces"
SPACES_PATH = "/api/2.0/genie/spaces"
MAX_PAGES = 10_000  # a server repeating its page token must not keep the job forever
CONCURRENCY = 8


def _get(client: Any, path: str, query: dict[str, Any] | None = None) -> Any:
    headers = {"Accept": "application/json"}
    if getattr(client.config, "workspace_id", None):
        headers["X-Databricks-Workspace-Id"] = str(client.config.workspace_id)
    return client.api_client.do("GET", path, query=query, headers=headers)


def list_spaces(client: Any) -> list[dict[str, Any]]:
    """Every listed space (all pages); JobError if a page cannot be read, so nothing is marked deleted."""
    spaces: list[dict[str, Any]] = []
    token, seen = None, set()
    for _ in range(MAX_PAGES):
        try:
            page = obj(_get(client, SPACES_PATH, {"page_token": token} if token else None))
        except Exception as err:
            failure = fetch_errors.classify(err)
            raise JobError(f"list_spaces failed after {len(spaces)} spaces ({failure.code}, HTTP "
                           f"{failure.http_status or '-'}): {failure.message}") from None
        spaces += objs(page.get("spaces"))
        token = text(page.get("next_page_token"))
        if not token or token in seen:
            return spaces
        seen.add(token)
    raise JobError(f"list_spaces returned more than {MAX_PAGES} pages; stopped")


def fetch_space(client: Any, listed: dict[str, Any]) -> tuple[str, dict[str, Any] | None, str | None]:
    """("ok", merged JSON, None) / ("skipped", listed, why) on 403 / ("gone", None, why) on 404 /
    ("failed", listed, why) otherwise. Never raises."""
    space_id = quote(str(listed.get("space_id") or listed.get("id")), safe="")
    try:
        got = _get(client, f"{SPACES_PATH}/{space_id}", {"include_serialized_space": "true"})
    except Exception as err:
        failure = fetch_errors.classify(err)
        why = f"{failure.code}: {failure.message}"
        if failure.http_status == 403:
            return "skipped", listed, why
        return ("gone", None, why) if failure.http_status == 404 else ("failed", listed, why)
    return "ok", {**listed, **obj(got)}, None


def _workspace_id(client: Any) -> str | None:
    try:
        return str(client.get_workspace_id())
    except Exception:  # the rows are still worth keeping; deletions need it (see run)
        return None


def run(context: JobContext, params: dict[str, Any]) -> JobReport:
    """List, get each space's configuration, merge, then mark the spaces no longer listed."""
    engine, settings = context.engine, context.settings
    tables.ensure_tables(engine, settings, TABLE)
    client = context.workspace()
    workspace_id, now = _workspace_id(client), context.now()
    listed = list({sid: s for s in list_spaces(client) if (sid := text(s.get("space_id")) or text(s.get("id")))}
                  .values())  # once each, even if a page repeats one
    with ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="genie-spaces") as pool:
        fetched = list(pool.map(lambda s: fetch_space(client, s), listed))
    rows = [space_row(space, workspace_id, now) for _, space, _ in fetched if space is not None]
    written = tables.merge_rows(engine, settings, MERGE, rows)
    counts = {kind: sum(k == kind for k, _, _ in fetched) for kind in ("skipped", "gone", "failed")}
    notes = _notes(fetched, counts)
    if workspace_id is None:
        notes.append("workspace id unknown (SCIM Me failed): spaces no longer listed were not marked deleted")
    else:
        queries.run(MARK_DELETED, engine=engine, settings=settings, workspace_id=workspace_id, fetched_at=now)
    return JobReport(read=len(listed), written=written, failed=counts["failed"], skipped=counts["skipped"],
                     notes=notes)


def _notes(fetched: list[tuple[str, Any, str | None]], counts: dict[str, int]) -> list[str]:
    notes = [f"{counts['skipped']:,} without CAN EDIT: listed fields only"] if counts["skipped"] else []
    notes += [f"{counts['gone']:,} gone between list and get"] if counts["gone"] else []
    first_failure = next((why for kind, _, why in fetched if kind == "failed"), None)
    notes += [f"get_space failed for {counts['failed']:,}, e.g. {first_failure}"] if first_failure else []
    return notes


JOB = Job(
    name="genie-spaces",
    description="List every Genie space (all pages) and get its configuration (tables, instructions, sample "
                "questions, benchmarks) into the space details; spaces no longer listed are marked deleted.",
    run=run,
    params=(),
    reads=("api:genie",),
    writes=(TABLE,),
)
