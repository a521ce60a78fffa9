"""A contributed accelerator enters the published hardware table through `dvc repro`: the
file is registered under raw/contrib/ with the snapshot tool (kind contrib), and every cell
of the new device is traced to that file's line and column, with its raw text."""

from __future__ import annotations

import csv
import io
import shutil
import sys

import polars as pl
import pytest

from support import REPO, run

pytestmark = [pytest.mark.slow, pytest.mark.rebuilds]

EXAMPLE = REPO / "examples/contrib/nvidia-l40s.csv"
DEST = "raw/contrib/nvidia-l40s.csv"


@pytest.fixture(scope="module")
def contributed(tmp_path_factory, built_repo):
    """A built copy with the L40S example registered and `dvc repro export` run once."""
    root = tmp_path_factory.mktemp("contributed") / "built"
    shutil.copytree(built_repo, root, symlinks=True)
    run(
        [
            sys.executable,
            "-m",
            "memwall.tools.snapshot",
            "add",
            str(EXAMPLE),
            DEST,
            "--id",
            "contrib-nvidia-l40s",
            "--kind",
            "contrib",
            "--evidence",
            "https://resources.nvidia.com/en-us-l40s/l40s-datasheet-28413",
            "--note",
            "NVIDIA L40S datasheet: peak FP32, dense FP16/BF16 tensor and FP8, memory, TDP.",
        ],
        root,
    )
    run(["dvc", "repro", "export"], root)
    return root


def test_the_contributed_device_is_published_with_its_values(contributed):
    row = next(csv.DictReader(io.StringIO(EXAMPLE.read_text(encoding="utf-8"))))
    hardware = pl.read_parquet(contributed / "processed/hardware.parquet")
    l40s = hardware.filter(pl.col("hardware_id") == "nvidia-l40s").row(0, named=True)
    assert l40s["name"] == row["name"] == "NVIDIA L40S"
    assert l40s["memory_bandwidth_bytes_per_s"] == float(row["memory_bandwidth_bytes_per_s"])
    assert l40s["memory_bytes"] == int(row["memory_bytes"])
    assert l40s["peak_fp16_flop_per_s"] is None  # blank in the file: unknown, not zero
    # 362.05 TFLOP/s / 864 GB/s
    assert l40s["ridge_point_flop_per_byte"] == pytest.approx(362.05e12 / 864e9, rel=1e-12)


def test_every_cell_of_the_device_names_the_file_line_and_column(contributed):
    text = EXAMPLE.read_text(encoding="utf-8")
    header, line2 = text.split("\n")[:2]
    starts, column = {}, 1
    for name, cell in zip(header.split(","), line2.split(","), strict=True):
        starts[name] = (column, cell)
        column += len(cell) + 1
    cells = pl.read_parquet(contributed / "processed/provenance.parquet").filter(
        (pl.col("table") == "hardware") & (pl.col("model_id") == "nvidia-l40s")
    )
    located = cells.filter(pl.col("status") != "derived")
    assert located.height == len(starts) - 2  # all but hardware_id and the ridge point
    for r in located.iter_rows(named=True):
        assert (r["source"], r["source_id"], r["line"]) == (DEST, "contrib-nvidia-l40s", 2)
        assert (r["char"], r["raw"]) == starts[r["field"]], r["field"]


def test_the_parse_stage_leaves_the_hardware_file_to_the_hardware_stage(contributed):
    cells = pl.read_parquet(contributed / "interim/cells.parquet")
    rejects = pl.read_parquet(contributed / "interim/parse_rejects.parquet")
    assert cells.filter(pl.col("source_id") == "contrib-nvidia-l40s").is_empty()
    assert rejects.filter(pl.col("source_id") == "contrib-nvidia-l40s").is_empty()


def test_the_table_grows_by_one_device_and_no_record_is_rejected(contributed, built_repo):
    before = pl.read_parquet(built_repo / "processed/hardware.parquet")
    after = pl.read_parquet(contributed / "processed/hardware.parquet")
    assert after.height == before.height + 1
    assert pl.read_parquet(contributed / "interim/hardware_rejects.parquet").is_empty()
