"""Entry point for Databricks job tasks (`spark_python_task`): `python jobs_entry.py jobs run NAME --param k=v`.

Job tasks run a file, not a module; this puts the bundle's source folder on the path and hands
the arguments to the same CLI people use locally (databricks.yml passes `--warehouse-id`). A job
that fails exits non-zero, so the task (and the tasks that depend on it) show as failed; success
returns normally rather than raising SystemExit(0), which some task runners report as an error.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telemetry.__main__ import main  # noqa: E402

if __name__ == "__main__":
    code = main(sys.argv[1:])
    if code:
        sys.exit(code)
