"""Fake Apps API routes: `GET /api/2.0/apps` with real paging, and the workspace id lookup.

`FakeApps(apps).install(fake)` serves `apps` (App JSON objects, shaped as databricks-apis.md §4
and the SDK's `App` dataclass) in pages of the requested `page_size` with an opaque
`next_page_token`; tests change `apps` between runs (an app deleted, one created). The SDK asks for
the workspace id through `GET /api/2.0/preview/scim/v2/Me` (the `X-Databricks-Org-Id` header).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.fakes.server import FakeDatabricks, Reply, Request

LIST = "/api/2.0/apps"
ME = "/api/2.0/preview/scim/v2/Me"


def app_json(name: str, n: int = 0, **overrides: Any) -> dict[str, Any]:
    """A complete App object as the Apps API returns it (every field the inventory reads)."""
    body: dict[str, Any] = {
        "name": name,
        "id": f"{n:08x}-1111-2222-3333-444455556666",
        "description": f"The {name} app",
        "creator": f"owner{n}@example.com",
        "updater": f"editor{n}@example.com",
        "url": f"https://{name}-1234567890.aws.databricksapps.com",
        "oauth2_app_client_id": f"client-{name}",
        "service_principal_id": 7000 + n,
        "service_principal_client_id": f"sp-{name}",
        "service_principal_name": f"app-{n:04d} {name}",
        "compute_size": "MEDIUM",
        "compute_status": {"state": "ACTIVE", "message": "App compute is running."},
        "app_status": {"state": "RUNNING", "message": "App has status: App is running"},
        "create_time": "2026-10-01T09:00:00Z",
        "update_time": "2026-11-20T14:30:15.123Z",
        "resources": [{"name": "sql-warehouse", "sql_warehouse": {"id": "abc123", "permission": "CAN_USE"}}],
        "active_deployment": {
            "deployment_id": f"01f0{n:028x}",
            "source_code_path": f"/Workspace/Users/owner{n}@example.com/{name}",
            "mode": "SNAPSHOT",
            "status": {"state": "SUCCEEDED", "message": "App started successfully"},
            "create_time": "2026-11-20T14:25:00Z",
            "update_time": "2026-11-20T14:28:41Z",
        },
    }
    body.update(overrides)
    return body


@dataclass
class FakeApps:
    apps: list[dict[str, Any]] = field(default_factory=list)
    workspace_id: str = "1234567890123456"
    max_page_size: int = 50  # the service caps page_size, as real list endpoints do

    def install(self, fake: FakeDatabricks) -> FakeApps:
        fake.route("GET", LIST, self.list)
        fake.route("GET", ME, self.me)
        return self

    def list(self, request: Request) -> dict[str, Any]:
        size = min(int(request.query.get("page_size") or self.max_page_size), self.max_page_size)
        start = int(request.query.get("page_token", "p0")[1:])
        body: dict[str, Any] = {}
        page = self.apps[start:start + size]
        if page:  # the API omits `apps` when there are none
            body["apps"] = page
        if start + size < len(self.apps):
            body["next_page_token"] = f"p{start + size}"
        return body

    def me(self, request: Request) -> Reply:
        return Reply(200, {"id": "42", "userName": "jobs@example.com"},
                     headers={"X-Databricks-Org-Id": self.workspace_id})
