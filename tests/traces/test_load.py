"""`traces load`: real SDK spans in every OTLP file form into the embedded span table."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import duckdb
import pytest

from telemetry import runtime
from telemetry.engine.dialect import mirror_table_name
from telemetry.traces.cli import add_parser, run
from tests.traces.otel_fixtures import assert_span_matches, sdk_spans, stored_spans, write_files

TABLE = mirror_table_name("main.ops_console.apps_otel_spans")


def traces_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    return run(parser.parse_args(["traces", *argv]))


@pytest.fixture(scope="module")
def spans():
    return sdk_spans()


@pytest.fixture()
def db(tmp_path, monkeypatch):
    path = tmp_path / "traces.duckdb"
    monkeypatch.setenv("TELEMETRY_EMBEDDED_PATH", str(path))
    runtime.use(None)
    return path


@pytest.fixture()
def files(tmp_path, spans):
    return write_files(tmp_path, spans)


@pytest.mark.parametrize("form", ["pb", "framed", "json", "names", "pretty"])
def test_every_file_form_loads_every_span_intact(db, files, spans, form, capsys):
    assert traces_cli("load", str(files[form])) == 0
    out = capsys.readouterr().out
    assert f"{files[form].name}: 4 spans read, 4 added, 0 duplicates, 0 rejected" in out
    stored = stored_spans(db, TABLE)
    assert len(stored) == len(spans)
    for span in spans:
        assert_span_matches(stored[f"{span.get_span_context().span_id:016x}"], span)


def test_a_reload_adds_no_duplicates(db, files, capsys):
    assert traces_cli("load", str(files["json"]), str(files["pb"])) == 0
    out = capsys.readouterr().out.splitlines()
    assert "4 added, 0 duplicates" in out[0] and "0 added, 4 duplicates" in out[1]
    assert len(stored_spans(db, TABLE)) == 4


def test_a_malformed_line_is_reported_and_the_rest_loads(db, files, capsys):
    assert traces_cli("load", str(files["malformed"])) == 0
    captured = capsys.readouterr()
    assert f"{files['malformed'].name}:3: malformed JSON" in captured.err
    assert "4 spans read" not in captured.out and "3 spans read, 3 added" in captured.out
    assert "1 malformed skipped" in captured.out
    assert len(stored_spans(db, TABLE)) == 3


def test_missing_and_unreadable_files_have_their_exit_codes(db, tmp_path, files, capsys):
    assert traces_cli("load", str(tmp_path / "nope.json"), str(files["json"])) == 2
    assert "nope.json: no such file" in capsys.readouterr().err
    garbage = tmp_path / "garbage.json"
    garbage.write_text("not json\nat all\n")
    assert traces_cli("load", str(garbage)) == 1
    err = capsys.readouterr().err
    assert "garbage.json:1: malformed JSON" in err and "no span could be loaded" in err


def test_a_failed_write_is_reported_not_raised(db, files, capsys):
    db.with_name(db.name + ".inbox").write_text("a file where the inbox folder should be")
    assert traces_cli("load", str(files["json"])) == 1
    assert "NOT WRITTEN" in capsys.readouterr().out


_CONSOLE = """
import sys, time, duckdb
from telemetry.engine import inbox
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
while True:
    inbox.drain(con, sys.argv[1])
    time.sleep(0.2)
"""


def test_while_a_console_holds_the_database_the_spans_are_handed_to_it(db, files, capsys):
    console = subprocess.Popen([sys.executable, "-c", _CONSOLE, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert console.stdout.readline().strip() == "holding"
        started = time.perf_counter()
        assert traces_cli("load", str(files["pb"])) == 0
        out = capsys.readouterr().out
        assert "4 handed to the running console" in out and "now visible" in out, out
        assert time.perf_counter() - started < 10
    finally:
        console.kill()
        console.wait()
    assert len(stored_spans(db, TABLE)) == 4


def test_loading_into_the_demo_database_adds_to_its_span_table(writable_demo, files, spans, capsys):
    with duckdb.connect(str(writable_demo), read_only=True) as con:
        before = con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
    assert traces_cli("load", str(files["json"])) == 0
    stored = stored_spans(writable_demo, TABLE)
    assert len(stored) == before + len(spans)
    for span in spans:
        assert_span_matches(stored[f"{span.get_span_context().span_id:016x}"], span)
