"""Stage `figures`: upstream's figure PDFs -> plotted points and claims, cross-checked.

Reads raw/figures/README.md (vintages) and the PDFs under raw/figures/<vintage>/,
interim/hardware.parquet, the label registry pipeline/memwall/data/figure_labels.yaml and
params `figures` (tolerance_log10, date_tolerance_days, min_devices). Writes
interim/figure_points.parquet (one row per marker), interim/figure_claims.parquet (legend
claims), interim/figure_rejects.parquet (figures without readable axes, with the reason),
reports/figure_crosscheck.md (what each series measures) and interim/figures_findings.json
(value and date disagreements, for the findings stage).
Library: `memwall.figure_points`, `memwall.figure_crosscheck`, `memwall.figure_report`.
"""

from __future__ import annotations

import sys

import polars as pl
import yaml

from memwall import config
from memwall.figure_crosscheck import crosscheck, label_map
from memwall.figure_points import read_figures
from memwall.figure_report import render_crosscheck
from memwall.figure_sources import figure_files, read_vintages
from memwall.report import write_area_findings


def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    params = config.stage_params("figures")
    files = figure_files(paths.figures_raw, read_vintages(paths.figures_readme))
    points, claims, rejects = read_figures(files)
    labels = label_map(yaml.safe_load(paths.figure_labels.read_text(encoding="utf-8"))["entries"])
    result = crosscheck(
        points,
        pl.read_parquet(paths.interim / "hardware.parquet"),
        labels,
        tolerance_log10=float(params["tolerance_log10"]),
        date_tolerance_days=int(params["date_tolerance_days"]),
        min_devices=int(params["min_devices"]),
    )
    points.write_parquet(paths.interim / "figure_points.parquet")
    claims.write_parquet(paths.interim / "figure_claims.parquet")
    rejects.write_parquet(paths.interim / "figure_rejects.parquet")
    write_area_findings(result.findings, paths.interim / "figures_findings.json")
    paths.reports.mkdir(parents=True, exist_ok=True)
    report = render_crosscheck(
        result.fits, result.matches, result.findings, claims, rejects, params
    )
    paths.crosscheck_report.write_text(report, encoding="utf-8")
    for r in rejects.iter_rows(named=True):
        print(f"figures: rejected: {r['code']}: {r['reason']}", file=sys.stderr)
    print(
        f"figures: {points.height} points, {claims.height} claims, {rejects.height} rejected "
        f"figures, {len(result.findings)} findings",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
