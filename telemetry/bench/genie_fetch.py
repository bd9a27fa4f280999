"""genie-messages throughput against the fake Databricks server: messages per second.

`python -m telemetry.bench.genie_fetch [--messages 400] [--latency-ms 50] [--concurrency 8]
[--rate-limit-every 50] [--retry-after 1]` (run from the repository root: it starts the test suite's
fake workspace, tests/fakes). It queues `messages` Genie messages in a temporary DuckDB, answers
each get-message after `latency-ms` (every `rate-limit-every`th call answers 429 with
`Retry-After: retry-after` instead, which the SDK waits out before retrying), runs the real job
through the real databricks-sdk, and prints the rate. Target: ≥ 40 messages/s at concurrency 8
with 50 ms per call and some 429s.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

TARGET_PER_S = 40.0


@dataclass(frozen=True)
class FetchBench:
    messages: int
    written: int
    seconds: float
    calls: int
    throttled: int
    concurrency: int
    latency_ms: float

    @property
    def per_second(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        verdict = "met" if self.per_second >= TARGET_PER_S and self.written == self.messages else "NOT met"
        return (f"genie-messages: {self.written:,}/{self.messages:,} messages in {self.seconds:.2f} s = "
                f"{self.per_second:.1f} messages/s (concurrency {self.concurrency}, {self.latency_ms:g} ms per "
                f"call; {self.calls:,} calls, {self.throttled:,} × 429 honoured); target ≥ {TARGET_PER_S:g}/s: "
                f"{verdict}")


def measure(messages: int = 400, latency_ms: float = 50, concurrency: int = 8, rate_limit_every: int = 50,
            retry_after_s: int = 1) -> FetchBench:
    """Queue `messages` messages, run genie-messages once against the fake server, time it."""
    from telemetry.config import load_settings
    from telemetry.engine.embedded import EmbeddedEngine
    from telemetry.genie import messages_job
    from telemetry.jobs import tables
    from telemetry.jobs.registry import JobContext
    from tests.fakes.genie_routes import FakeGenie
    from tests.fakes.server import FakeDatabricks

    settings = load_settings({})
    with tempfile.TemporaryDirectory() as folder, FakeDatabricks(latency_s=latency_ms / 1000) as fake:
        genie = FakeGenie(rate_limit_every=rate_limit_every, retry_after_s=retry_after_s).install(fake)
        space = genie.add_space("Benchmark")["space_id"]
        now = datetime.now(UTC).replace(tzinfo=None)
        queued = [genie.queue_row(genie.add_message(space), event_time=now, discovered_at=now, last_attempt_at=None)
                  for _ in range(messages)]
        engine = EmbeddedEngine(Path(folder) / "bench.duckdb", read_only=False, row_cap=max(messages, 1))
        try:
            tables.ensure_tables(engine, settings, *messages_job.TABLES)
            tables.merge_rows(engine, settings, "genie_jobs/merge_queue_rows", queued)
            client = fake.client(retry_timeout_s=120, http_timeout_s=30)
            context = JobContext(engine=engine, settings=settings, workspace=lambda: client, log=lambda _: None)
            started = time.perf_counter()
            report = messages_job.JOB.execute(context, {"concurrency": concurrency})
            seconds = time.perf_counter() - started
        finally:
            engine.close()
        return FetchBench(messages, report.written, seconds, genie.message_calls, genie.throttled, concurrency,
                          latency_ms)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m telemetry.bench.genie_fetch", description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--concurrency", type=int, default=8, choices=range(1, 33), metavar="1..32")
    parser.add_argument("--rate-limit-every", type=int, default=50, help="every Nth call answers 429 (0: never)")
    parser.add_argument("--retry-after", type=int, default=1, help="the 429s' Retry-After, seconds")
    args = parser.parse_args(argv)
    if args.messages < 1 or args.latency_ms < 0 or args.rate_limit_every < 0 or args.retry_after < 0:
        parser.error("--messages must be at least 1; --latency-ms, --rate-limit-every, --retry-after not negative")
    logging.getLogger("databricks.sdk").setLevel(logging.ERROR)  # the fake has no host metadata: say nothing
    result = measure(args.messages, args.latency_ms, args.concurrency, args.rate_limit_every, args.retry_after)
    print(result.line())
    return 0 if result.written == result.messages else 1


if __name__ == "__main__":
    raise SystemExit(main())
