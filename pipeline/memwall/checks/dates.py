"""Dates: publication dates inside the dataset's range, and memory-table years that match them.

The newest date accepted is a parameter (`validate.latest_date`), never today's date, so the
check gives the same answer on every run.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from memwall.checks.base import Finding, declared_finding


def published_date_range(cells: pl.DataFrame, params: dict) -> list[Finding]:
    """`date-out-of-range`: a publication date before `earliest_date` or after `latest_date`."""
    earliest = dt.date.fromisoformat(str(params["earliest_date"]))
    latest = dt.date.fromisoformat(str(params["latest_date"]))
    rows = cells.filter((pl.col("field") == "published") & (pl.col("status") == "value"))
    # Python re-reads only the dates polars does not show inside the range (an ISO date it
    # parses is the date `date.fromisoformat` reads): the few findings, not every model.
    day = pl.col("value").str.to_date("%Y-%m-%d", strict=False)
    iso = pl.col("value").str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    inside = (iso & day.is_between(pl.lit(earliest), pl.lit(latest))).fill_null(False)
    rows = rows.filter(~inside).sort("model_id", "at")
    findings = []
    for r in rows.iter_rows(named=True):
        date = dt.date.fromisoformat(r["value"])
        if earliest <= date <= latest:
            continue
        future = date > latest
        findings.append(
            declared_finding(
                "date-out-of-range",
                variant="future" if future else None,
                model_id=r["model_id"],
                fields=("published",),
                observed={"published": r["text"]},
                expected=f"published between {earliest} and {latest}",
                sources=(r["at"],),
                text=r["text"],
                date=date,
                bound=latest if future else earliest,
            )
        )
    return findings


def year_vs_published(cells: pl.DataFrame, params: dict) -> list[Finding]:
    """`year-vs-published`: the memory table's year is the year of the model's publication.

    Compares every stated year and date (superseded ones too). A warning: papers carry more
    than one date (preprint, conference), but the dataset should use one.
    """
    slack = int(params["year_tolerance"])
    stated = cells.filter(pl.col("status") == "value")
    years = stated.filter((pl.col("table") == "memory") & (pl.col("field") == "year"))
    dates = stated.filter((pl.col("table") == "models") & (pl.col("field") == "published"))
    pairs = years.join(dates, on="model_id", suffix="_date").sort("model_id", "at", "at_date")
    findings = []
    for r in pairs.iter_rows(named=True):
        published_year = dt.date.fromisoformat(r["value_date"]).year
        if abs(int(r["value"]) - published_year) <= slack:
            continue
        findings.append(
            declared_finding(
                "year-vs-published",
                model_id=r["model_id"],
                fields=("published", "year"),
                observed={"year": r["text"], "published": r["text_date"]},
                expected=f"year = {published_year}",
                sources=(r["at_date"], r["at"]),
                year=r["text"],
                published=r["text_date"],
                published_year=published_year,
            )
        )
    return findings
