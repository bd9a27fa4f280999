"""`traces load FILE...`: OTLP trace files into the embedded span table, through the inbox.

The embedded database has one writer. The loader never opens it for writing itself: it decodes a
file in batches and hands each batch to `telemetry.engine.inbox`, which writes it durably and applies
it at once when nobody holds the database, or leaves it for the running console to apply within a
second. The drain drops spans whose (trace_id, span_id) the table already has, so loading a file
twice adds nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from telemetry.config import Settings
from telemetry.engine import inbox
from telemetry.traces import otlp_json, otlp_proto
from telemetry.traces.span_rows import Decoded

KEYS = ("trace_id", "span_id")
PRUNE_COLUMN = "start_time_unix_nano"
_JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
_PROTO_SUFFIXES = {".pb", ".binpb", ".proto", ".protobuf", ".otlp"}
_SHOWN_ERRORS = 20


def file_format(path: Path, head: bytes) -> str:
    """"json" or "proto": by the file's extension, else by its first byte ('{' is JSON)."""
    suffix = path.suffix.lower()
    if suffix in _JSON_SUFFIXES:
        return "json"
    if suffix in _PROTO_SUFFIXES:
        return "proto"
    return "json" if head.lstrip()[:1] in (b"{", b"[") else "proto"


def decode_file(path: Path, data: bytes, fmt: str = "auto", batch_spans: int = 50_000) -> Iterator[Decoded]:
    """The file's spans in batches, with its malformed lines / messages reported."""
    fmt = file_format(path, data[:64]) if fmt == "auto" else fmt
    if fmt == "json":
        return otlp_json.decode_batches(data, path.name, batch_spans)
    return otlp_proto.decode_batches(data, path.name, batch_spans)


def write_spans(settings: Settings, decoded: Decoded) -> inbox.HandOver:
    """Hand one decoded batch over (returns once it is durably on disk)."""
    return inbox.hand_over(settings.embedded_path, settings.table("spans"), decoded.table, keys=KEYS,
                           prune_column=PRUNE_COLUMN)


@dataclass
class FileReport:
    """What loading one file did."""

    path: Path
    spans: int = 0  # read (stored + rejected)
    rejected: int = 0
    reasons: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    handovers: list[inbox.HandOver] = field(default_factory=list)
    seconds: float = 0.0
    write_seconds: float = 0.0  # of which handing over (writing + applying), the rest decoding
    visible: bool | None = None  # queued batches: taken by the console in time
    failure: str = ""  # the write failed (nothing after it was loaded)

    @property
    def queued(self) -> bool:
        return any(h.queued for h in self.handovers)

    @property
    def added(self) -> int:
        return sum(h.added or 0 for h in self.handovers)

    @property
    def stored(self) -> int:
        return sum(h.rows for h in self.handovers)

    def line(self) -> str:
        """One line a person can act on."""
        rate = f"{self.spans / self.seconds:,.0f} spans/s" if self.seconds > 0 and self.spans else "-"
        parts = [f"{self.path.name}: {self.spans:,} spans read"]
        if self.queued:
            holder = next((h.holder for h in self.handovers if h.holder), "")
            parts.append(f"{self.stored:,} handed to the running console{f' ({holder})' if holder else ''}"
                         + {True: ", now visible", False: ", not yet taken (the console loads them when it "
                            "next runs)", None: ""}[self.visible])
        else:
            parts.append(f"{self.added:,} added, {self.stored - self.added:,} duplicates")
        parts.append(f"{self.rejected:,} rejected" + (f" ({self.reasons[0]})" if self.reasons else ""))
        if self.errors:
            parts.append(f"{len(self.errors):,} malformed skipped")
        if self.failure:
            parts.append(f"NOT WRITTEN: {self.failure}")
        return ", ".join(parts) + f" — {rate}"


def load_file(settings: Settings, path: Path, fmt: str = "auto", *, wait_s: float = 10.0,
              batch_spans: int = 50_000) -> FileReport:
    """Decode and hand over one file; FileNotFoundError when it is missing."""
    report = FileReport(path)
    started = time.perf_counter()
    data = path.read_bytes()
    for part in decode_file(path, data, fmt, batch_spans):
        report.spans += part.spans
        report.rejected += part.rejected
        report.reasons += [r for r in part.reasons if r not in report.reasons]
        report.errors += part.errors
        if part.table.num_rows:
            writing = time.perf_counter()
            try:
                report.handovers.append(write_spans(settings, part))
            except Exception as err:  # a full disk, an unwritable inbox, a broken database file
                report.failure = f"{type(err).__name__}: {err}"
                break
            finally:
                report.write_seconds += time.perf_counter() - writing
    report.seconds = time.perf_counter() - started
    queued = [h for h in report.handovers if h.queued]
    if queued and wait_s > 0:
        report.visible = all(inbox.wait_drained(h, timeout_s=wait_s) for h in queued)
    return report


def load_files(settings: Settings, paths: list[Path], fmt: str = "auto",
               out: Callable[[str], None] = print, err: Callable[[str], None] = print) -> int:
    """Load every file, print one summary line each (and the malformed lines); the exit code:
    2 when a file is missing, 1 when no span could be read (or written) from any file, else 0."""
    missing = [p for p in paths if not p.is_file()]
    for path in missing:
        err(f"{path}: no such file")
    reports = []
    for path in (p for p in paths if p not in missing):
        report = load_file(settings, path, fmt)
        for line in report.errors[:_SHOWN_ERRORS]:
            err(line)
        if len(report.errors) > _SHOWN_ERRORS:
            err(f"{path.name}: … and {len(report.errors) - _SHOWN_ERRORS:,} more malformed")
        out(report.line())
        reports.append(report)
    if missing:
        return 2
    if not any(r.stored for r in reports) and not any(r.failure for r in reports):
        err("no span could be loaded from any file: are these OTLP trace exports (JSON or protobuf)?")
        return 1
    return 1 if any(r.failure for r in reports) else 0
