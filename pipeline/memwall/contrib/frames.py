"""A contribution as two frames: its rows and their observations, positions as columns.

The column-wise CSV reader builds these frames directly; the markdown and JSON readers build
`ContribRow`s, which `from_rows` turns into the same frames. Every check after reading works
on the frames (joins, group-bys and filters), so its cost does not grow with a Python object
per cell.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from memwall.contrib.rows import ContribRow
from memwall.merge import OBSERVATION_SCHEMA

# One row per data row of a contribution, in reading order. `line` and `char` are where the
# row starts: column 1 of its line, or a JSON record's "{" (one line may hold several).
ROW_SCHEMA = {
    "path": pl.String,
    "line": pl.Int64,
    "char": pl.Int64,
    "table": pl.String,
    "model_id": pl.String,
    "model_column": pl.Int64,
    "readable": pl.Boolean,
}
# The observation columns a contributed cell fills (the rest of OBSERVATION_SCHEMA is null),
# plus the row it belongs to: `path`, `row_line` and `row_char` (a quoted field may move
# `line` on).
OBSERVED = (
    "table",
    "model_id",
    "field",
    "value",
    "status",
    "raw",
    "source_id",
    "source",
    "rank",
    "line",
    "char",
    "column",
    "corrections",
)
OBS_SCHEMA = {
    **{k: OBSERVATION_SCHEMA[k] for k in OBSERVED},
    "path": pl.String,
    "row_line": pl.Int64,
    "row_char": pl.Int64,
}
ROW_KEY = ["path", "row_line", "row_char"]


def row_keys(rows: pl.DataFrame, *more: str) -> pl.DataFrame:
    """The `ROW_KEY` of each row of a rows frame (ROW_SCHEMA), then the columns `more`."""
    return rows.select(
        "path", pl.col("line").alias("row_line"), pl.col("char").alias("row_char"), *more
    )


@dataclass
class Contribution:
    """`rows` (ROW_SCHEMA) and `observations` (OBS_SCHEMA) of one or more files."""

    rows: pl.DataFrame
    observations: pl.DataFrame

    @classmethod
    def empty(cls) -> Contribution:
        """No rows."""
        return cls(pl.DataFrame(schema=ROW_SCHEMA), pl.DataFrame(schema=OBS_SCHEMA))

    @classmethod
    def concat(cls, parts: list[Contribution]) -> Contribution:
        """Several contributions, in order."""
        if not parts:
            return cls.empty()
        return cls(
            pl.concat([p.rows.select(*ROW_SCHEMA) for p in parts]),
            pl.concat([p.observations.select(*OBS_SCHEMA) for p in parts]),
        )

    def valid_rows(self) -> pl.DataFrame:
        """Rows read with a model (the ones the checks see)."""
        return self.rows.filter(pl.col("readable") & pl.col("model_id").is_not_null())

    def observations_frame(self) -> pl.DataFrame:
        """Observations of valid rows, as the pipeline's observation frame."""
        mine = row_keys(self.valid_rows())
        frame = self.observations.join(mine, on=ROW_KEY, how="semi", maintain_order="left")
        missing = [
            pl.lit(None, t).alias(c) for c, t in OBSERVATION_SCHEMA.items() if c not in OBS_SCHEMA
        ]
        return frame.with_columns(missing).select(*OBSERVATION_SCHEMA)


# Rows turned into frames at a time by `from_row_stream`: their observation records (about
# 1 KB each as Python dicts) are dropped once they are a frame, so memory follows the frames.
CHUNK_ROWS = 5_000


def from_row_stream(rows: Iterable[ContribRow]) -> Contribution:
    """The frames of row-wise readers' rows, built `CHUNK_ROWS` rows at a time."""
    rows = iter(rows)
    parts = []
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        parts.append(from_rows(chunk))
    return Contribution.concat(parts)


def from_rows(rows: list[ContribRow]) -> Contribution:
    """The frames of row-wise readers' rows."""
    row_frame = pl.DataFrame(
        {
            "path": [r.path for r in rows],
            "line": [r.line for r in rows],
            "char": [r.char for r in rows],
            "table": [r.table for r in rows],
            "model_id": [r.model_id for r in rows],
            "model_column": [r.model_column for r in rows],
            "readable": [r.readable for r in rows],
        },
        schema=ROW_SCHEMA,
    )
    records = [
        {**{k: o[k] for k in OBSERVED}, "path": r.path, "row_line": r.line, "row_char": r.char}
        for r in rows
        for o in r.observations
    ]
    return Contribution(row_frame, pl.DataFrame(records, schema=OBS_SCHEMA, orient="row"))


def observation_base(table: str, path: str, source: dict) -> dict[str, pl.Expr]:
    """The observation columns every cell of one contributed table shares (its table, source,
    rank and path) plus those it takes from its row (`_id`, `line`), as polars expressions
    for the column-wise readers' `select`."""
    return {
        "table": pl.lit(table),
        "model_id": pl.col("_id"),
        "source_id": pl.lit(source["source_id"]),
        "source": pl.lit(source["source"]),
        "rank": pl.lit(source["rank"], pl.Int32),
        "corrections": pl.lit(""),
        "path": pl.lit(path),
        "row_line": pl.col("line"),
        "row_char": pl.lit(1, pl.Int64),
    }
