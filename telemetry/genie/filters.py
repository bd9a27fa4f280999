"""The Genie section's global filters (workspace, period) turned into query parameters.

Every Genie page takes the same `GenieFilters`; its `params()` holds every parameter any Genie
read query declares, and `request(name)` picks the ones a named query needs. Pages add their own
(space, search text, page) through `overrides`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from telemetry import queries
from telemetry.config import Settings


@dataclass(frozen=True)
class GenieFilters:
    start: date
    end: date
    workspace_id: str = ""
    space_id: str = ""  # one space (the per-space view); "" for all
    exclude_service_principals: bool = False  # API traffic is real usage for Genie; opt-in to hide it

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous_start(self) -> date:
        return self.start - timedelta(days=self.days)

    def for_space(self, space_id: str) -> GenieFilters:
        return replace(self, space_id=space_id)


def base_params(filters: GenieFilters, settings: Settings) -> dict[str, Any]:
    """Parameters shared by the Genie queries (period, previous period, scope, audit action names)."""
    genie = settings.genie
    return {
        "start_date": filters.start, "end_date": filters.end, "prev_start_date": filters.previous_start,
        "workspace_id": filters.workspace_id, "space_id": filters.space_id,
        "exclude_service_principals": filters.exclude_service_principals,
        "genie_service_name": genie.service_name,
        "message_actions": ",".join(genie.message_actions),
        "feedback_action": genie.feedback_action, "comment_action": genie.comment_action,
    }


def request(name: str, filters: GenieFilters, settings: Settings, **overrides: Any) -> queries.Request:
    """The request for Genie query `name` (short name under sql/genie/, or a full `area/name`)."""
    return queries.in_area("genie", name, {**base_params(filters, settings), **overrides})


def requests(names: tuple[str, ...], filters: GenieFilters, settings: Settings, **overrides: Any
             ) -> dict[str, queries.Request]:
    """Requests by short name for `ui.start` (independent of each other, so they start together)."""
    return queries.in_area_all("genie", names, {**base_params(filters, settings), **overrides})
