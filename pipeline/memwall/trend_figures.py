"""Static growth figures (SVG and PNG) drawn from points and fits, byte-identical on rebuild.

Every figure is a log-scale plot of one or more series against time: points, and each series'
fitted line with its rate in the legend ("3.0x/2yrs [2.8-3.2]"). Figures carry their units on
the axes and their sources in a caption under the plot. Determinism: a fixed SVG hash salt,
glyphs drawn as paths in a font shipped with matplotlib (DejaVu Sans), no dates or software
versions in the files' metadata.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import numpy as np
import polars as pl

# Figure objects are made without pyplot, so no GUI backend is involved; Agg draws the PNG.
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from memwall.trends import format_factor

HASH_SALT = "memwall-trends"
STYLE = {
    "svg.hashsalt": HASH_SALT,
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "path.simplify": False,
}
SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
PNG_METADATA = {"Software": None}
PALETTE = ("#1b4f9c", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0f766e")
DPI = 150
# A series with more points than this is drawn into the SVG as an image of its markers (at the
# figure's DPI) rather than one vector element per marker: 100,000 contributed models made a
# 16 MB SVG that took longer to write than the rest of the stage. Axes, lines and text stay
# vector; the PNG is the same either way. Every series of the real data has far fewer points.
RASTER_POINTS = 5_000


@dataclass(frozen=True)
class SeriesPlot:
    """One series on a figure: its points (year, value, label), its fit, and how to draw it.

    `fit` is a fit record of trend_report (uses slope/intercept, start/end and the rate);
    `scale` multiplies values (for unit changes, e.g. parameters x 2 bytes); `normalize`
    divides by the first point (the paper's Figure 1 shows each series relative to its first).
    `annotate` names points on the plot: True names every labelled point, a tuple of labels
    only those (a few well-known devices or models keep a busy figure readable).
    """

    name: str
    points: pl.DataFrame
    fit: dict | None = None
    scale: float = 1.0
    normalize: bool = False
    annotate: bool | tuple[str, ...] = False
    faint: bool = False
    marker: str = "o"
    extra: dict = field(default_factory=dict)


def rate_text(fit: dict) -> str:
    """'3.03x/2yrs [2.68-3.28], n=37' from a fit record (95% bootstrap interval in brackets)."""
    return (
        f"{format_factor(fit['per_2_years'])}x/2yrs [{format_factor(fit['per_2_years_low'])}-"
        f"{format_factor(fit['per_2_years_high'])}], n={fit['n']}"
    )


def _draw_series(ax, series: SeriesPlot, colour: str) -> None:
    years = series.points["year"].to_numpy()
    values = series.points["value"].to_numpy() * series.scale
    base = values[np.argmin(years)] if series.normalize and len(values) else 1.0
    alpha = 0.3 if series.faint else 0.9
    label = series.name if series.fit is None else f"{series.name}: {rate_text(series.fit)}"
    area = 16 if series.faint else 26  # points^2
    if len(years) > RASTER_POINTS:
        # The same markers as a line of markers without its line: Agg stamps one marker
        # image per point (0.6 s for 100,000 points against 1.8 s as a scatter collection).
        ax.plot(
            years,
            values / base,
            linestyle="none",
            marker=series.marker,
            markersize=area**0.5,
            markeredgewidth=0,
            color=colour,
            alpha=alpha,
            label=label,
            zorder=3,
            rasterized=True,
        )
    else:
        ax.scatter(
            years,
            values / base,
            s=area,
            marker=series.marker,
            color=colour,
            alpha=alpha,
            edgecolors="none",
            label=label,
            zorder=3,
        )
    if series.fit is not None:
        ends = np.array([years.min(), years.max()])
        line = 10.0 ** (series.fit["intercept_log10"] + series.fit["slope_log10_per_year"] * ends)
        ax.plot(ends, line * series.scale / base, color=colour, lw=1.4, alpha=alpha, zorder=2)
    if series.annotate:
        right_edge = years.min() + 0.8 * (years.max() - years.min()) if len(years) else 0
        for year, value, text in zip(
            years, values / base, series.points["label"].to_list(), strict=True
        ):
            if not text or not (series.annotate is True or text in series.annotate):
                continue
            # Labels go away from the fitted line (above a point above it, below one below)
            # and, near the right edge, to the left of their point rather than off the plot.
            above = True
            if series.fit is not None:
                fitted = series.fit["intercept_log10"] + series.fit["slope_log10_per_year"] * year
                above = np.log10(value * base / series.scale) >= fitted
            left = year > right_edge
            ax.annotate(
                text,
                (year, value),
                xytext=(-5 if left else 5, 6 if above else -6),
                textcoords="offset points",
                ha="right" if left else "left",
                va="bottom" if above else "top",
                fontsize=7,
                color=colour,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9},
                zorder=5,
            )


def growth_figure(
    series: Sequence[SeriesPlot],
    *,
    title: str,
    ylabel: str,
    caption: str,
    xlabel: str = "Year (release or publication date)",
    size: tuple[float, float] = (8.0, 5.6),
) -> Figure:
    """A log-scale figure of `series` against time with fitted lines and a sources caption."""
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=size, dpi=DPI)
        ax = fig.add_axes((0.1, 0.21, 0.86, 0.71))
        for index, one in enumerate(series):
            _draw_series(ax, one, one.extra.get("colour", PALETTE[index % len(PALETTE)]))
        ax.set_yscale("log")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=12))
        low, high = ax.get_ylim()
        if high / low < 1e3:
            # Few decades: plain numbers at 1, 2, 5 x 10^k read better than 2 x 10^2.
            ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_title(title, fontsize=12, loc="left")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.legend(loc="upper left", fontsize=8)
        wrapped = "\n".join(textwrap.wrap(caption, width=130))
        fig.text(0.02, 0.02, wrapped, fontsize=7, color="#444444", va="bottom", ha="left")
    return fig


def save_figure(fig: Figure, base: Path) -> list[Path]:
    """Write `base`.svg and `base`.png with fixed metadata; the same figure gives the same bytes."""
    base.parent.mkdir(parents=True, exist_ok=True)
    paths = [base.with_suffix(".svg"), base.with_suffix(".png")]
    with matplotlib.rc_context(STYLE):
        fig.savefig(paths[0], format="svg", metadata=SVG_METADATA)
        fig.savefig(paths[1], format="png", metadata=PNG_METADATA, dpi=DPI)
    return paths


def series_plot(points: pl.DataFrame, fits: Sequence[dict], fit_id: str, name: str, **style):
    """The SeriesPlot of one fit of a trends result (its points and fit record), or None.

    None when the fit is absent (too few points, or the source table was not there), so a
    figure shows what exists.
    """
    fit = next((f for f in fits if f["id"] == fit_id), None)
    if fit is None:
        return None
    chosen = points.filter(pl.col("fit_id") == fit_id).sort("year")
    return SeriesPlot(name=name, points=chosen, fit=fit, **style)


PAPER = 'Gholami et al., "AI and Memory Wall", IEEE Micro 2024'
EPOCH_HARDWARE = 'Epoch AI, "Data on Machine Learning Hardware" (CC BY 4.0)'
EPOCH_MODELS = 'Epoch AI, "Notable AI Models" (CC BY 4.0)'
# Points named on busy figures: a few devices and models most readers know (fewer on the
# memory-wall figure, whose right end is crowded).
WALL_NAMED = (
    "Transformer", "GPT-3 175B (davinci)", "NVIDIA GeForce GTX 280",
    "NVIDIA Tesla K80", "NVIDIA A100 SXM4 80 GB",
)  # fmt: skip
NAMED = (
    "Transformer", "GPT-3 175B (davinci)", "PaLM (540B)", "DeepSeek-V3", "T5-11B",
    "Gemini 1.0 Ultra", "Grok-3", "NVIDIA GeForce GTX 280", "NVIDIA Tesla K80",
    "NVIDIA A100 SXM4 80 GB", "AMD Instinct MI350X", "NVIDIA Tesla V100 SXM2 16 GB",
    "Google TPU v4", "NVIDIA L4", "AMD Instinct MI355X",
)  # fmt: skip


def standard_figures(
    points: pl.DataFrame, fits: Sequence[dict], *, resamples: int, level: float = 0.95
) -> dict[str, Figure]:
    """The trends report's figures by file stem, from a trends result (fits by their ids).

    Expects the fit ids of the series declared in params (fig1-<vintage>-flops|dram|
    interconnect, hw-*@top_per_year|all, epoch-language-*, upstream-nlp-*); a series that has
    no fit is left out, and a figure with no series at all is not made.
    """
    method = (
        f"Rates: least-squares fit of log10(value) on year; brackets: {level:.0%} percentile "
        f"bootstrap interval over points ({resamples} resamples, fixed seed)."
    )

    def some(*plots):
        return [p for p in plots if p is not None]

    def plot(fit_id, name, **style):
        return series_plot(points, fits, fit_id, name, **style)

    specs: dict[str, dict] = {}
    for vintage in ("2021", "2023"):
        specs[f"figure1_paper_{vintage}"] = {
            "series": some(
                plot(f"fig1-{vintage}-flops", "Peak hardware FLOPS", marker="o"),
                plot(f"fig1-{vintage}-dram", "DRAM bandwidth", marker="s"),
                plot(f"fig1-{vintage}-interconnect", "Interconnect bandwidth", marker="^"),
            ),
            "title": f"Figure 1 of the paper ({vintage} version), redrawn from its own points",
            "xlabel": "Year (announcement date, as plotted in the paper)",
            "ylabel": "Relative to the series' first point (x, log scale)",
            "caption": f"Points recovered from the vector PDF hw_scaling.pdf of upstream's "
            f"{vintage} figures ({PAPER}); each series normalized to its first point, as in "
            f"the paper. {method}",
        }
    specs["figure1_datasheets"] = {
        "series": some(
            plot("hw-flops-16bit@top_per_year", "Peak dense 16-bit FLOP/s", normalize=True),
            plot("hw-dram-bw@top_per_year", "Memory bandwidth", normalize=True, marker="s"),
            plot(
                "hw-interconnect-bw@top_per_year",
                "Intra-node interconnect bandwidth",
                normalize=True,
                marker="^",
            ),
            plot("hw-flops-fp32@top_per_year", "Peak FP32 FLOP/s", normalize=True, marker="D"),
        ),
        "title": "Figure 1 again, from datasheets through 2025 (top device per release year)",
        "xlabel": "Year (release date)",
        "ylabel": "Relative to the series' first device (x, log scale)",
        "caption": f"Datasheet values from {EPOCH_HARDWARE}; the device with the largest value "
        f"in each release year; each series normalized to its first device. {method}",
    }
    specs["memory_wall"] = {
        "series": some(
            plot(
                "epoch-language-params@all",
                "Language models: parameters x 2 bytes (16-bit weights)",
                scale=2.0,
                faint=True,
            ),
            plot(
                "epoch-language-params@top_per_year",
                "Largest language model of each year, x 2 bytes",
                scale=2.0,
                annotate=WALL_NAMED,
            ),
            plot(
                "hw-memory-capacity@top_per_year",
                "Accelerator memory (largest of each year)",
                marker="s",
                annotate=WALL_NAMED,
            ),
        ),
        "title": "The memory wall: model weights against the memory of one accelerator",
        "xlabel": "Year (publication date of models, release date of accelerators)",
        "ylabel": "Bytes (log scale)",
        "caption": f"Model parameters from {EPOCH_MODELS} (domain includes Language), shown as "
        f"the bytes their weights take in 16-bit precision; accelerator memory per board from "
        f"{EPOCH_HARDWARE}. {method}",
    }
    specs["training_compute"] = {
        "series": some(
            plot("epoch-language-compute@all", "Language models (Epoch AI)", faint=True),
            plot(
                "epoch-language-compute@top_per_year", "Most compute of each year", annotate=NAMED
            ),
            plot("upstream-nlp-compute", "NLP models of the paper's table", marker="s"),
        ),
        "title": "Training compute of language models",
        "xlabel": "Year (publication date)",
        "ylabel": "Training compute (FLOP, log scale)",
        "caption": f"Training compute from {EPOCH_MODELS} and from the paper's model table "
        f"({PAPER}, upstream README). {method}",
    }
    specs["ridge_point"] = {
        "series": some(
            plot("hw-ridge-point@all", "All accelerators", faint=True),
            plot("hw-ridge-point@top_per_year", "Highest of each release year", annotate=NAMED),
        ),
        "title": "The ridge point: FLOPs an accelerator must do per byte it reads from memory",
        "xlabel": "Year (release date)",
        "ylabel": "Ridge point (FLOP per byte, log scale)",
        "caption": f"Peak dense 16-bit tensor FLOP/s divided by memory bandwidth (bytes/s), per "
        f"device, from {EPOCH_HARDWARE}. A workload doing fewer FLOPs per byte than this waits "
        f"on memory. {method}",
    }
    return {
        name: growth_figure(spec.pop("series"), **spec)
        for name, spec in specs.items()
        if spec["series"]
    }
