"""Trace ingest throughput: the OTLP decoders, `traces load` and `traces receive`, end to end.

`run(spans)` makes synthetic OTLP batches of 512 typical spans (otlp_sample: an agent request of
eight spans, ~20 attributes each, ~0.9 KB in protobuf, ~1.8 KB in OTLP/JSON), then measures, each
from a cold attribute cache and into its own fresh embedded DuckDB file in a temp dir:
- each decoder alone (protobuf bodies, OTLP/JSON lines) in spans/s;
- the loader: a length-delimited .pb file and a JSON-lines file → the span table;
- the receiver: real OTLP/HTTP POSTs of the protobuf batches from 2 client threads, keep-alive.
Rates are wall-clock; the machine's load average is printed with them (2 shared cores: other
processes change the numbers).
"""

from __future__ import annotations

import http.client
import json
import os
import tempfile
import threading
import time
from pathlib import Path

from telemetry.config import load_settings
from telemetry.traces import otlp_json, otlp_lite, otlp_proto
from telemetry.traces.load import load_file
from telemetry.traces.otlp_sample import sample_request, to_otlp_json
from telemetry.traces.receiver import Receiver

BATCH = 512
CLIENTS = 2
TARGET_PER_S = 20_000


def _batches(spans: int) -> list:
    return [sample_request(BATCH, seed=i, start_ns=1_750_000_000_000_000_000 + i * 10**12)
            for i in range(max(1, spans // BATCH))]


def _rate(label: str, count: int, seconds: float) -> str:
    rate = count / seconds if seconds else float("inf")
    verdict = "" if rate >= TARGET_PER_S else f"  (below the {TARGET_PER_S:,}/s target)"
    return f"{label:<44} {rate:>10,.0f} spans/s  ({count:,} spans in {seconds:.2f} s){verdict}"


def _decoders(pb: list[bytes], js: list[str], count: int) -> list[str]:
    otlp_lite.clear_cache()
    started = time.perf_counter()
    stored = sum(otlp_proto.decode(body).table.num_rows for body in pb)
    lines = [_rate("decode protobuf (512-span bodies)", stored, time.perf_counter() - started)]
    started = time.perf_counter()
    stored = sum(otlp_json.decode(body).table.num_rows for body in js)
    lines.append(_rate("decode OTLP/JSON (512-span lines)", stored, time.perf_counter() - started))
    assert stored == count
    return lines


def _loader(folder: Path, pb: list[bytes], js: list[str]) -> list[str]:
    framed, jsonl = folder / "spans.pb", folder / "spans.jsonl"
    framed.write_bytes(b"".join(len(body).to_bytes(4, "big") + body for body in pb))
    jsonl.write_text("\n".join(js) + "\n")
    lines = []
    for label, path in (("traces load spans.pb (length-delimited)", framed), ("traces load spans.jsonl", jsonl)):
        otlp_lite.clear_cache()
        settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(folder / f"{path.suffix[1:]}.duckdb")})
        report = load_file(settings, path)
        assert report.added == report.spans and not report.errors, report.line()
        lines.append(_rate(label, report.added, report.seconds)
                     + f"  [decode {report.seconds - report.write_seconds:.1f} s, write {report.write_seconds:.1f} s]")
    return lines


def _post_all(address: tuple[str, int], bodies: list[bytes]) -> None:
    con = http.client.HTTPConnection(*address, timeout=60)
    try:
        for body in bodies:
            con.request("POST", "/v1/traces", body=body, headers={"Content-Type": "application/x-protobuf"})
            response = con.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"the receiver answered {response.status}")
    finally:
        con.close()


def _receiver(folder: Path, pb: list[bytes], count: int) -> list[str]:
    otlp_lite.clear_cache()
    settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(folder / "receiver.duckdb")})
    receiver = Receiver(settings, "127.0.0.1", 0, log=lambda line: None)
    server = threading.Thread(target=receiver.serve)
    server.start()
    try:
        clients = [threading.Thread(target=_post_all, args=(receiver.address, pb[i::CLIENTS]))
                   for i in range(CLIENTS)]
        started = time.perf_counter()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        acked = time.perf_counter() - started
        receiver.wait_applied(timeout_s=600)
        visible = time.perf_counter() - started
    finally:
        receiver.stop()
        server.join()
    return [_rate(f"traces receive, acknowledged ({CLIENTS} clients)", count, acked),
            _rate("traces receive, in the table", count, visible)]


def run(spans: int = 100_000) -> list[str]:
    """Measure and print every line; returns them."""
    made = time.perf_counter()
    batches = _batches(spans)
    pb = [batch.SerializeToString() for batch in batches]
    js = [json.dumps(to_otlp_json(batch), separators=(",", ":")) for batch in batches]
    count = sum(len(ss.spans) for batch in batches for rs in batch.resource_spans for ss in rs.scope_spans)
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    lines = [f"{count:,} spans in {len(pb)} batches of {BATCH} (made in {time.perf_counter() - made:.1f} s); "
             f"average span {sum(map(len, pb)) / count:,.0f} bytes protobuf, "
             f"{sum(map(len, js)) / count:,.0f} bytes OTLP/JSON; load average {load} on {os.cpu_count()} cores"]
    print(lines[0], flush=True)
    with tempfile.TemporaryDirectory(prefix="traces-ingest-") as tmp:
        for measure in (lambda: _decoders(pb, js, count), lambda: _loader(Path(tmp), pb, js),
                        lambda: _receiver(Path(tmp), pb, count)):
            for line in measure():
                print(line, flush=True)
                lines.append(line)
    return lines


if __name__ == "__main__":
    run()
