"""The trends stage's input tables, read by name from the published tables.

`run_trends` reads tables by the source names of the `series` of data/trends.yaml (models,
epoch_models, hardware, figure_points) and a claims frame with the columns of
`trend_report.CLAIM_COLUMNS`. This module shapes the published tables into those: Epoch AI's
notable models with their domain, the figure_claims table renamed, the hardware table with
the ridge point. Nothing is fitted here.
"""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl

from memwall.reference import ReferenceColumns, load_columns, load_reference

# Published tables read when their stages have run (else their series are reported missing).
OPTIONAL_TABLES = ("hardware", "figure_points", "figure_claims")
RIDGE = "ridge_point_flop_per_byte"
RIDGE_FROM = ("peak_tensor_16bit_flop_per_s", "memory_bandwidth_bytes_per_s")


def epoch_models(path: Path) -> pl.DataFrame:
    """Epoch AI's Notable AI Models (CC BY 4.0) with domain, parameters, compute and date:
    the cross-reference's column mapping, plus Domain (the series filter on "Language")."""
    mapping = load_columns()
    ignored = {k: v for k, v in mapping.ignored.items() if k != "Domain"}
    return load_reference(path, ReferenceColumns({**mapping.columns, "Domain": "domain"}, ignored))


def printed_decimals(text: str | None, half_unit: float | None = None) -> int:
    """Decimals of a printed factor: from its half unit of rounding when known (0.05 -> 1,
    0.5 -> 0, 5 -> -1: "410" precise to tens), else the digits after its decimal point."""
    if half_unit is not None and half_unit > 0:
        return -round(math.log10(2 * half_unit))
    number = (text or "").strip().rstrip("xX").strip()
    return len(number.split(".", 1)[1]) if "." in number else 0


def claims_table(figure_claims: pl.DataFrame) -> pl.DataFrame:
    """figure_claims as `run_trends` reads claims: vintage, figure, series, legend (as
    printed), per_2_years and decimals (the printed precision of that factor, negative for
    tens). Legend entries
    without a factor per 2 years are left out (nothing to compare a fit with)."""
    stated = figure_claims.filter(pl.col("factor_per_2_years").is_not_null())
    return stated.select(
        pl.col("vintage").cast(pl.String),
        pl.col("figure"),
        pl.col("series"),
        pl.col("legend_text").alias("legend"),
        pl.col("factor_per_2_years").alias("per_2_years"),
        pl.struct("factor_per_2_years_text", "factor_per_2_years_half_unit")
        .map_elements(
            lambda r: printed_decimals(
                r["factor_per_2_years_text"], r["factor_per_2_years_half_unit"]
            ),
            return_dtype=pl.Int64,
        )
        .alias("decimals"),
    )


def hardware_table(hardware: pl.DataFrame) -> pl.DataFrame:
    """The hardware table with the ridge point (16-bit FLOP/s per byte/s of memory bandwidth),
    derived from the two datasheet columns when the table does not carry it."""
    if RIDGE in hardware.columns:
        return hardware
    flops, bandwidth = RIDGE_FROM
    return hardware.with_columns((pl.col(flops) / pl.col(bandwidth)).alias(RIDGE))
