"""The job registry: every ingestion job the console knows, with its declared parameters.

One list is the source of truth for `python -m telemetry jobs list/run`, the bundle's serverless
tasks (through telemetry/jobs_entry.py) and the admin page, which builds its run forms from the
declared parameters. A job is a plain function `run(context, params) -> JobReport`; it never parses
its own arguments, so a value is validated once, here, whoever triggers the run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

ParamType = type[int] | type[float] | type[str] | type[bool] | type[date]


class JobError(RuntimeError):
    """A job that cannot run (or failed as a whole); the message says what to do."""


class JobCancelled(JobError):
    """Someone cancelled the run; raised at the job's next `check_cancelled()` (between batches)."""


@dataclass(frozen=True)
class Param:
    """One declared parameter: the admin page's form field and the CLI's `--param name=value`."""

    name: str
    type: ParamType
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()

    def parse(self, raw: Any) -> Any:
        """The typed, range-checked value of `raw` (text from the CLI or a form); JobError if bad."""
        value = _coerce(self, raw)
        if self.minimum is not None and value is not None and value < self.minimum:
            raise JobError(f"--param {self.name}={raw!r}: must be at least {self.minimum:g}.")
        if self.maximum is not None and value is not None and value > self.maximum:
            raise JobError(f"--param {self.name}={raw!r}: must be at most {self.maximum:g}.")
        if self.choices and value not in self.choices:
            raise JobError(f"--param {self.name}={raw!r}: choose one of {', '.join(self.choices)}.")
        return value


def _coerce(param: Param, raw: Any) -> Any:
    if raw is None or (isinstance(raw, str) and raw.strip() == "" and param.type is not str):
        return None
    if isinstance(raw, param.type) and not (param.type is int and isinstance(raw, bool)):
        return raw
    text = str(raw).strip()
    try:
        if param.type is bool:
            if text.lower() in ("1", "true", "yes", "on"):
                return True
            if text.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(text)
        if param.type is date:
            return date.fromisoformat(text)
        return param.type(text)
    except ValueError:
        kind = {int: "a whole number", float: "a number", bool: "true or false",
                date: "a date (YYYY-MM-DD)"}.get(param.type, "text")
        raise JobError(f"--param {param.name}={raw!r}: expected {kind}.") from None


def _blank(param: Param, raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "" and param.type is not str)


@dataclass
class JobReport:
    """What a run did, in the counts `jobs run` prints on one line and the admin page shows."""

    read: int = 0
    written: int = 0
    failed: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self, name: str) -> str:
        text = (f"{name}: read {self.read:,}, written {self.written:,}, failed {self.failed:,}, "
                f"skipped {self.skipped:,} in {self.seconds:.1f} s")
        return text + (f" ({'; '.join(self.notes)})" if self.notes else "")


@dataclass
class JobContext:
    """What a job may use: the engine to read and write, the settings, a workspace client factory.

    `workspace()` builds the databricks-sdk WorkspaceClient lazily (only API jobs call it), so jobs
    that only move data between tables need no workspace credentials; tests pass a client pointed
    at a fake server. `log` prints progress lines; `now` is the run's clock in naive UTC, as audit
    times are (tests pin it). `cancelled` tells whether someone asked the run to stop (the admin
    page's local runner sets it); a long job calls `check_cancelled()` between batches, so a cancel
    stops it at a point where what it wrote so far is consistent."""

    engine: Any  # telemetry.engine.base.Engine
    settings: Any  # telemetry.config.Settings
    workspace: Callable[[], Any]
    log: Callable[[str], None] = print
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC).replace(tzinfo=None))
    cancelled: Callable[[], bool] = field(default=lambda: False)

    def check_cancelled(self) -> None:
        """Raise JobCancelled when the run was asked to stop (call it between batches)."""
        if self.cancelled():
            raise JobCancelled("the run was cancelled")


@dataclass(frozen=True)
class Job:
    """A registered job: name (kebab-case, as typed on the command line), what it does and touches."""

    name: str
    description: str
    run: Callable[[JobContext, dict[str, Any]], JobReport]
    params: tuple[Param, ...] = ()
    reads: tuple[str, ...] = ()  # table keys of telemetry.config.TABLE_SPECS, or "api:<service>"
    writes: tuple[str, ...] = ()  # table keys it writes
    # Runs on the embedded demo only (demo-append): not deployed to Databricks, refused on a warehouse.
    embedded_only: bool = False

    def parse_params(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Every declared parameter, typed: given values parsed, the rest defaulted. Unknown names fail.

        A value left empty (None, or blank text for a non-text parameter) means the default: a Jobs
        UI or Run now form field left empty reaches the task as `--param name=`."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            accepted = ", ".join(known) or "no parameters"
            raise JobError(f"{self.name} has no parameter {', '.join(unknown)} (it accepts {accepted}).")
        return {name: p.parse(raw[name]) if name in raw and not _blank(p, raw[name]) else p.default
                for name, p in known.items()}

    def execute(self, context: JobContext, raw: Mapping[str, Any] | None = None) -> JobReport:
        """Validate the parameters and run; the report carries the wall time."""
        params = self.parse_params(raw or {})
        started = time.perf_counter()
        report = self.run(context, params)
        report.seconds = time.perf_counter() - started
        return report
