"""The build window and the sampling of *when* things happen.

Activity is drawn in each actor's local time (weekday ≫ weekend, business-hour peaks) and then
shifted to UTC by the workspace offset, so the console's hour-of-day charts show the offsets of
the regions. Events outside [start, now] are dropped, never clamped, so no timestamp is in the
future and none piles up at the window's edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

US = 1_000_000
HOUR = 3600 * US
DAY = 24 * HOUR

# Relative activity by local weekday (Mon..Sun) and by local hour (0..23).
WEEKDAY_FACTOR = np.array([1.0, 1.06, 1.05, 1.0, 0.82, 0.13, 0.09])
HOUR_FACTOR = np.array(
    [
        0.02,
        0.015,
        0.01,
        0.01,
        0.015,
        0.03,
        0.07,
        0.18,
        0.5,
        0.88,
        1.0,
        0.97,
        0.68,
        0.82,
        0.98,
        0.94,
        0.8,
        0.55,
        0.32,
        0.22,
        0.17,
        0.12,
        0.07,
        0.04,
    ]
)
HOUR_P = HOUR_FACTOR / HOUR_FACTOR.sum()


@dataclass(frozen=True)
class Window:
    """[start, end] in UTC microseconds, with a grid of whole UTC days that covers it with margin."""

    start_us: int
    end_us: int
    days: int
    grid0_us: int  # UTC midnight one day before the start day
    n_grid: int  # number of grid days (covers start-1 .. end+1)

    @classmethod
    def ending(cls, now: datetime, days: int) -> Window:
        """The window of `days` days ending at `now` (naive values are taken as UTC)."""
        if now.tzinfo is not None:
            now = now.astimezone(UTC).replace(tzinfo=None)
        end_us = int((now - datetime(1970, 1, 1)).total_seconds()) * US
        start_us = end_us - days * DAY
        grid0 = (start_us // DAY - 1) * DAY
        n_grid = int((end_us - grid0) // DAY) + 2
        return cls(start_us, end_us, days, grid0, n_grid)

    @property
    def start(self) -> datetime:
        """Window start as a naive UTC datetime."""
        return datetime(1970, 1, 1) + timedelta(microseconds=self.start_us)

    @property
    def end(self) -> datetime:
        """Window end (= now) as a naive UTC datetime."""
        return datetime(1970, 1, 1) + timedelta(microseconds=self.end_us)

    def weekday(self, grid_day: np.ndarray) -> np.ndarray:
        """Monday=0 weekday of grid days (1970-01-01 was a Thursday)."""
        return ((self.grid0_us // DAY + grid_day) + 3) % 7

    def day_p(self, extra: np.ndarray | None = None) -> np.ndarray:
        """Probability of each grid day, from the weekday factor (times an optional per-day factor)."""
        w = WEEKDAY_FACTOR[self.weekday(np.arange(self.n_grid))]
        if extra is not None:
            w = w * extra
        return w / w.sum()

    def inside(self, us: np.ndarray) -> np.ndarray:
        """Mask of timestamps within [start, end]."""
        return (us >= self.start_us) & (us <= self.end_us)

    def fraction(self, us: np.ndarray) -> np.ndarray:
        """Position of timestamps in the window, 0 at start and 1 at now."""
        return (us - self.start_us) / max(self.end_us - self.start_us, 1)


def local_times(
    rng: np.random.Generator,
    window: Window,
    n: int,
    tz_hours: np.ndarray,
    day_p: np.ndarray | None = None,
    hour_p: np.ndarray = HOUR_P,
) -> np.ndarray:
    """n UTC timestamps (µs): a local day by weekday weight, a local hour by business profile."""
    day = rng.choice(window.n_grid, size=n, p=window.day_p() if day_p is None else day_p)
    hour = rng.choice(24, size=n, p=hour_p)
    within = rng.integers(0, HOUR, size=n)
    local = window.grid0_us + day * DAY + hour * HOUR + within
    return local - (np.asarray(tz_hours) * HOUR).astype(np.int64)


def sample_events(
    rng: np.random.Generator,
    window: Window,
    expected: float,
    weights: np.ndarray,
    tz_hours: np.ndarray,
    active_from: np.ndarray,
    active_to: np.ndarray,
    trend: np.ndarray | None = None,
    day_p: np.ndarray | None = None,
    hour_p: np.ndarray = HOUR_P,
) -> tuple[np.ndarray, np.ndarray]:
    """Events of a population: (entity index, UTC µs), sorted by time.

    `weights` give each entity's share (heavy tailed upstream); entities only act while active
    (joins and churn); `trend` is a per-entity log-slope over the window (growing or dying apps).
    The expected count is reached before thinning, so churned and trending entities lose events.
    """
    n = int(rng.poisson(max(expected, 0.0)))
    if n == 0 or weights.sum() <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    who = rng.choice(len(weights), size=n, p=weights / weights.sum())
    ts = local_times(rng, window, n, tz_hours[who], day_p, hour_p)
    keep = window.inside(ts) & (ts >= active_from[who]) & (ts < active_to[who])
    if trend is not None:
        slope = trend[who]
        rate = np.exp(slope * (window.fraction(ts) - 0.5)) / np.exp(np.abs(slope) / 2)
        keep &= rng.random(n) < rate
    order = np.argsort(ts[keep], kind="stable")
    return who[keep][order], ts[keep][order]


def lognormal_weights(rng: np.random.Generator, n: int, sigma: float) -> np.ndarray:
    """Heavy-tailed positive weights with mean ~1 (a few actors do most of the work)."""
    return rng.lognormal(-sigma * sigma / 2, sigma, size=n)


def heavy_durations_ms(
    rng: np.random.Generator, n: int, median_ms: float, sigma: float, cap_ms: float
) -> np.ndarray:
    """Lognormal durations in ms, capped (query and span latencies: most fast, a long tail)."""
    return np.minimum(rng.lognormal(np.log(median_ms), sigma, size=n), cap_ms).astype(np.int64) + 1


def skewed_index(rng: np.random.Generator, n: int, size: int, power: float = 3.0) -> np.ndarray:
    """Skewed choice among `size` items, the first ones most often (a few tables are touched most).

    `size * u**power` for uniform u: much cheaper than numpy's zipf sampler for millions of draws.
    """
    return np.minimum((size * rng.random(n) ** power).astype(np.int64), size - 1)
