"""Registered jobs run inside the console on the embedded database: the admin page's local runner.

The embedded DuckDB file has one writer, and the served console is it (`python -m telemetry serve`
holds the file read-write), so a job started from the page cannot open the file itself as the
command line does: it runs here, in the console process, on the console's own connection (DuckDB
cursors of one connection work from any thread). One worker thread runs the queued runs one at a
time, in order, so two jobs never write at once; the page's reads go on meanwhile on their cursors.

Runs move QUEUED → RUNNING → TERMINATED with result SUCCESS, FAILED or CANCELED, the same
`RunView` the Jobs API gives on Databricks. Each run is a JSON file beside the database
(`<db>.runs/<id>.json`, replaced atomically at each change) with its log (`<id>.log`: the job's
progress lines, then its report or error line), so a page reload, another session or a restarted
console sees the history. A run whose console stopped while it was queued or running (its process
is gone) reads as FAILED. A trigger token makes a double click start one run.
"""

from __future__ import annotations

import json
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telemetry import runtime
from telemetry.jobs import catalog, error_line
from telemetry.jobs.registry import JobCancelled, JobContext, JobError, JobReport
from telemetry.jobs.remote import RunView
from telemetry.jobs.runner import JOB_TIMEOUT_S, workspace_factory

KEEP_RUNS = 200  # history kept on disk (the page shows the last few per job)
STOPPED = "the console stopped during this run"
MUST_OWN = ("jobs started from the console write the embedded database {path}, which this process only reads: "
            "start the console that owns it with `python -m telemetry serve` (stop any other process that holds "
            "the file), then run the job from its admin page")
_LIVE: set[str] = set()  # runner instances of this process whose worker still runs


@dataclass
class Record:
    """One run as stored: what was asked, by whom, and where it got to (times are epoch seconds)."""

    run_id: int
    job: str
    parameters: dict[str, str]
    token: str
    creator: str
    queued_at: float
    state: str = "QUEUED"
    result: str | None = None
    started_at: float | None = None
    ended_at: float | None = None
    message: str = ""
    pid: int = field(default_factory=os.getpid)
    runner: str = ""

    def view(self, now: float | None = None) -> RunView:
        start = self.started_at or self.queued_at
        end = (self.ended_at or (time.time() if now is None else now)) if self.started_at else None
        return RunView(run_id=self.run_id, job_id=0, state=self.state, result=self.result,
                       started=datetime.fromtimestamp(start, UTC),
                       duration_s=None if end is None else max(end - start, 0.0), trigger="ONE_TIME",
                       creator=self.creator, parameters=dict(self.parameters), url="", message=self.message)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


class RunStore:
    """The runs folder: one JSON per run, written atomically, and one log per run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.lock = threading.Lock()

    def _json(self, run_id: int) -> Path:
        return self.folder / f"{run_id}.json"

    def log_path(self, run_id: int) -> Path:
        return self.folder / f"{run_id}.log"

    def cancel_path(self, run_id: int) -> Path:
        return self.folder / f"{run_id}.cancel"

    def new_id(self) -> int:
        """The next free id, reserved by creating its file exclusively (two processes never share one)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        run_id = max(self.ids(), default=0) + 1
        while True:
            try:
                os.close(os.open(self._json(run_id), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
                return run_id
            except FileExistsError:
                run_id += 1

    def ids(self) -> list[int]:
        if not self.folder.is_dir():
            return []
        return sorted(int(p.stem) for p in self.folder.glob("*.json") if p.stem.isdigit())

    def save(self, record: Record) -> None:
        temp = self.folder / f".{record.run_id}.{uuid.uuid4().hex[:6]}.tmp"
        temp.write_text(json.dumps(asdict(record)))
        os.replace(temp, self._json(record.run_id))

    def load(self, run_id: int) -> Record | None:
        try:
            data = json.loads(self._json(run_id).read_text() or "null")
        except (FileNotFoundError, json.JSONDecodeError):  # a reservation not written yet, or gone
            return None
        return Record(**data) if isinstance(data, dict) else None

    def all(self) -> list[Record]:
        """Every stored run, newest first."""
        return [r for r in (self.load(i) for i in reversed(self.ids())) if r is not None]

    def append_log(self, run_id: int, line: str) -> None:
        stamp = datetime.now(UTC).strftime("%H:%M:%S")
        with open(self.log_path(run_id), "a", encoding="utf-8") as handle:
            handle.write(f"{stamp} {line}\n")

    def prune(self) -> None:
        """Keep the newest KEEP_RUNS runs (never one that has not ended)."""
        for run_id in self.ids()[:-KEEP_RUNS]:
            record = self.load(run_id)
            if record is not None and record.state != "TERMINATED":
                continue
            for path in (self._json(run_id), self.log_path(run_id), self.cancel_path(run_id)):
                path.unlink(missing_ok=True)


def default_state_dir(settings: Any) -> Path:
    path = Path(settings.embedded_path)
    return path.with_name(path.name + ".runs")


class _JobEngine:
    """The console's engine for a job: the same connection, with a job's time limit per statement
    (a page's limit would stop a backfill) and the engine itself at `.engine` (demo-append's cursor)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def run(self, sql: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        kwargs["timeout_s"] = kwargs.get("timeout_s") or JOB_TIMEOUT_S
        return self.engine.run(sql, params, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)


class LocalRunner:
    """Trigger, follow, list and cancel runs of registered jobs in this process (see the module doc)."""

    def __init__(self, settings: Any, engine: Any, state_dir: Path | None = None,
                 workspace: Callable[[], Any] | None = None) -> None:
        self.settings, self.engine = settings, engine
        self.store = RunStore(state_dir or default_state_dir(settings))
        self.workspace = workspace or workspace_factory()
        self.id = uuid.uuid4().hex
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._cancel: dict[int, threading.Event] = {}
        self._closed = False
        _LIVE.add(self.id)
        self._sweep()
        self._worker = threading.Thread(target=self._work, name="local-jobs", daemon=True)
        self._worker.start()

    # --- what the admin page calls -------------------------------------------------------------
    def trigger(self, job: str, params: Mapping[str, Any], token: str, user: str) -> int:
        """Queue a run of `job` (JobError for an unknown job or a bad parameter, before anything is
        stored); a token already used returns the run it started."""
        spec = catalog.get(job)
        spec.parse_params(params)
        with self.store.lock:
            for record in self.store.all():
                if token and record.token == token:
                    return record.run_id
            if self._closed:
                raise JobError("this console's job runner has stopped; reload the page")
            run_id = self.store.new_id()
            record = Record(run_id, job, {k: "" if v is None else str(v) for k, v in params.items()}, token,
                            user, time.time(), runner=self.id)
            self._cancel[run_id] = threading.Event()
            self.store.save(record)
            self.store.prune()
        self._queue.put(run_id)
        return run_id

    def run(self, run_id: int) -> RunView:
        return self._record(run_id).view()

    def recent(self, job: str, limit: int = 10) -> list[RunView]:
        """The job's latest runs, newest first."""
        records = [self._fresh(r) for r in self.store.all() if r.job == job]
        return [r.view() for r in records[:limit]]

    def cancel(self, run_id: int) -> None:
        """A queued run ends CANCELED now; a running one at its next check or log line."""
        with self.store.lock:
            record = self._record(run_id)
            if record.state == "QUEUED":
                self._end(record, "CANCELED", "cancelled before it started")
                return
        if record.state == "RUNNING":
            self.store.cancel_path(run_id).touch()  # seen by whichever runner (or process) runs it
            if run_id in self._cancel:
                self._cancel[run_id].set()

    def log(self, run_id: int) -> str:
        self._record(run_id)
        try:
            return self.store.log_path(run_id).read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def close(self, timeout_s: float = 5.0) -> None:
        """Stop taking runs; the one running finishes (or is waited for up to `timeout_s`)."""
        self._closed = True
        self._queue.put(None)
        self._worker.join(timeout_s)

    # --- records --------------------------------------------------------------------------------
    def _record(self, run_id: int) -> Record:
        record = self.store.load(int(run_id))
        if record is None:
            raise JobError(f"there is no local run {run_id} (runs are kept in {self.store.folder})")
        return self._fresh(record)

    def _fresh(self, record: Record) -> Record:
        """The record, FAILED (and saved so) when the console that queued or ran it is gone."""
        if record.state == "TERMINATED":
            return record
        gone = not _alive(record.pid) or (record.pid == os.getpid() and record.runner not in _LIVE)
        if gone:
            self._end(record, "FAILED", STOPPED)
        return record

    def _sweep(self) -> None:
        for record in self.store.all():
            self._fresh(record)

    def _end(self, record: Record, result: str, message: str) -> None:
        record.state, record.result, record.message = "TERMINATED", result, message
        record.ended_at = time.time()
        self.store.save(record)
        self.store.cancel_path(record.run_id).unlink(missing_ok=True)
        self._cancel.pop(record.run_id, None)

    # --- the worker -----------------------------------------------------------------------------
    def _work(self) -> None:
        try:
            while (run_id := self._queue.get()) is not None and not self._closed:
                self._run_one(run_id)
        finally:
            _LIVE.discard(self.id)
            self._fail_queued()

    def _fail_queued(self) -> None:
        """Runs still queued when the runner stopped (closed, or its engine replaced) end FAILED."""
        for record in self.store.all():
            if record.runner == self.id and record.state == "QUEUED":
                self._end(record, "FAILED", STOPPED)

    def _run_one(self, run_id: int) -> None:
        with self.store.lock:
            record = self.store.load(run_id)
            if record is None or record.state != "QUEUED":  # cancelled while queued
                return
            record.state, record.started_at = "RUNNING", time.time()
            self.store.save(record)
        try:
            report = self._execute(record)
        except JobCancelled:
            self._finish(record, "CANCELED", "cancelled while running")
        except Exception as err:  # noqa: BLE001 - every failure becomes the run's message
            self._finish(record, "FAILED", f"{record.job} failed: {error_line(err)}")
        else:
            self._finish(record, "SUCCESS", report.line(record.job))

    def _finish(self, record: Record, result: str, message: str) -> None:
        self.store.append_log(record.run_id, message)
        with self.store.lock:
            self._end(record, result, message)

    def _execute(self, record: Record) -> JobReport:
        """Run the job on the console's connection; JobError when this process cannot write."""
        job = catalog.get(record.job)
        cancelled = self._cancelled(record.run_id)
        if cancelled():
            raise JobCancelled("the run was cancelled")
        engine = self._engine(job)
        context = JobContext(engine=engine, settings=self.settings, workspace=self.workspace,
                             log=self._logger(record, cancelled), cancelled=cancelled)
        try:
            return job.execute(context, record.parameters)
        finally:
            note = getattr(self.engine, "note_write", None)
            if note is not None:
                note()  # cached pages show what the job wrote (even a part of it)

    def _engine(self, job: Any) -> _JobEngine:
        from telemetry.engine.base import QueryError

        if getattr(self.engine, "name", "") != "embedded":
            if job.embedded_only:
                raise JobError(f"{job.name} runs on the embedded demo database only")
            return _JobEngine(self.engine)
        try:
            writable = self.engine.can_write()
        except QueryError as err:
            if err.kind != "connection":  # no database yet: the cause says to build the demo
                raise JobError(err.cause) from None
            writable = False
        if not writable:
            raise JobError(MUST_OWN.format(path=self.engine.path))
        return _JobEngine(self.engine)

    def _cancelled(self, run_id: int) -> Callable[[], bool]:
        event = self._cancel.setdefault(run_id, threading.Event())
        flag = self.store.cancel_path(run_id)
        return lambda: event.is_set() or flag.exists()

    def _logger(self, record: Record, cancelled: Callable[[], bool]) -> Callable[[str], None]:
        """The job's `log`: a line in the run's log and its current message; a cancel stops the job here."""
        def log(line: str) -> None:
            self.store.append_log(record.run_id, line)
            with self.store.lock:
                record.message = line
                self.store.save(record)
            if cancelled():
                raise JobCancelled("the run was cancelled")
        return log


_lock = threading.Lock()
_runner: LocalRunner | None = None


def local_runner() -> LocalRunner:
    """The process's runner, on the process settings and engine (a new one when `runtime.use`
    replaced them, e.g. in tests)."""
    global _runner
    settings, engine = runtime.settings(), runtime.engine()
    with _lock:
        if _runner is None or _runner.engine is not engine or _runner.settings is not settings:
            old, _runner = _runner, LocalRunner(settings, engine)
            if old is not None:
                old.close(timeout_s=0)
        return _runner
