"""The figures stage as built by `dvc repro` (the session's built_repo)."""

from __future__ import annotations

import polars as pl

V2021, V2023 = (
    "943f8f54df92ec2ed91173aa90e57645551f03c8",
    "e14c1ed73ed58b75bac7e06b86715a8a509bb59c",
)


def test_figure_1_has_its_three_series_in_both_vintages(built_repo):
    points = pl.read_parquet(built_repo / "processed/figure_points.parquet")
    hw = points.filter(pl.col("figure") == "hw_scaling")
    counts = {(v[:7], s): n for v, s, n in hw.group_by("vintage", "series").len().iter_rows()}
    # 2021 spells the legend "Inteconnect BW"
    assert set(counts) == {
        (V2021[:7], "HW FLOPS"),
        (V2021[:7], "DRAM BW"),
        (V2021[:7], "Inteconnect BW"),
        (V2023[:7], "HW FLOPS"),
        (V2023[:7], "DRAM BW"),
        (V2023[:7], "Interconnect BW"),
    }
    assert all(n >= 8 for n in counts.values())
    assert (hw["value_unit"].drop_nulls().n_unique()) >= 1
    # each series starts at 1 (normalized to its first point)
    first = hw.sort("date").group_by("vintage", "series").agg(pl.col("value").first())
    assert first["value"].min() > 0.9 and first["value"].max() < 1.1


def test_every_figure_file_is_read_or_rejected_with_a_reason(built_repo):
    points = pl.read_parquet(built_repo / "processed/figure_points.parquet")
    rejects = pl.read_parquet(built_repo / "interim/figure_rejects.parquet")
    pdfs = sorted((built_repo / "raw/figures").glob("*/*.pdf"))
    read = set(points.select("vintage", "figure").unique().iter_rows())
    rejected = set(rejects.select("vintage", "figure").iter_rows())
    assert len(read) + len(rejected) == len(pdfs) == 8
    assert rejected == {(V2021, "gpu_memory_wall"), (V2023, "gpu_memory_wall")}
    assert set(rejects["code"]) == {"figure-no-axes"}


def test_claims_hold_the_legends_of_figure_1(built_repo):
    claims = pl.read_parquet(built_repo / "processed/figure_claims.parquet")
    flops = claims.filter((pl.col("vintage") == V2023) & (pl.col("series") == "HW FLOPS"))
    assert flops["factor_per_20_years"].item() == 60000
    assert flops["factor_per_2_years"].item() == 3.0


def test_crosscheck_report_says_hw_flops_is_dense_tensor_16bit(built_repo):
    report = (built_repo / "reports/figure_crosscheck.md").read_text(encoding="utf-8")
    verdicts = [ln for ln in report.splitlines() if ln.startswith("| e14c1ed | hw_scaling |")]
    flops = next(ln for ln in verdicts if "| HW FLOPS |" in ln)
    assert "measures `peak_tensor_16bit_flop_per_s`" in flops
    link = next(ln for ln in verdicts if "| Interconnect BW |" in ln)
    assert "measures `internode_bandwidth_bytes_per_s`" in link


def test_figure_findings_reach_the_report(built_repo):
    report = (built_repo / "reports/findings.md").read_text(encoding="utf-8")
    assert "figure-date-mismatch" in report and "figure-value-unmatched" in report
