"""Series selected from tables by a declared spec, device selection, claims, outputs."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from memwall.trend_claims import compare_claim, verdict
from memwall.trend_outputs import metrics_files, plot_frame, trends_document, trends_markdown
from memwall.trend_report import run_trends
from memwall.trend_series import SeriesError, series_points

# Two devices a year, the flagship 10x the other; flagships grow 4x a year, the rest 2x.
HARDWARE = pl.DataFrame(
    {
        "name": ["a1", "b1", "a2", "b2", "a3", "b3", "a4", "b4", "old", "cpu"],
        "type": ["GPU"] * 8 + ["GPU", "CPU"],
        "release_date": [
            date(2016, 1, 1), date(2016, 9, 1), date(2017, 1, 1), date(2017, 9, 1),
            date(2018, 1, 1), date(2018, 9, 1), date(2019, 1, 1), date(2019, 9, 1),
            date(2005, 1, 1), date(2018, 1, 2),
        ],
        "flops": [10.0, 1.0, 40.0, 2.0, 160.0, 4.0, 640.0, 8.0, 5.0, 1e9],
    }
)  # fmt: skip
SPEC = {
    "id": "flops",
    "label": "Peak FLOP/s",
    "unit": "FLOP/s",
    "source": "hardware",
    "filter": {"type": "GPU"},
    "value": "flops",
    "date": "release_date",
    "label_column": "name",
    "window": {"start": "2010-01-01", "end": "2025-12-31"},
    "devices": ["top_per_year", "all"],
    "claim": {"vintage": "2023", "figure": "hw_scaling", "series": "HW FLOPS"},
}
CLAIMS = pl.DataFrame(
    {
        "vintage": ["2023"],
        "figure": ["hw_scaling"],
        "series": ["HW FLOPS"],
        "legend": ["16.0x/2yrs"],
        "per_2_years": [16.0],
        "decimals": [1],
    }
)
CONFIG = {"resamples": 1000, "seed": 3, "level": 0.95, "series": [SPEC]}


def test_filter_window_and_top_device_per_year_select_the_flagships():
    points = series_points(SPEC, {"hardware": HARDWARE})
    top = points.filter(pl.col("selection") == "top_per_year")
    assert top["label"].to_list() == ["a1", "a2", "a3", "a4"]  # no CPU, nothing before 2010
    assert points.filter(pl.col("selection") == "all").height == 8


def test_not_in_keeps_rows_whose_value_is_missing():
    table = pl.DataFrame(
        {
            "type": ["GPU", None, "CPU", "TPU"],
            "release_date": [
                date(2020, 1, 1),
                date(2021, 1, 1),
                date(2022, 1, 1),
                date(2023, 1, 1),
            ],
            "flops": [1.0, 2.0, 3.0, 4.0],
        }
    )
    spec = {"id": "x", "source": "t", "filter": {"type": {"not_in": ["CPU"]}}, "value": "flops",
            "date": "release_date"}  # fmt: skip
    assert series_points(spec, {"t": table})["value"].to_list() == [1.0, 2.0, 4.0]


def test_both_selections_are_fitted_and_the_choice_shows_in_the_rate():
    result = run_trends(CONFIG, {"hardware": HARDWARE}, CLAIMS)
    by_id = {fit["id"]: fit for fit in result.fits}
    assert set(by_id) == {"flops@top_per_year", "flops@all"}
    # Flagships grow 4x a year: 16x per 2 years, which the claim prints as "16x".
    assert by_id["flops@top_per_year"]["per_2_years"] == pytest.approx(16.0)
    assert by_id["flops@top_per_year"]["agrees"] is True
    # All devices mix flagships and small parts: a different rate that misses the claim.
    assert by_id["flops@all"]["per_2_years"] != pytest.approx(16.0, rel=0.05)
    assert by_id["flops@all"]["agrees"] is False
    low, high = by_id["flops@all"]["per_2_years_low"], by_id["flops@all"]["per_2_years_high"]
    assert by_id["flops@all"]["claim_in_interval"] is (low <= 16.0 <= high)
    assert by_id["flops@all"]["verdict"] == (
        "within-interval" if low <= 16 <= high else "disagrees"
    )
    assert [f.code for f in result.findings] == ["trend-claim-disagrees"]
    assert by_id["flops@all"]["start"] == "2016-01-01"
    assert by_id["flops@all"]["end"] == "2019-09-01"


def test_a_series_with_too_few_points_gives_a_finding_not_a_fit():
    spec = SPEC | {"window": {"start": "2016-01-01", "end": "2016-12-31"}, "devices": "all"}
    result = run_trends(CONFIG | {"series": [spec]}, {"hardware": HARDWARE}, CLAIMS)
    assert result.fits == []
    assert [f.code for f in result.findings] == ["trend-too-few-points"]


def test_a_claim_the_claims_table_does_not_hold_is_reported():
    spec = SPEC | {"claim": {"vintage": "2021", "figure": "hw_scaling", "series": "HW FLOPS"}}
    result = run_trends(CONFIG | {"series": [spec]}, {"hardware": HARDWARE}, CLAIMS)
    assert "trend-claim-missing" in [f.code for f in result.findings]
    assert all("agrees" not in fit for fit in result.fits)


def test_a_stray_key_from_an_unquoted_comma_is_refused():
    # YAML `{label: Peak FLOPS (Figure 1, 2023)}` parses as label "Peak FLOPS (Figure 1" and
    # a key "2023)".
    with pytest.raises(SeriesError, match=r"unknown keys \['2023\)'\]"):
        series_points(SPEC | {"2023)": None}, {"hardware": HARDWARE})


def test_an_unknown_column_names_the_series_and_the_column():
    with pytest.raises(SeriesError, match=r"series 'flops'.*\['tflops'\]"):
        series_points(SPEC | {"value": "tflops"}, {"hardware": HARDWARE})


@pytest.mark.parametrize(
    ("fitted", "claim", "decimals", "agrees"),
    [
        (3.04, 3.0, 1, True),
        (2.95, 3.0, 1, True),  # rounds half up to 3.0
        (3.05, 3.0, 1, False),  # rounds to 3.1
        (1.449, 1.4, 1, True),
        (409.6, 410.0, 0, True),
        (409.4, 410.0, 0, False),
        # "410x" with a half unit of 5 (precise to tens): 413 rounds to 410, 416 to 420
        (413.4, 410.0, -1, True),
        (415.0, 410.0, -1, False),
        (404.9, 410.0, -1, False),
    ],
)
def test_a_fit_agrees_when_it_rounds_to_the_printed_claim(fitted, claim, decimals, agrees):
    compared = compare_claim(fitted, claim, decimals)
    assert compared.agrees is agrees
    assert compared.difference == pytest.approx(fitted - claim)


def test_outputs_carry_the_contract_fields_and_flat_metrics():
    result = run_trends(CONFIG, {"hardware": HARDWARE}, CLAIMS)
    document = trends_document(result.fits, resamples=1000, seed=3, level=0.95)
    required = {"id", "series", "source", "n", "start", "end", "per_2_years", "per_2_years_low",
                "per_2_years_high", "doubling_years", "claim_per_2_years", "agrees"}  # fmt: skip
    assert all(required <= set(fit) for fit in document["fits"])
    assert list(document) == ["fits"]  # the site and programs read the list
    assert all(
        fit["interval"] == "95% percentile bootstrap over points, 1000 resamples, seed 3"
        for fit in document["fits"]
    )
    with pytest.raises(ValueError, match="was not made with"):
        trends_document(result.fits, resamples=1000, seed=4, level=0.95)
    files = metrics_files(result.fits)
    assert sorted(files) == ["flops@all.json", "flops@top_per_year.json"]
    assert all(not isinstance(v, dict | list) for row in files.values() for v in row.values())


def test_markdown_puts_claim_reproduction_and_independent_data_in_one_row():
    result = run_trends(CONFIG, {"hardware": HARDWARE}, CLAIMS)
    rows = [
        {
            "quantity": "Peak FLOP/s | dense",
            "claim": "16x/2yrs",
            "reproduction": "flops@top_per_year",
            "independent": ["flops@all"],
        }
    ]
    text = trends_markdown(result.fits, rows)
    table = [line for line in text.splitlines() if line.startswith("| Peak")]
    assert len(table) == 1
    assert table[0].startswith(
        "| Peak FLOP/s \\| dense | 16x/2yrs | Peak FLOP/s [top_per_year]: 16x ("
    )
    assert (
        "n=4, 2016-2019; agrees with the claimed 16.0x (rounds to it; claim inside the" in table[0]
    )
    assert "[all]: " in table[0]
    assert "does not round to the claimed 16.0x" in table[0]
    assert "Epoch AI" in text


def test_plot_frame_holds_the_points_and_line_ends_of_the_chosen_fits_only():
    result = run_trends(CONFIG, {"hardware": HARDWARE}, CLAIMS)
    frame = plot_frame(result.points, result.lines, ["flops@top_per_year"])
    assert frame.columns == ["fit_id", "kind", "year", "value", "label"]
    assert set(frame["fit_id"]) == {"flops@top_per_year"}
    assert frame.filter(pl.col("kind") == "point")["label"].to_list() == ["a1", "a2", "a3", "a4"]
    ends = frame.filter(pl.col("kind") == "fit")
    assert ends["year"].to_list() == [2016.0, 2019.0]
    # The line through 10, 40, 160, 640 (4x a year) runs from 10 to 640.
    assert ends["value"].to_list() == pytest.approx([10.0, 640.0])


@pytest.mark.parametrize(
    ("fitted", "low", "high", "expected"),
    [
        (3.03, 2.68, 3.29, "agrees"),  # Figure 1's FLOPS: rounds to 3.0x, 3.0 inside
        # Datasheet memory capacity, all devices: 1.57x rounds to the legend's "2x", but the
        # interval (1.40-1.72) excludes 2: not a match, whatever the rounding says.
        (1.57, 1.40, 1.72, "rounds-only"),
        (1.46, 1.14, 1.77, "within-interval"),  # misses "1.4x" by rounding, 1.4 inside
        (1.83, 1.62, 2.04, "disagrees"),
    ],
)
def test_a_verdict_weighs_the_interval_as_well_as_the_rounding(fitted, low, high, expected):
    claim = {"2.0": (2.0, 0), "3.0": (3.0, 1), "1.4": (1.4, 1)}
    per_2_years, decimals = {
        "agrees": claim["3.0"],
        "rounds-only": claim["2.0"],
        "within-interval": claim["1.4"],
        "disagrees": claim["3.0"],
    }[expected]
    rounds = compare_claim(fitted, per_2_years, decimals).agrees
    assert verdict(rounds, low <= per_2_years <= high) == expected


def test_fractional_years_column_wise_are_the_floats_of_fractional_year():
    from datetime import timedelta

    from memwall.trend_series import fractional_years
    from memwall.trends import fractional_year

    days = [date(1999, 1, 1) + timedelta(days=i) for i in range(0, 366 * 8)]
    got = pl.select(fractional_years(pl.lit(pl.Series(days)))).to_series().to_list()
    assert got == [fractional_year(d) for d in days]
