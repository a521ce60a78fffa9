"""processed/provenance: the model tables' provenance and the hardware table's, in one table.

The hardware provenance (`memwall.hardware`: hardware_id, field, value, status, raw, source,
line, char, column, reason) is published with `table` = "hardware" and its hardware_id in the
`model_id` column (the row id of every table), the source id of its raw file from
raw/sources.yaml and no corrections (hardware cells are never corrected here).
"""

from __future__ import annotations

import polars as pl

from memwall.fields import PROVENANCE
from memwall.merge import polars_dtype

HARDWARE_TABLE = "hardware"


def provenance_schema() -> dict[str, pl.DataType]:
    """Column -> polars type of the published provenance, from `fields.PROVENANCE`."""
    return {f.name: polars_dtype(f) for f in PROVENANCE}


def hardware_as_published(provenance: pl.DataFrame, source_ids: dict[str, str]) -> pl.DataFrame:
    """The hardware provenance in the published provenance's columns; `source_ids` maps a raw
    path to its id in raw/sources.yaml."""
    schema = provenance_schema()
    return provenance.select(
        pl.lit(HARDWARE_TABLE).alias("table"),
        pl.col("hardware_id").alias("model_id"),
        "field",
        "value",
        "status",
        "raw",
        "source",
        pl.col("source")
        .replace_strict(source_ids, default=None, return_dtype=pl.String)
        .alias("source_id"),
        "line",
        "char",
        "column",
        pl.lit(None, pl.String).alias("corrections"),
        "reason",
    ).cast(schema)


def published_provenance(
    models: pl.DataFrame, hardware: pl.DataFrame, source_ids: dict[str, str]
) -> pl.DataFrame:
    """The model tables' provenance (as normalize wrote it) followed by the hardware's."""
    schema = provenance_schema()
    return pl.concat(
        [models.select(list(schema)).cast(schema), hardware_as_published(hardware, source_ids)]
    )
