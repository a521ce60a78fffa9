"""Markers, labels, claims and axes read from upstream's figure PDFs (both vintages).

Expected counts were counted by eye on PNG renderings of each PDF (pypdfium2, scale 0.8);
markers hidden exactly under another one cannot be seen and are checked via `coincident`.
Label values are those the figures print or the README tables state (GPT-3 175B params,
3.14e8 PFLOPs training compute).
"""

import datetime as dt
from pathlib import Path

import pdfplumber
import polars as pl
import pytest

from memwall.figure_axes import FigureAxesError, calibrate, choose_scale, parse_tick_label
from memwall.figure_points import parse_claim, read_figures
from memwall.figure_sources import figure_files, read_vintages

RAW = Path(__file__).resolve().parents[2] / "raw" / "figures"
F21, F23 = "2021-03-29_943f8f5", "2023-09-02_e14c1ed"  # folders
V21, V23 = "943f8f54df92ec2ed91173aa90e57645551f03c8", "e14c1ed73ed58b75bac7e06b86715a8a509bb59c"


@pytest.fixture(scope="module")
def frames():
    return read_figures(figure_files(RAW, read_vintages(RAW / "README.md")))


@pytest.mark.parametrize("folder", [F21, F23])
@pytest.mark.parametrize("name", ["hw_scaling", "model_size_scaling", "ai_and_compute"])
def test_every_labelled_tick_round_trips_through_the_calibration(folder, name):
    with pdfplumber.open(RAW / folder / f"{name}.pdf") as pdf:
        cal = calibrate(pdf.pages[0], f"{name}:1")
    assert (cal.x.scale, cal.y.scale) == ("date", "log")
    for text, _value, position in cal.x.ticks:
        day = cal.x.to_value(position)
        assert dt.date.fromordinal(round(day)) == dt.date(int(text), 1, 1)
    for text, _value, position in cal.y.ticks:
        assert cal.y.to_value(position) == pytest.approx(float(text), rel=1e-4)


def test_a_bar_chart_without_a_date_axis_is_rejected_naming_file_and_page(frames):
    _points, _claims, rejects = frames
    assert sorted(rejects["vintage"]) == [V21, V23]
    assert set(rejects["figure"]) == {"gpu_memory_wall"}
    assert all("gpu_memory_wall.pdf:1:" in r for r in rejects["reason"])
    assert set(rejects["code"]) == {"figure-no-axes"}
    with (
        pdfplumber.open(RAW / F23 / "gpu_memory_wall.pdf") as pdf,
        pytest.raises(FigureAxesError, match=r"gpu_memory_wall\.pdf:1: x axis"),
    ):
        calibrate(pdf.pages[0], "gpu_memory_wall.pdf:1")


def test_scale_is_read_from_labels():
    assert choose_scale([0.01, 1.0, 100.0, 10000.0], is_x=False) == "log"
    assert choose_scale([0.0, 5.0, 10.0, 15.0], is_x=False) == "linear"
    assert choose_scale([2016.0, 2017.0, 2018.0], is_x=True) == "date"
    assert parse_tick_label("1e+09") == 1e9
    assert parse_tick_label("YEAR") is None


# (vintage, figure, colour) -> markers counted on the rendered PNG
COUNTED = {
    (V23, "hw_scaling", "#000000"): 37,
    (V23, "hw_scaling", "#008000"): 12,
    (V23, "hw_scaling", "#0000ff"): 10,
    (V21, "hw_scaling", "#000000"): 35,
    (V21, "hw_scaling", "#008000"): 10,
    (V21, "hw_scaling", "#0000ff"): 8,
    (V23, "model_size_scaling", "#ff0000"): 10,
    (V23, "model_size_scaling", "#008000"): 7,
    (V23, "model_size_scaling", "#0000ff"): 5,
    (V23, "model_size_scaling", "#000000"): 1,
    (V21, "model_size_scaling", "#ff0000"): 10,
    (V21, "model_size_scaling", "#008000"): 6,
    (V21, "model_size_scaling", "#0000ff"): 5,
    (V21, "model_size_scaling", "#000000"): 2,
    (V23, "ai_and_compute", "#ff0000"): 10,
    (V21, "ai_and_compute", "#ff0000"): 10,
}


def test_marker_counts_match_the_rendered_figures(frames):
    points = frames[0]
    counts = {
        (r["vintage"], r["figure"], r["colour"]): r["len"]
        for r in points.group_by("vintage", "figure", "colour").len().iter_rows(named=True)
    }
    for key, expected in COUNTED.items():
        assert counts.get(key) == expected, key


def test_blue_points_under_red_ones_are_flagged_coincident(frames):
    # 11 blue markers are visible in each vintage; the other 10 lie under the 10 red ones
    for vintage in (V21, V23):
        blue = frames[0].filter(
            (pl.col("figure") == "ai_and_compute")
            & (pl.col("vintage") == vintage)
            & (pl.col("colour") == "#0000ff")
        )
        assert blue.height == 21
        assert blue.filter(~pl.col("coincident")).height == 11


def test_series_come_from_the_legend_text_of_the_same_colour(frames):
    points = frames[0].filter(pl.col("figure") == "hw_scaling")
    series = dict(
        points.filter(pl.col("vintage") == V23).select("colour", "series").unique().iter_rows()
    )
    assert series == {"#000000": "HW FLOPS", "#008000": "DRAM BW", "#0000ff": "Interconnect BW"}
    # the 2021 legend misspells it; the data keeps what is printed
    assert "Inteconnect BW" in points.filter(pl.col("vintage") == V21)["series"].to_list()


def _labelled(points, vintage, figure, label):
    row = points.filter(
        (pl.col("vintage") == vintage) & (pl.col("figure") == figure) & (pl.col("label") == label)
    )
    assert row.height == 1, (vintage, figure, label)
    return row.row(0, named=True)


def test_labelled_points_have_the_values_the_figures_show(frames):
    points = frames[0]
    h100 = _labelled(points, V23, "hw_scaling", "H100")
    assert h100["date"].year == 2022 and 2e6 < h100["value"] < 4e6  # above the 1000000 line
    r10000 = _labelled(points, V23, "hw_scaling", "R10000")
    assert r10000["value"] == pytest.approx(1.0, rel=1e-3)  # the normalization base
    assert r10000["value_unit"] == "Normalized Scaling"
    gpt3 = _labelled(points, V23, "model_size_scaling", "GPT-3")
    assert gpt3["value"] == pytest.approx(175, rel=1e-3)
    assert gpt3["date"] == dt.date(2020, 5, 28)
    assert _labelled(points, V21, "ai_and_compute", "GPT-3")["value"] == pytest.approx(
        3.14e8, rel=1e-3
    )
    assert _labelled(points, V21, "model_size_scaling", "ALBERT")["series"] == "Transformer Size"
    # centred under its point (seen on the render), and one written beside its point
    assert _labelled(points, V23, "hw_scaling", "NVLink 1.0")["date"] == dt.date(2016, 4, 5)
    tpu = _labelled(points, V21, "model_size_scaling", "TPUv2 (16GB)")
    assert tpu["value"] == pytest.approx(16 / 6, rel=1e-3)  # 16 GB at 6 bytes per parameter
    pcie = _labelled(points, V23, "hw_scaling", "PCIe 1.0a")
    assert pcie["series"] == "Interconnect BW" and pcie["value"] == pytest.approx(1.0, rel=1e-3)


def test_claims_are_the_legend_rates_as_printed(frames):
    claims = frames[1]
    got = {
        (r["vintage"], r["series"]): r["legend_text"]
        for r in claims.filter(pl.col("figure") == "hw_scaling").iter_rows(named=True)
    }
    assert got[(V23, "HW FLOPS")] == "HW FLOPS: 60000x / 20 yrs (3.0x/2yrs)"
    assert got[(V21, "HW FLOPS")] == "HW FLOPS: 90000x / 20 yrs (3.1x/2yrs)"
    assert got[(V23, "DRAM BW")] == "DRAM BW: 100x / 20 yrs (1.6x/2yrs)"
    size = claims.filter((pl.col("vintage") == V23) & (pl.col("series") == "Transformer Size"))
    assert size["factor_per_2_years"].to_list() == [410.0]
    assert claims.height == 15


def test_printed_precision_of_a_claim():
    c = parse_claim("60000x / 20 yrs (3.0x/2yrs)")
    assert (c["factor_per_20_years"], c["factor_per_20_years_half_unit"]) == (60000.0, 5000.0)
    assert (c["factor_per_2_years"], c["factor_per_2_years_half_unit"]) == (3.0, 0.05)
    assert c["factor_per_2_years_text"] == "3.0"


def test_output_is_sorted_and_deterministic(frames):
    files = figure_files(RAW, read_vintages(RAW / "README.md"))
    again = read_figures(list(reversed(files)))
    assert again[0].equals(frames[0]) and again[1].equals(frames[1])
