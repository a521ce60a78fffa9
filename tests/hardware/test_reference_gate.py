"""The validate gate's checks of the hardware and figure tables, on the real snapshot with one
defect planted at a time (no dvc build)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from memwall.hardware import read_snapshot
from memwall.hardware_columns import load_mapping
from memwall.reference_gate import csv_lineage_problems, figure_problems, hardware_problems
from support import REPO

SNAPSHOT = "raw/epoch/ml_hardware.csv"
LATEST = dt.date(2026, 12, 31)


@pytest.fixture(scope="module")
def tables():
    return read_snapshot(REPO / SNAPSHOT, SNAPSHOT, load_mapping())


def test_the_real_snapshot_passes_the_gate(tables):
    assert hardware_problems(tables.hardware, tables.provenance, tables.rejects, LATEST, REPO) == []


def test_a_ridge_point_that_is_not_its_ratio_is_named_by_device(tables):
    tampered = tables.hardware.with_columns(
        pl.when(pl.col("hardware_id") == "nvidia-h100-sxm5-80gb")
        .then(pl.col("ridge_point_flop_per_byte") * 2)
        .otherwise(pl.col("ridge_point_flop_per_byte"))
        .alias("ridge_point_flop_per_byte")
    )
    found = hardware_problems(tampered, tables.provenance, tables.rejects, LATEST, REPO)
    assert found == [
        "hardware: hardware 'nvidia-h100-sxm5-80gb', row: ridge_point_flop_per_byte is "
        "peak_tensor_16bit_flop_per_s / memory_bandwidth_bytes_per_s, and null when either is"
    ]


def test_a_device_dropped_without_a_reject_is_an_accounting_problem(tables):
    dropped = tables.provenance.filter(pl.col("hardware_id") != "google-tpu-v4")
    line = tables.provenance.filter(
        (pl.col("hardware_id") == "google-tpu-v4") & (pl.col("field") == "name")
    )["line"].item()
    found = hardware_problems(tables.hardware, dropped, tables.rejects, LATEST, REPO)
    assert f"{SNAPSHOT}:{line}: record is neither a device nor rejected" in found


def test_raw_text_not_at_its_position_is_a_lineage_problem(tables):
    moved = tables.provenance.with_columns(
        pl.when((pl.col("hardware_id") == "google-tpu-v4") & (pl.col("field") == "tdp_watts"))
        .then(pl.col("char") + 1)
        .otherwise(pl.col("char"))
        .alias("char")
    )
    text = (REPO / SNAPSHOT).read_text(encoding="utf-8-sig")
    (problem,) = csv_lineage_problems(moved, text, SNAPSHOT)
    assert "hardware 'google-tpu-v4' tdp_watts: raw text" in problem


def test_a_figure_neither_read_nor_rejected_is_a_problem():
    points = pl.DataFrame(
        schema={
            "vintage": pl.String,
            "figure": pl.String,
        }
    )
    files = [(Path("raw/figures/v/hw_scaling.pdf"), "abc", "hw_scaling")]
    rejects = pl.DataFrame(schema={"vintage": pl.String, "figure": pl.String})
    found = figure_problems(points, points, rejects, files, LATEST)
    assert "raw/figures/v/hw_scaling.pdf: neither read nor rejected" in found
