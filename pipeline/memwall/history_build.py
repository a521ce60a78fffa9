"""The history from the pipeline's interim outputs, without parsing anything again.

The parse stage reads every upstream README version (`memwall.parse`, the history-capable
parser) and the normalize stage reads each row once (corrections, aliases, units, unit
conventions) into observations stamped with their version. Here those observations become
the history's cells, the parsed cells say which versions have which table, and the parse
rejects and the normalize ledger give the rows that did not make it, each with a reason.
"""

from __future__ import annotations

import polars as pl

from memwall import codes
from memwall.fields import HISTORY
from memwall.history import compute_changes
from memwall.history_parse import Version, history_table, versions_frame
from memwall.merge import polars_dtype
from memwall.tablekinds import HISTORIC_KINDS, KINDS
from memwall.units import UNKNOWN

# A stated cell of one version (history_cells adds `value` and `conventions`).
CELLS_SCHEMA = {
    "version": pl.Int32,
    "table": pl.String,
    "kind": pl.String,
    "model_id": pl.String,
    "field": pl.String,
    "raw": pl.String,
    "canonical": pl.String,
    "value_printed": pl.Float64,
    "status": pl.String,
    "line": pl.Int32,
    "col": pl.Int32,
    "header": pl.String,
    "corrections": pl.String,
}
# An upstream data row left out of the history, with its reason.
REJECTS_SCHEMA = {
    "version": pl.Int32,
    "path": pl.String,
    "line": pl.Int32,
    "col": pl.Int32,
    "code": pl.String,
    "reason": pl.String,
    "text": pl.String,
}
# A table of one version: its layout, header and number of data rows.
TABLES_SCHEMA = {
    "version": pl.Int32,
    "table": pl.String,
    "kind": pl.String,
    "header_line": pl.Int32,
    "header_text": pl.String,
    "data_rows": pl.Int32,
}
DUPLICATE = codes.get("duplicate-row")
_DERIVED_FIELDS = ("model_id", "domain")
_NOT_NUMBERS = ("published", "model")
_TABLE_OF_KIND = {k.name: history_table(k) for k in KINDS + HISTORIC_KINDS}


def _table_expr() -> pl.Expr:
    return pl.col("kind").replace_strict(_TABLE_OF_KIND, return_dtype=pl.String)


def _number(column: str) -> pl.Expr:
    number = pl.col(column).cast(pl.Float64, strict=False)
    return pl.when(pl.col("field").is_in(_NOT_NUMBERS)).then(None).otherwise(number)


def history_tables(cells: pl.DataFrame) -> pl.DataFrame:
    """Which version has which table (TABLES_SCHEMA), from the parse stage's cells."""
    upstream = cells.filter(pl.col("version").is_not_null())
    return (
        upstream.group_by("version", "kind", "header_line", "header_text")
        .agg(pl.col("line").n_unique().alias("data_rows"))
        .with_columns(_table_expr().alias("table"))
        .select(list(TABLES_SCHEMA))
        .cast(TABLES_SCHEMA)
        .sort("version", "header_line")
    )


def history_cells(observations: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The stated cells of every upstream version (CELLS_SCHEMA plus `value`, `conventions`),
    one per (version, table, model_id, field), and the duplicate rows left out.

    A model stated twice in one table of one version keeps its first row; the later row's
    cells are left out and the row is returned as a `duplicate-row` (version, line,
    model_id, first_line). Blank cells state nothing and are not cells of the history; nor
    is a blank that a correction fills (its value is the registry's evidence, not upstream's
    text: the cell's raw text is empty).
    """
    stated = observations.filter(
        pl.col("version").is_not_null()
        & ~pl.col("field").is_in(_DERIVED_FIELDS)
        & (pl.col("status") != UNKNOWN)
        & (pl.col("raw").fill_null("") != "")
    ).select(
        "version",
        _table_expr().alias("table"),
        "kind",
        "model_id",
        "field",
        "raw",
        pl.col("value").alias("canonical"),
        _number("printed").alias("value_printed"),
        "status",
        pl.col("line").cast(pl.Int32),
        pl.col("char").cast(pl.Int32).alias("col"),
        pl.col("column").alias("header"),
        "corrections",
        _number("value").alias("value"),
        "conventions",
    )
    first = stated.group_by("version", "table", "model_id").agg(
        pl.col("line").min().alias("first_line")
    )
    stated = stated.join(first, on=["version", "table", "model_id"])
    duplicates = (
        stated.filter(pl.col("line") != pl.col("first_line"))
        .select("version", "line", "model_id", "first_line")
        .unique()
        .sort("version", "line")
    )
    kept = stated.filter(pl.col("line") == pl.col("first_line")).drop("first_line")
    columns = [*CELLS_SCHEMA, "value", "conventions"]
    return kept.select(columns).sort("version", "table", "line", "col", "field"), duplicates


def history_rejects(
    parse_rejects: pl.DataFrame, ledger: pl.DataFrame, duplicates: pl.DataFrame, paths: dict
) -> pl.DataFrame:
    """Every upstream data row that is not in the history, with its reason (REJECTS_SCHEMA).

    `paths` maps version number -> raw path; rows of other sources are left out.
    """
    versions = {f"upstream-v{n:02d}": n for n in paths}

    def upstream(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(pl.col("source_id").is_in(list(versions))).with_columns(
            pl.col("source_id").replace_strict(versions, return_dtype=pl.Int32).alias("version")
        )

    from_parse = upstream(parse_rejects).select(
        "version",
        pl.col("source").alias("path"),
        pl.col("line").cast(pl.Int32),
        pl.col("char").cast(pl.Int32).alias("col"),
        "code",
        "reason",
        "text",
    )
    rejected = ledger.filter((pl.col("outcome") == "rejected") & pl.col("table").is_not_null())
    from_normalize = upstream(rejected).select(
        "version",
        pl.col("source").alias("path"),
        pl.col("line").cast(pl.Int32),
        pl.lit(1, pl.Int32).alias("col"),
        "code",
        "reason",
        pl.col("text").fill_null(""),
    )
    from_duplicates = duplicates.select(
        "version",
        pl.col("version").replace_strict(paths, return_dtype=pl.String).alias("path"),
        "line",
        pl.lit(1, pl.Int32).alias("col"),
        pl.lit(DUPLICATE.code).alias("code"),
        pl.Series(
            "reason",
            [DUPLICATE.message(**r) for r in duplicates.iter_rows(named=True)],
            dtype=pl.String,
        ),
        pl.lit("").alias("text"),
    )
    return pl.concat(
        [f.cast(REJECTS_SCHEMA) for f in (from_parse, from_normalize, from_duplicates)]
    ).sort("version", "line", "col", "code")


def history_from_interim(
    observations: pl.DataFrame,
    cells: pl.DataFrame,
    parse_rejects: pl.DataFrame,
    ledger: pl.DataFrame,
    versions: list[Version],
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(history, rejects, tables) of every upstream version, from the interim outputs of the
    parse and normalize stages (see the module docstring). Cost: joins and sorts, O(n log n).
    """
    stated, duplicates = history_cells(observations)
    tables = history_tables(cells)
    history = compute_changes(stated, tables, versions_frame(versions))
    rejects = history_rejects(
        parse_rejects, ledger, duplicates, {v.number: v.path for v in versions}
    )
    return history, rejects, tables


def published_history(history: pl.DataFrame) -> pl.DataFrame:
    """The history as published: the columns and types of `fields.HISTORY`, in its order."""
    return history.select([pl.col(f.name).cast(polars_dtype(f)) for f in HISTORY])
