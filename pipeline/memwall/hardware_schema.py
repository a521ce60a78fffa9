"""pandera schemas (polars backend) for the hardware table and its provenance.

Built from `fields.HARDWARE` with the same pieces as the model tables (`schemas.as_check`,
`rules.field_rules`, `merge.polars_dtype`), plus the rules only hardware has: the shape of
`hardware_id` and the ridge point being the ratio it claims to be. Imports pandera.
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl

from memwall.fields import HARDWARE
from memwall.hardware import PROVENANCE_SCHEMA, RIDGE
from memwall.hardware_cells import DERIVED, INVALID, UNKNOWN, VALUE
from memwall.rules import Rule, field_rules
from memwall.schemas import rules_schema

HARDWARE_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
STATUSES = (VALUE, UNKNOWN, INVALID, DERIVED)
# The ridge point is stored as computed; 1e-12 allows only float rounding of the division.
RIDGE_TOLERANCE = 1e-12


def hardware_rules(latest: dt.date) -> list[Rule]:
    """Every value rule of the hardware table: per-column rules, then the table's own."""
    rules = [r for f in HARDWARE for r in field_rules(f, latest)]
    tensor, bandwidth = (
        pl.col("peak_tensor_16bit_flop_per_s"),
        pl.col("memory_bandwidth_bytes_per_s"),
    )
    ridge = pl.col(RIDGE)
    rules.append(
        Rule(
            "slug",
            "hardware_id",
            "hardware_id must be lowercase a-z and 0-9 words joined by single '-'",
            pl.col("hardware_id").str.contains(HARDWARE_ID_PATTERN),
        )
    )
    rules.append(
        Rule(
            "derived",
            None,
            f"{RIDGE} is peak_tensor_16bit_flop_per_s / memory_bandwidth_bytes_per_s, "
            "and null when either is",
            pl.when(tensor.is_null() | bandwidth.is_null())
            .then(ridge.is_null())
            .otherwise(
                ((ridge - tensor / bandwidth).abs() <= RIDGE_TOLERANCE * ridge).fill_null(False)
            ),
        )
    )
    return rules


def hardware_schema(latest: dt.date) -> pa.DataFrameSchema:
    """Schema of `processed/hardware`; `latest` is the newest release date accepted."""
    return rules_schema("hardware", HARDWARE, hardware_rules(latest))


def hardware_provenance_schema() -> pa.DataFrameSchema:
    """Schema of the hardware provenance: one row per (hardware_id, field), located if read."""
    columns = {name: pa.Column(dtype, nullable=True) for name, dtype in PROVENANCE_SCHEMA.items()}
    for name in ("hardware_id", "field", "status"):
        columns[name] = pa.Column(PROVENANCE_SCHEMA[name], nullable=False)
    columns["status"].checks = [pa.Check.isin(list(STATUSES))]
    columns["field"].checks = [pa.Check.isin([f.name for f in HARDWARE])]
    columns["line"].checks = [pa.Check.ge(1)]
    columns["char"].checks = [pa.Check.ge(1)]

    def located(data: pa.PolarsData) -> pl.LazyFrame:
        status, line = pl.col("status"), pl.col("line")
        return data.lazyframe.select(
            pl.when(status == DERIVED)
            .then(line.is_null())
            .when(pl.col("field") == RIDGE)
            .then(True)
            .otherwise(line.is_not_null() & pl.col("source").is_not_null())
        )

    def valued(data: pa.PolarsData) -> pl.LazyFrame:
        status = pl.col("status")
        return data.lazyframe.select(
            pl.col("value").is_not_null() == status.is_in([VALUE, DERIVED])
        )

    return pa.DataFrameSchema(
        columns,
        checks=[
            pa.Check(located, error="every cell read from the snapshot names its line"),
            pa.Check(valued, error="a value is present exactly when the status is value/derived"),
        ],
        unique=["hardware_id", "field"],
        strict=True,
        ordered=True,
        name="hardware_provenance",
    )
