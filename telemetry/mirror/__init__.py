"""The embedded mirror: Databricks source tables in DuckDB, filled by a deterministic generator.

`build_demo` writes every table of `schema.DATABRICKS_SCHEMAS` for a synthetic organisation;
`demo_is_current` tells whether an existing file was made by this generator version.
"""

from telemetry.mirror.build import GENERATOR_VERSION, BuildReport, build_demo, default_now, demo_is_current

__all__ = ["GENERATOR_VERSION", "BuildReport", "build_demo", "default_now", "demo_is_current"]
