"""The code base stays ruff-clean (part of the README's test command, so CI enforces it)."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    proc = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pages_hold_no_sql():
    for page in (ROOT / "pages").glob("*.py"):
        text = page.read_text().upper()
        for keyword in ("SELECT ", " FROM SYSTEM.", "GROUP BY"):
            assert keyword not in text, f"{page.name} contains SQL ({keyword.strip()}): use telemetry/sql"


def test_every_sql_file_opens_with_what_it_returns():
    for path in (ROOT / "telemetry" / "sql").rglob("*.sql"):
        first = path.read_text().splitlines()[0]
        opening = "-- Fragment" if path.name.startswith("_") else "-- Returns"
        assert first.startswith(opening), f"{path} must open with '{opening} …'"
