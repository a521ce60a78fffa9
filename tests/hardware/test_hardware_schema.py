"""The pandera gate of the hardware table: passes the real snapshot, stops what breaks it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from memwall.fields import HARDWARE
from memwall.hardware import read_hardware
from memwall.hardware_columns import load_mapping
from memwall.hardware_schema import hardware_provenance_schema, hardware_schema
from memwall.schemas import schema_problems
from memwall.textio import read_text

REPO = Path(__file__).resolve().parents[2]
LATEST = dt.date(2025, 12, 14)


@pytest.fixture(scope="module")
def tables():
    text, _ = read_text(REPO / "raw" / "epoch" / "ml_hardware.csv")
    return read_hardware(text, "raw/epoch/ml_hardware.csv", load_mapping())


def test_schema_columns_are_the_declared_fields_in_order():
    assert list(hardware_schema(LATEST).columns) == [f.name for f in HARDWARE]


def test_the_epoch_snapshot_passes_both_schemas(tables):
    assert schema_problems(hardware_schema(LATEST), tables.hardware) == []
    assert schema_problems(hardware_provenance_schema(), tables.provenance) == []


def test_a_duplicate_id_a_bad_slug_and_a_negative_bandwidth_are_stopped(tables):
    frame = tables.hardware.head(3).with_columns(
        pl.Series("hardware_id", ["same", "same", "Bad Id"]),
        pl.Series("memory_bandwidth_bytes_per_s", [-1.0, None, None]),
        pl.lit(None, pl.Float64).alias("ridge_point_flop_per_byte"),
    )
    problems = "\n".join(schema_problems(hardware_schema(LATEST), frame))
    assert "column hardware_id: field_uniqueness" in problems
    assert "column hardware_id: hardware_id must be lowercase a-z" in problems
    assert "(value 'Bad Id')" in problems
    assert "memory_bandwidth_bytes_per_s must be at least 0 (value '-1.0')" in problems


def test_a_ridge_point_that_is_not_the_ratio_is_stopped(tables):
    frame = tables.hardware.with_columns(pl.col("ridge_point_flop_per_byte") * 1.01)
    assert schema_problems(hardware_schema(LATEST), frame) == [
        "hardware: row: ridge_point_flop_per_byte is peak_tensor_16bit_flop_per_s / "
        "memory_bandwidth_bytes_per_s, and null when either is"
    ]


def test_a_release_date_after_latest_is_stopped(tables):
    frame = tables.hardware.with_columns(pl.lit(dt.date(2030, 1, 1)).alias("release_date"))
    problems = schema_problems(hardware_schema(LATEST), frame)
    assert problems == [
        "hardware: column release_date: release_date must be between 1990-01-01 and "
        "2025-12-14 (value '2030-01-01')"
    ]


def test_provenance_with_a_value_but_status_unknown_is_stopped(tables):
    broken = tables.provenance.with_columns(
        pl.when(pl.col("status") == "value")
        .then(pl.lit("unknown"))
        .otherwise("status")
        .alias("status")
    )
    problems = schema_problems(hardware_provenance_schema(), broken)
    assert problems and all("value is present exactly" in p for p in problems)
