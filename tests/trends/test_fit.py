"""The log-linear fit against a hand computation, and the bootstrap's determinism."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from memwall.trends import fit_trend, fractional_year

# Three points: log10 values 0, 1, 3 at years 2000, 2002, 2004.
YEARS = [2000.0, 2002.0, 2004.0]
VALUES = [1.0, 10.0, 1000.0]


def hand_slope(xs, ys):
    """Least-squares slope written out: sum((x - mean x)(y - mean y)) / sum((x - mean x)^2)."""
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def test_fit_matches_the_slope_computed_by_hand():
    logs = [0.0, 1.0, 3.0]
    slope = hand_slope(YEARS, logs)  # (-2)(-4/3) + 0 + 2(5/3) = 6; / 8 = 0.75
    assert slope == pytest.approx(0.75)
    fit = fit_trend(YEARS, VALUES, resamples=1000, seed=1)
    assert fit.slope_log10_per_year == pytest.approx(slope)
    assert fit.per_2_years == pytest.approx(10**1.5)  # 31.62x every 2 years
    assert fit.per_20_years == pytest.approx(10**15)
    assert fit.doubling_years == pytest.approx(math.log10(2) / 0.75)  # 0.401 years
    assert fit.intercept_log10 == pytest.approx(4 / 3 - 0.75 * 2002)
    assert (fit.n, fit.start, fit.end) == (3, 2000.0, 2004.0)


def test_a_series_that_triples_every_two_years_reads_3x_per_2_years():
    years = [2000 + i for i in range(11)]
    values = [3 ** (i / 2) for i in range(11)]
    fit = fit_trend(years, values, resamples=1000, seed=0)
    assert fit.per_2_years == pytest.approx(3.0)
    # Points exactly on a line: every resample has the same slope, the interval collapses.
    assert fit.per_2_years_low == pytest.approx(3.0)
    assert fit.per_2_years_high == pytest.approx(3.0)


NOISY_YEARS = [2000, 2001, 2003, 2004, 2006, 2009, 2010, 2012, 2015, 2016]
NOISY_VALUES = [1.0, 4.0, 3.0, 20.0, 15.0, 150.0, 90.0, 800.0, 5000.0, 3000.0]


def test_same_seed_gives_identical_intervals_and_another_seed_does_not():
    first = fit_trend(NOISY_YEARS, NOISY_VALUES, resamples=2000, seed=7)
    again = fit_trend(NOISY_YEARS, NOISY_VALUES, resamples=2000, seed=7)
    other = fit_trend(NOISY_YEARS, NOISY_VALUES, resamples=2000, seed=8)
    assert first == again
    assert (first.per_2_years_low, first.per_2_years_high) != (
        other.per_2_years_low,
        other.per_2_years_high,
    )
    assert first.per_2_years == other.per_2_years  # the point estimate does not depend on it


def test_interval_brackets_the_fit_and_is_reported_with_its_method():
    fit = fit_trend(NOISY_YEARS, NOISY_VALUES, resamples=1000, seed=0)
    assert fit.per_2_years_low < fit.per_2_years < fit.per_2_years_high
    assert fit.doubling_years_low < fit.doubling_years < fit.doubling_years_high
    assert fit.interval == "percentile bootstrap over points"
    assert (fit.level, fit.resamples, fit.seed) == (0.95, 1000, 0)


@pytest.mark.parametrize(
    ("years", "values", "resamples", "message"),
    [
        ([2000, 2001], [1, 2], 1000, "at least 3 points"),
        ([2000, 2001, 2002], [1, 0, 2], 1000, "positive"),
        ([2000, 2001, 2002], [1, 2, 3], 999, "1000 bootstrap resamples"),
        ([2000, 2000, 2000], [1, 2, 3], 1000, "same year"),
    ],
)
def test_unusable_inputs_are_refused_with_a_reason(years, values, resamples, message):
    with pytest.raises(ValueError, match=message):
        fit_trend(years, values, resamples=resamples)


def test_fractional_year_counts_days_from_the_first_of_january():
    assert fractional_year(date(2020, 1, 1)) == 2020.0
    assert fractional_year(date(2021, 7, 2)) == pytest.approx(2021 + 182 / 365)
    assert fractional_year(date(2020, 12, 31)) == pytest.approx(2020 + 365 / 366)


def test_bootstrap_in_blocks_draws_the_same_resamples_as_one_draw(monkeypatch):
    from memwall import trends

    rng = np.random.default_rng(1)
    years = np.sort(rng.uniform(2000, 2025, 301))
    values = 0.3 * years + rng.normal(0, 0.5, 301)
    whole = trends.bootstrap_slopes(years, values, resamples=1000, seed=7)
    monkeypatch.setattr(trends, "BLOCK_CELLS", 301 * 3 + 5)  # blocks of 3 resamples
    assert np.array_equal(trends.bootstrap_slopes(years, values, resamples=1000, seed=7), whole)


def test_bootstrap_memory_stays_bounded_for_a_large_series():
    """100,000 contributed points x 1,000 resamples as one array of indices would take 800 MB
    (and the gathered years and values as much again each); blocks keep it to tens of MB."""
    import tracemalloc

    from memwall.trends import bootstrap_slopes

    n = 100_000
    years = np.linspace(2000.0, 2025.0, n)
    values = 0.3 * years
    tracemalloc.start()
    bootstrap_slopes(years, values, resamples=1000, seed=3)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 250 * 2**20, f"peak {peak / 2**20:.0f} MB"


def one_draw_slopes(years, values, *, resamples, seed):
    """The bootstrap the simple way: every resample drawn at once, each slope fitted alone."""
    years, values = np.asarray(years, float), np.asarray(values, float)
    index = np.random.default_rng(seed).integers(0, len(years), size=(resamples, len(years)))
    slopes = []
    for row in index:
        x, y = years[row], values[row]
        xc, yc = x - x.mean(), y - y.mean()
        with np.errstate(invalid="ignore", divide="ignore"):
            slopes.append((xc * yc).sum() / (xc * xc).sum())
    slopes = np.array(slopes)
    return slopes[np.isfinite(slopes)]


@pytest.mark.parametrize("n", [3, 4, 29, 301, 4001])
def test_bootstrap_in_row_groups_gives_the_slopes_of_the_simple_fit_bit_for_bit(n, monkeypatch):
    """Fitting a few rows at a time in reused buffers (FIT_CELLS) is only faster: the same
    draws and the same floating-point operations, so the same bits as fitting each resample
    on its own; blocks and groups that do not divide the resamples change nothing either."""
    from memwall import trends

    rng = np.random.default_rng(n)
    years = np.sort(rng.uniform(2000, 2025, n))
    if n == 4:  # resamples with a single year have no slope and are dropped
        years = np.array([2000.0, 2000.0, 2000.0, 2001.0])
    values = 0.3 * years + rng.normal(0, 0.5, n)
    expected = one_draw_slopes(years, values, resamples=1000, seed=11)
    assert np.array_equal(trends.bootstrap_slopes(years, values, resamples=1000, seed=11), expected)
    monkeypatch.setattr(trends, "BLOCK_CELLS", n * 7 + 1)
    monkeypatch.setattr(trends, "FIT_CELLS", n * 3)
    assert np.array_equal(trends.bootstrap_slopes(years, values, resamples=1000, seed=11), expected)
    # three threads, each fitting a third of every block while the next block is drawn
    threaded = trends.bootstrap_slopes(years, values, resamples=1000, seed=11, threads=3)
    assert np.array_equal(threaded, expected)
