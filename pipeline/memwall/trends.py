"""Growth-rate fits: a least-squares line of log10(value) against fractional year.

A fit states growth the way the paper does, as a factor per 2 years and per 20 years, and as
a doubling time. Its uncertainty is a 95% percentile bootstrap over points: the points are
resampled with replacement (fixed seed, at least 1,000 resamples), the line is refitted on each
resample, and the 2.5th and 97.5th percentiles of the slope give the interval. The interval says
how much the rate depends on which devices or models happen to be in the sample; it is not a
forecast interval.
"""

from __future__ import annotations

import calendar
import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date
from itertools import pairwise

import numpy as np

INTERVAL_METHOD = "percentile bootstrap over points"
MIN_RESAMPLES = 1000
MIN_POINTS = 3
LOG10_2 = math.log10(2.0)


@dataclass(frozen=True)
class Fit:
    """One fitted trend. Slopes are in log10 units per year; factors are growth multiples."""

    n: int
    start: float
    end: float
    slope_log10_per_year: float
    intercept_log10: float
    per_2_years: float
    per_20_years: float
    doubling_years: float
    per_2_years_low: float
    per_2_years_high: float
    doubling_years_low: float
    doubling_years_high: float
    level: float
    resamples: int
    seed: int
    interval: str = INTERVAL_METHOD

    def as_dict(self) -> dict:
        """The fit as a plain dict (for JSON)."""
        return asdict(self)


def fractional_year(day: date) -> float:
    """The date as a year with a fraction: 1 January is .0, 2 July of a common year is ~.5."""
    days = 366 if calendar.isleap(day.year) else 365
    return day.year + (day.timetuple().tm_yday - 1) / days


def factor(slope_log10_per_year: float, years: float) -> float:
    """The growth multiple over `years` at a slope in log10 units per year."""
    return float(10.0 ** (slope_log10_per_year * years))


def doubling_time(slope_log10_per_year: float) -> float:
    """Years to double at that slope (negative when the series shrinks, inf when flat)."""
    if slope_log10_per_year == 0:
        return math.inf
    return LOG10_2 / slope_log10_per_year


# Bootstrap indices drawn per block: 4M int64 (32 MB). Each block is then fitted a few rows at
# a time (about FIT_CELLS values per row group), in buffers reused across groups, so the
# gathered years and values stay in the CPU's cache instead of streaming 32 MB arrays.
BLOCK_CELLS = 4_000_000
FIT_CELLS = 1 << 15
# From this many drawn indices (resamples x points) a bootstrap is fitted in threads: numpy's
# gathers and sums release the GIL. 100,000 points x 2,000 resamples: 2.7 s -> 1.8 s on 2 cores.
THREADED_CELLS = 1 << 24


def _slopes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares slopes of each row of y on the matching row of x (rows are samples)."""
    xc = x - x.mean(axis=-1, keepdims=True)
    yc = y - y.mean(axis=-1, keepdims=True)
    sxx = (xc * xc).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (xc * yc).sum(axis=-1) / sxx


def _slopes_inplace(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """`_slopes(x, y)`, overwriting x and y: the same operations in the same order (so the
    same bits), without the temporary arrays."""
    x -= x.mean(axis=-1, keepdims=True)
    y -= y.mean(axis=-1, keepdims=True)
    y *= x
    x *= x
    with np.errstate(invalid="ignore", divide="ignore"):
        return y.sum(axis=-1) / x.sum(axis=-1)


def _fit_rows(
    points: tuple[np.ndarray, np.ndarray],
    index: np.ndarray,
    out: np.ndarray,
    buffers: tuple[np.ndarray, np.ndarray],
) -> None:
    """The slope of each resample (a row of point indices) of `index` into `out`, as many rows
    at a time as `buffers` hold."""
    (years, log_values), (x_buffer, y_buffer) = points, buffers
    group = len(x_buffer)
    for first in range(0, len(index), group):
        part = index[first : first + group]
        x = np.take(years, part, out=x_buffer[: len(part)])
        y = np.take(log_values, part, out=y_buffer[: len(part)])
        out[first : first + len(part)] = _slopes_inplace(x, y)


def _default_threads(cells: int) -> int:
    """Threads for a bootstrap of `cells` drawn indices: one for a small series (the paper's
    dozens of points), else one per core (up to 4)."""
    return 1 if cells < THREADED_CELLS else max(1, min(os.cpu_count() or 1, 4))


def bootstrap_slopes(
    years: np.ndarray,
    log_values: np.ndarray,
    *,
    resamples: int,
    seed: int,
    threads: int | None = None,
) -> np.ndarray:
    """Slopes refitted on `resamples` resamples of the points (with replacement).

    The generator is numpy's default (PCG64) seeded with `seed`, so the same inputs and seed
    give the same slopes. Resamples whose years are all equal have no slope and are dropped.
    Resamples are drawn a block at a time (at most `BLOCK_CELLS` indices each), so memory
    stays bounded however many points a series has; the draws are the same numbers, in the
    same order, as one draw of every resample at once. Each block is fitted `FIT_CELLS`
    values at a time; the slopes are those of `_slopes` on the whole draw, bit for bit.

    A large series is fitted by `threads` threads (default: one per core for at least
    `THREADED_CELLS` indices) while the next block is drawn; each resample's slope is the
    same operations on the same numbers whichever thread fits it, so the same bits.
    """
    years = np.ascontiguousarray(years, dtype=float)
    log_values = np.ascontiguousarray(log_values, dtype=float)
    rng = np.random.default_rng(seed)
    n = len(years)
    rows = max(1, BLOCK_CELLS // max(n, 1))
    group = min(rows, max(1, FIT_CELLS // max(n, 1)))
    threads = threads or _default_threads(n * resamples)
    buffers = [(np.empty((group, n)), np.empty((group, n))) for _ in range(threads)]
    slopes = np.empty(resamples)
    with ThreadPoolExecutor(threads) as pool:
        fitting: list = []
        for start in range(0, resamples, rows):
            index = rng.integers(0, n, size=(min(rows, resamples - start), n))
            for job in fitting:  # the previous block, fitted while this one was drawn
                job.result()
            cuts = [len(index) * k // threads for k in range(threads + 1)]
            fitting = [
                pool.submit(
                    _fit_rows,
                    (years, log_values),
                    index[low:high],
                    slopes[start + low : start + high],
                    buffers[k],
                )
                for k, (low, high) in enumerate(pairwise(cuts))
                if high > low
            ]
        for job in fitting:
            job.result()
    return slopes[np.isfinite(slopes)]


def fit_trend(
    years: Sequence[float],
    values: Sequence[float],
    *,
    resamples: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> Fit:
    """Fit log10(value) = a + b * year by least squares, with a percentile bootstrap interval.

    `years` are fractional years, `values` positive numbers. The interval is the central
    `level` (default 95%) percentile interval of the slope over `resamples` bootstrap
    resamples of the points, drawn with numpy's default generator seeded with `seed`; the same
    inputs and seed always give the same interval. Raises ValueError for fewer than 3 points,
    a non-positive value, fewer than 1,000 resamples, or years that are all equal.
    """
    x = np.asarray(years, dtype=float)
    v = np.asarray(values, dtype=float)
    if x.shape != v.shape or x.ndim != 1:
        raise ValueError("years and values must be two sequences of the same length")
    if len(x) < MIN_POINTS:
        raise ValueError(f"a trend needs at least {MIN_POINTS} points, got {len(x)}")
    if not np.all(np.isfinite(v)) or np.any(v <= 0) or not np.all(np.isfinite(x)):
        raise ValueError("values must be finite and positive, years finite")
    if resamples < MIN_RESAMPLES:
        raise ValueError(f"at least {MIN_RESAMPLES} bootstrap resamples, got {resamples}")
    if np.ptp(x) == 0:
        raise ValueError("all points have the same year: no slope")
    y = np.log10(v)
    slope = float(_slopes(x, y))
    intercept = float(y.mean() - slope * x.mean())
    boot = bootstrap_slopes(x, y, resamples=resamples, seed=seed)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = (float(s) for s in np.percentile(boot, [tail, 100.0 - tail]))
    return Fit(
        n=len(x),
        start=float(x.min()),
        end=float(x.max()),
        slope_log10_per_year=slope,
        intercept_log10=intercept,
        per_2_years=factor(slope, 2),
        per_20_years=factor(slope, 20),
        doubling_years=doubling_time(slope),
        per_2_years_low=factor(low, 2),
        per_2_years_high=factor(high, 2),
        # A steeper slope doubles sooner: the high slope gives the low doubling time.
        doubling_years_low=doubling_time(high),
        doubling_years_high=doubling_time(low),
        level=level,
        resamples=resamples,
        seed=seed,
    )


def format_factor(value: float) -> str:
    """A growth factor for people: 3 significant digits, no exponent (3.03, 112, 8,640)."""
    return f"{value:,.0f}" if value >= 1000 else f"{value:.3g}"


def fitted_values(fit: Fit, years: Sequence[float]) -> np.ndarray:
    """The fitted line's values (not logs) at `years`."""
    x = np.asarray(years, dtype=float)
    return 10.0 ** (fit.intercept_log10 + fit.slope_log10_per_year * x)
