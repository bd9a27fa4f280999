"""One tracked event, as the tracker table holds it (the four classic columns, then the optional ones)."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

CLASSIC = ("timestamp", "app_name", "user", "action")  # the layout existing tables have
EXTENDED = ("event_id", "session_id", "properties", "duration_ms")


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice as much to build, per event
class Event:
    action: str
    app_name: str
    user: str | None
    timestamp: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))
    event_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    session_id: str | None = None
    properties: str | None = None  # JSON text
    duration_ms: float | None = None

    def to_json(self) -> str:
        row = asdict(self)
        row["timestamp"] = self.timestamp.isoformat()
        return json.dumps(row, separators=(",", ":"))

    @classmethod
    def from_json(cls, line: str) -> Event:
        row = json.loads(line)
        row["timestamp"] = datetime.fromisoformat(row["timestamp"])
        return cls(**row)


def properties_json(properties: dict[str, Any]) -> str | None:
    """Properties as JSON text (values it cannot encode become their str())."""
    if not properties:
        return None
    return json.dumps(properties, default=str, separators=(",", ":"), sort_keys=True)
