"""Static figures: same data, same bytes; axes and caption say what is shown."""

from __future__ import annotations

from datetime import date

import polars as pl

from memwall.trend_figures import growth_figure, save_figure, series_plot, standard_figures
from memwall.trend_report import run_trends

TABLE = pl.DataFrame(
    {
        "name": ["A", "B", "C", "D", "E"],
        "release_date": [
            date(2016, 5, 1),
            date(2017, 6, 1),
            date(2019, 2, 1),
            date(2021, 3, 1),
            date(2023, 9, 1),
        ],
        "bw": [1e11, 3e11, 5e11, 1.5e12, 3.3e12],
    }
)
SPEC = {"id": "bw", "label": "Memory bandwidth", "source": "hw", "value": "bw",
        "date": "release_date", "label_column": "name"}  # fmt: skip


def render(base):
    result = run_trends({"resamples": 1000, "seed": 1, "series": [SPEC]}, {"hw": TABLE})
    fig = growth_figure(
        [series_plot(result.points, result.fits, "bw", "Memory bandwidth", annotate=("E",))],
        title="Bandwidth",
        ylabel="Memory bandwidth (bytes/s)",
        caption="Source: a hand-made table; credit Epoch AI where its data is shown.",
    )
    return save_figure(fig, base)


def test_rendering_twice_gives_identical_svg_and_png_bytes(tmp_path):
    first = render(tmp_path / "one" / "bw")
    second = render(tmp_path / "two" / "bw")
    assert [p.suffix for p in first] == [".svg", ".png"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_files_carry_no_date_or_software_version(tmp_path):
    svg, png = render(tmp_path / "bw")
    text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in text
    assert "Matplotlib v" not in text and "matplotlib.org" not in text
    assert b"Software" not in png.read_bytes()[:2000]


def test_the_rate_and_units_are_written_on_the_figure():
    # Glyphs are drawn as paths in the SVG, so the text is checked on the figure object.
    result = run_trends({"resamples": 1000, "seed": 1, "series": [SPEC]}, {"hw": TABLE})
    plot = series_plot(result.points, result.fits, "bw", "Memory bandwidth")
    fig = growth_figure([plot], title="t", ylabel="Memory bandwidth (bytes/s)", caption="c")
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0].startswith("Memory bandwidth: ") and "x/2yrs [" in legend[0]
    assert ax.get_ylabel() == "Memory bandwidth (bytes/s)"
    assert ax.get_yscale() == "log"


def test_standard_figures_make_only_the_figures_whose_series_were_fitted():
    spec = SPEC | {"id": "hw-ridge-point", "devices": ["top_per_year", "all"]}
    result = run_trends({"resamples": 1000, "seed": 1, "series": [spec]}, {"hw": TABLE})
    figures = standard_figures(result.points, result.fits, resamples=1000)
    assert list(figures) == ["ridge_point"]
    ax = figures["ridge_point"].axes[0]
    assert ax.get_ylabel() == "Ridge point (FLOP per byte, log scale)"
    caption = figures["ridge_point"].texts[0].get_text()
    assert "Epoch AI" in caption and "1000 resamples" in caption


def test_a_series_of_many_points_is_one_image_in_the_svg_not_one_element_per_marker(tmp_path):
    from datetime import timedelta

    from memwall.trend_figures import RASTER_POINTS

    n = RASTER_POINTS + 1
    table = pl.DataFrame(
        {
            "name": [f"m{i}" for i in range(n)],
            "release_date": [date(2016, 1, 1) + timedelta(days=i % 3000) for i in range(n)],
            "bw": [1e11 * (1 + i % 97) for i in range(n)],
        }
    )
    result = run_trends({"resamples": 1000, "seed": 1, "series": [SPEC]}, {"hw": table})
    big = series_plot(result.points, result.fits, "bw", "Many")
    small = series_plot(result.points.head(50), result.fits, "bw", "Few")
    fig = growth_figure([big, small], title="t", ylabel="y", caption="c")
    svg, _ = save_figure(fig, tmp_path / "many")
    text = svg.read_text(encoding="utf-8")
    assert text.count("<image ") == 1
    assert text.count("<use ") < 1000  # the 50 small markers and the glyphs, not n markers
