"""Contributed hardware sources (raw/contrib/, kind contrib) stacked on the datasheet snapshot
by the `hardware` stage: new devices added, a device restated by a later source replaced
whole, its earlier record rejected with the place that superseded it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from memwall.hardware import HardwareInputError, read_hardware
from memwall.hardware_columns import load_mapping
from memwall.hardware_sources import contributed_hardware_paths, read_contributed, stack
from memwall.sources import load_catalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "contrib"
REPO = Path(__file__).resolve().parents[2]
SNAPSHOT_HEADER = (REPO / "raw/epoch/ml_hardware.csv").read_text(encoding="utf-8").split("\n")[0]


def snapshot_text(*rows: dict[str, str]) -> str:
    """A snapshot in Epoch's columns holding `rows` (other cells blank)."""
    header = SNAPSHOT_HEADER.split(",")
    lines = [SNAPSHOT_HEADER] + [",".join(r.get(h, "") for h in header) for r in rows]
    return "\n".join(lines) + "\n"


ALPHA = {"Hardware name": "Alpha X1", "Release date": "2020-05-14", "TDP (W)": "300.0"}
BETA = {"Hardware name": "Beta Y2", "Release date": "2021-01-01", "TDP (W)": "250.0"}
PUBLISHED = (
    "name,manufacturer,type,release_date,peak_fp32_flop_per_s,peak_fp16_flop_per_s,"
    "peak_tensor_16bit_flop_per_s,peak_fp8_flop_per_s,memory_bytes,"
    "memory_bandwidth_bytes_per_s,intranode_bandwidth_bytes_per_s,"
    "internode_bandwidth_bytes_per_s,tdp_watts,datasheet_url\n"
    "Beta Y2,Beta,GPU,2021-01-01,,,,,,,,,260,https://beta.example/y2\n"
    "Gamma Z3,Gamma,GPU,2022-02-02,,,2e14,,,1e12,,,400,\n"
)


def write(root: Path, path: str, text: str) -> str:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")
    return hashlib.sha256(text.encode()).hexdigest()


def test_a_later_source_adds_devices_and_replaces_a_device_whole(tmp_path):
    snapshot = read_hardware(snapshot_text(ALPHA, BETA), "raw/epoch/snap.csv", load_mapping())
    digest = write(tmp_path, "raw/contrib/more.csv", PUBLISHED)
    merged = stack([snapshot, read_contributed(tmp_path, "raw/contrib/more.csv", digest)])
    hardware = merged.hardware
    assert hardware["hardware_id"].to_list() == ["alpha-x1", "beta-y2", "gamma-z3"]
    beta = hardware.row(1, named=True)
    assert (beta["tdp_watts"], beta["manufacturer"]) == (260.0, "Beta")  # the later row's
    gamma = hardware.row(2, named=True)
    assert gamma["ridge_point_flop_per_byte"] == pytest.approx(200.0)  # 2e14 / 1e12
    # Beta's cells cite the contributed file: line 2, TDP in the 13th column.
    tdp = merged.provenance.filter(
        (pl.col("hardware_id") == "beta-y2") & (pl.col("field") == "tdp_watts")
    ).row(0, named=True)
    line2 = PUBLISHED.split("\n")[1]
    assert (tdp["source"], tdp["line"], tdp["raw"]) == ("raw/contrib/more.csv", 2, "260")
    assert tdp["char"] == line2.index(",260,") + 2
    # The snapshot's Beta record (line 3) is a reject naming the record that replaced it.
    [reject] = merged.rejects.to_dicts()
    assert (reject["source"], reject["line"], reject["code"]) == (
        "raw/epoch/snap.csv",
        3,
        "hardware-superseded",
    )
    assert "raw/contrib/more.csv:2" in reject["reason"]
    # Every cell of one device comes from one source.
    sources = (
        merged.provenance.drop_nulls("source")
        .group_by("hardware_id")
        .agg(pl.col("source").n_unique())
    )
    assert sources["source"].to_list() == [1, 1, 1]


def test_without_contributions_the_snapshot_tables_are_unchanged():
    snapshot = read_hardware(snapshot_text(ALPHA, BETA), "snap.csv", load_mapping())
    assert stack([snapshot]) is snapshot


def test_a_contributed_markdown_table_is_read_with_its_cell_positions(tmp_path):
    text = (FIXTURES / "hardware-valid-published.md").read_text(encoding="utf-8")
    digest = write(tmp_path, "raw/contrib/l40s.md", text)
    tables = read_contributed(tmp_path, "raw/contrib/l40s.md", digest)
    row_line = text.split("\n")[4]
    cell = tables.provenance.filter(pl.col("field") == "memory_bandwidth_bytes_per_s").row(
        0, named=True
    )
    assert (cell["line"], cell["char"], cell["raw"]) == (
        5,
        row_line.index("8.64e11") + 1,
        "8.64e11",
    )
    assert tables.hardware["memory_bandwidth_bytes_per_s"].to_list() == [8.64e11]


def test_bytes_other_than_the_registered_ones_stop_the_stage(tmp_path):
    write(tmp_path, "raw/contrib/more.csv", PUBLISHED)
    with pytest.raises(HardwareInputError, match="sha256 differs"):
        read_contributed(tmp_path, "raw/contrib/more.csv", "0" * 64)


def test_a_contributed_hardware_file_with_a_renamed_column_stops_the_stage_naming_it(tmp_path):
    text = PUBLISHED.replace("tdp_watts", "tdp_w")
    digest = write(tmp_path, "raw/contrib/more.csv", text)
    with pytest.raises(HardwareInputError) as caught:
        read_contributed(tmp_path, "raw/contrib/more.csv", digest)
    assert any("'tdp_w'" in p for p in caught.value.problems)


def test_only_contributed_sources_with_a_hardware_header_are_hardware(tmp_path):
    write(tmp_path, "raw/contrib/more.csv", PUBLISHED)
    write(tmp_path, "raw/contrib/model.md", (FIXTURES / "valid_new_model.md").read_text())
    (tmp_path / "raw/sources.yaml").write_text(
        "licence: {id: MIT}\ncitation: c\nsources:\n"
        "  - {id: contrib-model, path: raw/contrib/model.md, kind: contrib, evidence: e}\n"
        "  - {id: contrib-more, path: raw/contrib/more.csv, kind: contrib, evidence: e}\n",
        encoding="utf-8",
    )
    catalog = load_catalog(tmp_path / "raw/sources.yaml")
    assert contributed_hardware_paths(catalog, tmp_path) == ["raw/contrib/more.csv"]
