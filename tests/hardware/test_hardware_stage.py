"""The hardware stage as built by `dvc repro` (the session's built_repo), checked against the
raw CSV read independently with Python's csv module."""

from __future__ import annotations

import csv
import io
import shutil

import polars as pl
import pytest

import memwall
from support import FIXTURES, run

SNAPSHOT = "raw/epoch/ml_hardware.csv"
H100 = "NVIDIA H100 SXM5 80GB"


def _raw_records(root) -> list[tuple[int, int, dict]]:
    """(first line, last line, cells by header) of every record, from the csv module."""
    text = (root / SNAPSHOT).read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    out, previous = [], reader.line_num
    for row in reader:
        out.append((previous + 1, reader.line_num, dict(zip(header, row, strict=True))))
        previous = reader.line_num
    return out


def _h100(root) -> tuple[int, int, dict]:
    (record,) = [r for r in _raw_records(root) if r[2]["Hardware name"] == H100]
    return record


@pytest.fixture
def in_built_repo(built_repo, monkeypatch):
    monkeypatch.chdir(built_repo)
    return built_repo


def test_every_raw_record_is_one_device(built_repo):
    records = _raw_records(built_repo)
    hardware = pl.read_parquet(built_repo / "processed/hardware.parquet")
    rejects = pl.read_parquet(built_repo / "interim/hardware_rejects.parquet")
    assert hardware.height + rejects.height == len(records)
    assert sorted(hardware["name"]) == sorted(r[2]["Hardware name"] for r in records)


def test_h100_bandwidths_are_bytes_per_second_read_from_its_raw_line(in_built_repo):
    first, last, cells = _h100(in_built_repo)
    row = memwall.load("hardware").filter(pl.col("name") == H100).row(0, named=True)
    # Epoch gives memory bandwidth in byte/s and internode bandwidth in bit/s.
    assert row["memory_bandwidth_bytes_per_s"] == float(cells["Memory bandwidth (byte/s)"])
    assert row["memory_bandwidth_bytes_per_s"] == 3.35e12
    assert row["internode_bandwidth_bytes_per_s"] == 400e9 / 8
    assert cells["Internode bandwidth (bit/s)"] == "400000000000.0"

    hardware_id = row["hardware_id"]
    lines = (in_built_repo / SNAPSHOT).read_text(encoding="utf-8-sig").split("\n")
    for field, column in (
        ("memory_bandwidth_bytes_per_s", "Memory bandwidth (byte/s)"),
        ("internode_bandwidth_bytes_per_s", "Internode bandwidth (bit/s)"),
    ):
        where = memwall.provenance(hardware_id, field, table="hardware")
        assert where["table"] == "hardware" and where["model_id"] == hardware_id
        assert where["status"] == "value"
        assert where["source"] == SNAPSHOT and where["source_id"] == "epoch-ml-hardware"
        assert where["column"] == column and where["raw"] == cells[column]
        # the record spans several lines (quoted notes); the cell is on one of them
        assert first <= where["line"] <= last
        assert lines[where["line"] - 1][where["char"] - 1 :].startswith(cells[column])
        assert where["url"].endswith(f"/ml_hardware.csv#L{where['line']}")


def test_h100_ridge_point_is_computed_by_hand(in_built_repo):
    row = memwall.load("hardware").filter(pl.col("name") == H100).row(0, named=True)
    # 989.4 TFLOP/s dense BF16 / 3.35 TB/s = 295.34 FLOP per byte
    assert row["ridge_point_flop_per_byte"] == pytest.approx(295.3432835820896, rel=1e-12)
    where = memwall.provenance(row["hardware_id"], "ridge_point_flop_per_byte", table="hardware")
    assert where["status"] == "derived" and where["source"] is None
    assert "memory_bandwidth_bytes_per_s" in where["reason"]


def test_published_provenance_covers_every_hardware_cell(built_repo):
    hardware = pl.read_parquet(built_repo / "processed/hardware.parquet")
    prov = pl.read_parquet(built_repo / "processed/provenance.parquet").filter(
        pl.col("table") == "hardware"
    )
    # one row per cell of every column but hardware_id, which is the row id (model_id here)
    assert prov.height == hardware.height * (hardware.width - 1)
    assert set(prov["model_id"]) == set(hardware["hardware_id"])
    assert set(prov["field"]) == set(hardware.columns) - {"hardware_id"}
    invalid = prov.filter(pl.col("status") == "invalid")
    assert invalid["model_id"].to_list() == ["nvidia-rtx-a4000"]
    assert invalid["reason"].item().startswith("no link starting with http")


def test_a_snapshot_with_a_renamed_column_stops_the_stage_naming_it(built_copy):
    shutil.copyfile(FIXTURES / "hardware/header_renames_memory_column.csv", built_copy / SNAPSHOT)
    result = run(["sh", "pipeline/run-stage", "hardware"], built_copy, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{SNAPSHOT}:1:")
    assert "unknown column 'Memory (bytes)'" in first
    assert "missing column 'Memory size per board (Byte)'" in result.stderr


def test_hardware_findings_reach_the_report(built_repo):
    report = (built_repo / "reports/findings.md").read_text(encoding="utf-8")
    for code in ("hardware-date-missing", "hardware-duplicate-figures", "hardware-invalid-cell"):
        assert code in report
