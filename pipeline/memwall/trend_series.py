"""Series declared as data: select the points of one trend from a source table.

A series spec is one entry of the `series` list in data/trends.yaml, passed in as a dict:

    id: hw-flops-datasheets          # stable id of the series
    label: Peak dense 16-bit FLOP/s  # what it measures, for people
    unit: FLOP/s                     # unit of the value column
    source: hardware                 # key of the table in the `tables` mapping
    filter: {type: {not_in: [CPU]}}  # column: value | [values] | {contains: text} | {not_in: [..]}
    value: peak_tensor_16bit_flop_per_s
    date: release_date               # a Date column
    year: null                       # optional column of fractional years (else from date)
    label_column: name               # optional column naming each point
    window: {start: "2012-01-01", end: "2025-12-31"}   # inclusive; either may be null
    devices: [top_per_year, all]     # selections to fit; the first is the headline
    claim: {vintage: "2023", figure: hw_scaling, series: "HW FLOPS"}   # optional

Device selection: `all` keeps every point; `top_per_year` keeps, for each calendar year of
the date column, the one point with the largest value (the frontier, as the paper's figures
mostly plot flagship devices). Fitting both shows how much the choice moves the rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import polars as pl

SELECTIONS = ("all", "top_per_year")
SPEC_KEYS = frozenset(
    ("id", "label", "unit", "source", "filter", "value", "date", "year", "label_column",
     "window", "devices", "claim")
)  # fmt: skip
REQUIRED_KEYS = ("id", "source", "value", "date")
POINT_COLUMNS = ("series_id", "selection", "date", "year", "value", "label")


class SeriesError(ValueError):
    """A series spec that does not fit its table (unknown column, source or selection)."""


def _filter_expr(column: str, condition: object) -> pl.Expr:
    if isinstance(condition, Mapping):
        if set(condition) == {"contains"}:
            text = str(condition["contains"])
            return pl.col(column).cast(pl.String).str.contains(text, literal=True)
        if set(condition) == {"not_in"}:
            # A missing value is not in the list: keep it.
            return pl.col(column).is_in(list(condition["not_in"])).not_().fill_null(True)
        raise SeriesError(
            f"filter on '{column}': only {{contains: text}} and {{not_in: [values]}} are known"
        )
    if isinstance(condition, list | tuple):
        return pl.col(column).is_in(list(condition))
    return pl.col(column) == condition


def fractional_years(dates: pl.Expr) -> pl.Expr:
    """`memwall.trends.fractional_year` of each date, column-wise (the same float, bit for bit:
    year + (day of year - 1) / days in the year, each step one IEEE operation)."""
    days = pl.when(dates.dt.is_leap_year()).then(366.0).otherwise(365.0)
    return dates.dt.year().cast(pl.Float64) + ((dates.dt.ordinal_day() - 1).cast(pl.Float64) / days)


def _window_bound(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def check_spec(spec: Mapping) -> None:
    """Refuse a spec with a missing or unknown key (a YAML flow mapping split at a comma in an
    unquoted label makes a stray key; it must not pass silently)."""
    missing = [k for k in REQUIRED_KEYS if k not in spec]
    unknown = sorted(str(k) for k in spec if k not in SPEC_KEYS)
    if missing or unknown:
        raise SeriesError(
            f"series '{spec.get('id')}': missing keys {missing}, unknown keys {unknown}"
            f" (known: {sorted(SPEC_KEYS)})"
        )


def selections(spec: Mapping) -> list[str]:
    """The device selections a spec asks for, headline first (default: all points)."""
    chosen = spec.get("devices") or ["all"]
    chosen = [chosen] if isinstance(chosen, str) else list(chosen)
    unknown = [s for s in chosen if s not in SELECTIONS]
    if unknown:
        raise SeriesError(f"series '{spec['id']}': unknown device selection {unknown}")
    return chosen


def top_per_year(points: pl.DataFrame) -> pl.DataFrame:
    """For each calendar year, the point with the largest value (ties: earliest, then label)."""
    return (
        points.sort(["value", "date", "label"], descending=[True, False, False], nulls_last=True)
        .group_by(pl.col("date").dt.year().alias("_calendar_year"), maintain_order=True)
        .first()
        .drop("_calendar_year")
        .sort(["date", "label"])
    )


def series_points(spec: Mapping, tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """All points of a series, one row per point and selection, sorted by selection and date.

    Columns: series_id, selection, date, year (fractional), value, label. Rows with a missing,
    non-finite or non-positive value or a missing date are left out (a log fit cannot use
    them).
    """
    check_spec(spec)
    source = spec["source"]
    if source not in tables:
        raise SeriesError(f"series '{spec['id']}': no table '{source}' (have {sorted(tables)})")
    table = tables[source]
    wanted = [spec["value"], spec["date"], *(spec.get(k) for k in ("year", "label_column"))]
    wanted += list((spec.get("filter") or {}).keys())
    missing = [c for c in wanted if c is not None and c not in table.columns]
    if missing:
        raise SeriesError(f"series '{spec['id']}': table '{source}' has no column {missing}")
    frame = table
    for column, condition in (spec.get("filter") or {}).items():
        frame = frame.filter(_filter_expr(column, condition))
    window = spec.get("window") or {}
    start, end = _window_bound(window.get("start")), _window_bound(window.get("end"))
    label = pl.col(spec["label_column"]).cast(pl.String) if spec.get("label_column") else None
    points = frame.select(
        pl.col(spec["date"]).cast(pl.Date).alias("date"),
        (pl.col(spec["year"]).cast(pl.Float64) if spec.get("year") else pl.lit(None))
        .cast(pl.Float64)
        .alias("year"),
        pl.col(spec["value"]).cast(pl.Float64).alias("value"),
        (label if label is not None else pl.lit(None, dtype=pl.String)).alias("label"),
    )
    if start is not None:
        points = points.filter(pl.col("date") >= start)
    if end is not None:
        points = points.filter(pl.col("date") <= end)
    points = points.filter(
        pl.col("date").is_not_null() & pl.col("value").is_finite() & (pl.col("value") > 0)
    )
    points = points.with_columns(
        pl.when(pl.col("year").is_null())
        .then(fractional_years(pl.col("date")))
        .otherwise(pl.col("year"))
        .alias("year")
    ).sort(["date", "label"], nulls_last=True)
    chosen = []
    for selection in selections(spec):
        picked = top_per_year(points) if selection == "top_per_year" else points
        chosen.append(picked.with_columns(pl.lit(selection).alias("selection")))
    return (
        pl.concat(chosen).with_columns(pl.lit(spec["id"]).alias("series_id")).select(POINT_COLUMNS)
    )
