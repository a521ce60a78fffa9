"""Round trip on figures drawn here with matplotlib: known points in, the same points out.

Covers what upstream's PDFs do not: a linear y axis, and a figure whose axes carry no
numbers (the error must name the file and page).
"""

import datetime as dt

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from memwall.figure_axes import FigureAxesError
from memwall.figure_points import read_figure

KNOWN = [(dt.date(2015, 3, 1), 12.0), (dt.date(2017, 7, 15), 30.0), (dt.date(2019, 11, 30), 45.0)]


def _draw(path, ticks=True):
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.scatter([d for d, _ in KNOWN], [v for _, v in KNOWN], s=200, c="red")
    ax.annotate("Chip B", (KNOWN[1][0], KNOWN[1][1]), xytext=(0, 12), textcoords="offset points")
    ax.text(0.05, 0.9, "Things: 2x / 2 yrs", transform=ax.transAxes, color="red")
    ax.set_ylim(0, 50)
    ax.set_ylabel("Widgets (count)")
    if not ticks:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.savefig(path, metadata={"CreationDate": None})
    plt.close(fig)


def test_points_on_a_linear_axis_come_back_with_their_dates_values_and_label(tmp_path):
    pdf = tmp_path / "linear.pdf"
    _draw(pdf)
    points, claims = read_figure(pdf, "v", "linear")
    assert points.height == 3
    assert points["date"].to_list() == [d for d, _ in KNOWN]
    assert points["value"].to_list() == pytest.approx([v for _, v in KNOWN], abs=0.01)
    assert points["label"].to_list() == [None, "Chip B", None]
    assert set(points["series"]) == {"Things"}
    assert points["value_unit"].to_list() == ["Widgets (count)"] * 3
    assert claims["factor_per_2_years"].to_list() == [2.0]


def test_a_figure_without_tick_labels_fails_naming_file_and_page(tmp_path):
    pdf = tmp_path / "no_ticks.pdf"
    _draw(pdf, ticks=False)
    with pytest.raises(FigureAxesError, match=r"no_ticks\.pdf:1: x axis"):
        read_figure(pdf, "v", "no_ticks")
