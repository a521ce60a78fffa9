"""Upstream's history, cell by cell: what each README version states and how it changed.

`compute_changes` turns the stated cells of all versions (built by
`memwall.history_build.history_from_interim` from the parse and normalize stages' outputs)
into one frame with, for each (table, model_id, field), the change relative to the previous
version that had the table: `added`, `changed`, `same`, or `removed` (a removed cell appears
once, at the version that dropped it, with its last raw text, line and value). Changes
compare meanings (value in today's units and status), not printings: a number reprinted in
another form ("2/15/2018" -> "02/15/2018", or doubled by a unit change the conventions
registry undoes) is `same`, with `restated` true.
"""

from __future__ import annotations

import polars as pl

CHANGES = ("added", "changed", "same", "removed")
_KEY = ["table", "model_id", "field"]
_CARRIED = [
    "raw",
    "canonical",
    "value_printed",
    "value",
    "status",
    "line",
    "col",
    "header",
    "kind",
    "corrections",
    "conventions",
]
HISTORY_COLUMNS = [
    "version",
    "commit",
    "committed",
    "table",
    "model_id",
    "field",
    "raw",
    "value",
    "status",
    "line",
    "col",
    "header",
    "conventions",
    "corrections",
    "change",
    "restated",
    "canonical",
    "value_printed",
    "kind",
    "previous_version",
    "previous_raw",
    "previous_value",
    "previous_value_printed",
    "previous_status",
    "previous_line",
    "previous_canonical",
    "previous_conventions",
]


def table_versions(tables: pl.DataFrame) -> pl.DataFrame:
    """version, table, previous_version and next_version (among versions having the table)."""
    presence = tables.select("version", "table").unique().sort("table", "version")
    return presence.with_columns(
        pl.col("version").shift(1).over("table").alias("previous_version"),
        pl.col("version").shift(-1).over("table").alias("next_version"),
    )


def compute_changes(
    cells: pl.DataFrame, tables: pl.DataFrame, versions: pl.DataFrame
) -> pl.DataFrame:
    """The history frame (HISTORY_COLUMNS), sorted by version, table, line, col, field.

    `cells`: one row per stated cell, (version, table, model_id, field) unique, with the
    `_CARRIED` columns; `tables`: which versions have which table (version, table);
    `versions`: version, commit, committed. Cost: a few joins, O(n log n).
    """
    presence = table_versions(tables)
    current = cells.join(
        presence.select("version", "table", "previous_version"), on=["version", "table"]
    )
    previous = cells.select(
        pl.col("version").alias("previous_version"),
        *_KEY,
        *[pl.col(c).alias(f"previous_{c}") for c in _CARRIED],
    )
    joined = current.join(previous, on=["previous_version", *_KEY], how="left", coalesce=True)
    # A cell the previous version did not state is added, even when that version existed.
    same = pl.col("canonical").eq_missing(pl.col("previous_canonical")) & (
        pl.col("status") == pl.col("previous_status")
    )
    stated = joined.with_columns(
        pl.when(pl.col("previous_status").is_null())
        .then(pl.lit("added"))
        .when(same)
        .then(pl.lit("same"))
        .otherwise(pl.lit("changed"))
        .alias("change"),
    ).with_columns(
        pl.when(pl.col("change") == "added")
        .then(None)
        .otherwise(pl.col("previous_version"))
        .alias("previous_version")
    )
    dropped_at = cells.join(
        presence.select("version", "table", "next_version"), on=["version", "table"]
    ).filter(pl.col("next_version").is_not_null())
    removed = dropped_at.join(
        cells.select(pl.col("version").alias("next_version"), *_KEY),
        on=["next_version", *_KEY],
        how="anti",
    ).select(
        pl.col("next_version").alias("version"),
        *_KEY,
        *_CARRIED,
        pl.col("version").alias("previous_version"),
        *[pl.col(c).alias(f"previous_{c}") for c in _CARRIED],
        pl.lit("removed").alias("change"),
    )
    history = pl.concat([stated.select(removed.columns), removed], how="vertical_relaxed")
    history = history.with_columns(
        ((pl.col("change") == "same") & (pl.col("raw") != pl.col("previous_raw"))).alias("restated")
    ).join(versions.select("version", "commit", "committed"), on="version", how="left")
    order = pl.col("change").replace_strict({c: i for i, c in enumerate(CHANGES)})
    return (
        history.with_columns(order.alias("_order"))
        .sort("version", "table", "line", "col", "field", "_order", "model_id")
        .select(HISTORY_COLUMNS)
    )
