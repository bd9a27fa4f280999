"""A KPI: a value, the previous period's value and how to show it (shared by every area's KPI row)."""

from __future__ import annotations

from dataclasses import dataclass

from telemetry.formatting import number


@dataclass(frozen=True)
class Kpi:
    label: str
    value: float | None
    previous: float | None = None
    fmt: str = "int"  # "int", "float", "pct", "usd", "minutes"
    help: str = ""
    display: str | None = None  # shown instead of the formatted value (e.g. "14 / 15")
    higher_is_better: bool = True  # False for failures, latency, cost: a rise shows red

    @property
    def delta(self) -> float | None:
        """Change against the previous period, as a share of the previous value."""
        if self.value is None or self.previous in (None, 0) or self.value != self.value:
            return None
        return (self.value - self.previous) / self.previous

    @property
    def text(self) -> str:
        return self.display if self.display is not None else number(self.value, self.fmt)
