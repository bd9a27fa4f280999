"""`python -m telemetry traces {load,receive}`: bring your own OpenTelemetry traces to the console."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from telemetry import runtime
from telemetry.config import ConfigError

_RECEIVE_HELP = """\
An OTLP/HTTP receiver: point any OpenTelemetry SDK's exporter at
http://127.0.0.1:PORT/v1/traces (protobuf or JSON, gzip accepted); spans are written into the embedded
span table and appear in the console while it runs. Binds 127.0.0.1 (this machine only) unless --host
says otherwise; the receiver has no authentication, so --host 0.0.0.0 lets anyone who can reach the
port write spans. Stop it with Ctrl-C."""


def add_parser(subparsers) -> None:
    """Register `traces load` and `traces receive` on the CLI's subparsers."""
    traces = subparsers.add_parser("traces", help="load OTLP trace files, or receive OTLP/HTTP, into the "
                                   "embedded span table")
    sub = traces.add_subparsers(dest="traces_command", required=True)
    load = sub.add_parser("load", help="load OTLP trace exports (JSON lines as the Collector's file exporter "
                          "writes them, pretty-printed JSON, or protobuf .pb)",
                          description="Reloading a file adds no duplicate spans. Works while the console runs.")
    load.add_argument("files", nargs="+", metavar="FILE", help="OTLP/JSON (.json, .jsonl) or protobuf (.pb) files")
    load.add_argument("--format", choices=("auto", "json", "proto"), default="auto",
                      help="file format (default: by extension, else by content)")
    receive = sub.add_parser("receive", help="run a local OTLP/HTTP receiver (POST /v1/traces)",
                             description=_RECEIVE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    receive.add_argument("--host", default="127.0.0.1",
                         help="address to bind (default 127.0.0.1; 0.0.0.0 exposes it to the network, unauthenticated)")
    receive.add_argument("--port", type=int, default=4318, help="port (default 4318, OTLP/HTTP's)")


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    """Run `traces load` or `traces receive`; the process exit code."""
    try:
        settings = runtime.settings()
    except ConfigError as err:
        _err(f"configuration problem: {err}")
        return 2
    if settings.engine != "embedded":
        _err(f"note: the console is configured for a SQL warehouse; spans go to the embedded database "
             f"{settings.embedded_path}, which it does not read")
    if args.traces_command == "load":
        from telemetry.traces.load import load_files

        return load_files(settings, [Path(f) for f in args.files], args.format,
                          out=lambda line: print(line, flush=True), err=_err)
    return _receive(settings, args.host, args.port)


def _receive(settings, host: str, port: int) -> int:
    from telemetry.traces.receiver import Receiver

    if not 0 < port < 65536:
        _err(f"--port {port}: a port is 1-65535")
        return 2
    try:
        receiver = Receiver(settings, host, port, log=_err)
    except OSError as err:
        _err(f"cannot listen on {host}:{port}: {err.strerror or err}")
        return 1
    bound_host, bound_port = receiver.address
    if host not in ("127.0.0.1", "localhost", "::1"):
        _err(f"warning: listening on {host}, not only this machine: anyone who can reach port {bound_port} "
             "can write spans (the receiver has no authentication)")
    _err(f"Receiving OTLP/HTTP traces on http://{bound_host}:{bound_port}/v1/traces into "
         f"{settings.embedded_path} ({settings.table('spans')}); Ctrl-C stops.")
    receiver.serve()
    _err("Receiver stopped; every acknowledged batch is written.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m telemetry.traces.cli load|receive …` (the same as `python -m telemetry traces …`)."""
    parser = argparse.ArgumentParser(prog="python -m telemetry")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(["traces", *(sys.argv[1:] if argv is None else argv)]))


if __name__ == "__main__":
    sys.exit(main())
