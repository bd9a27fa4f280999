"""The tracker's local spool: batches the sink could not take, kept on disk until it can.

One JSON-lines file per batch, written to a temporary name, fsync'd and renamed, so a file is
whole or absent. Replay reads the oldest first and deletes a file only after the sink took it; a
sink that dedups by event id makes a replay after a crash add nothing.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from telemetry.tracker.events import Event


class Spool:
    def __init__(self, folder: Path | str):
        self.folder = Path(folder)

    def put(self, events: list[Event]) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        final = self.folder / f"{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}.jsonl"
        temp = self.folder / f".{final.name}.tmp"
        with open(temp, "w", encoding="utf-8") as handle:
            handle.write("\n".join(e.to_json() for e in events) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
        return final

    def files(self) -> list[Path]:
        return sorted(self.folder.glob("*.jsonl")) if self.folder.is_dir() else []

    def read(self, path: Path) -> list[Event]:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [Event.from_json(line) for line in lines if line.strip()]

    def events_waiting(self) -> int:
        return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in self.files())
