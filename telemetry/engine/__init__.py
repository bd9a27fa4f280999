"""The one query boundary: an Engine runs Databricks SQL and returns a small Result."""

from telemetry.engine.base import Engine, QueryError, Result

__all__ = ["Engine", "QueryError", "Result", "get_engine"]


def get_engine(settings=None) -> Engine:
    """The engine the settings ask for (embedded DuckDB unless a warehouse is configured)."""
    from telemetry.config import load_settings

    settings = settings or load_settings()
    if settings.engine == "warehouse":
        from telemetry.engine.warehouse import WarehouseEngine

        return WarehouseEngine.from_settings(settings)
    from telemetry.engine.embedded import EmbeddedEngine

    return EmbeddedEngine.from_settings(settings)
