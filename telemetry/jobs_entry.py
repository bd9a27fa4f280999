"""Entry point for Databricks job tasks (`spark_python_task`): `python jobs_entry.py rollup --days 3`.

Job tasks run a file, not a module; this puts the bundle's source folder on the path and hands
the arguments to the same CLI people use locally.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telemetry.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
