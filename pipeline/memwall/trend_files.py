"""Write the trends stage's outputs: fits (metrics), report, plot CSVs, findings, figures.

`write_trends(result, config, json_path, markdown_path, directory)` writes, from a
`TrendsResult` and the trends config: the fits document (`reports/trends.json`), one flat
JSON per fit (`fits/`), the headline growth rates (`growth`, `reports/growth/`: the DVC
metrics files, see `memwall.metrics`), the comparison table
(`reports/trends.md`, and as data in `claims.json` for the site), one CSV per plot group
(`plots/`, DVC plots), the findings (`findings.json`) and the static figures (`figures/`,
SVG and PNG). Directories are written whole: files of fits or groups that are gone do not
linger.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from memwall.metrics import growth_metrics
from memwall.trend_figures import save_figure, standard_figures
from memwall.trend_outputs import (
    claims_rows,
    metrics_files,
    plot_frame,
    trends_document,
    trends_markdown,
)
from memwall.trend_report import TrendsResult
from memwall.writers import write_json

SUBDIRECTORIES = ("fits", "plots", "figures")


def _fresh(directory: Path) -> Path:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


def write_trends(
    result: TrendsResult,
    config: Mapping,
    json_path: Path,
    markdown_path: Path,
    directory: Path,
    growth: Path | None = None,
) -> list[Path]:
    """Write every output of the trends stage; returns the files written, sorted.

    `growth` (a directory, rewritten whole) receives the headline metrics of
    `config['headline']`; None writes none.
    """
    resamples, level = int(config["resamples"]), float(config["level"])
    json_path.parent.mkdir(parents=True, exist_ok=True)
    document = trends_document(
        result.fits, resamples=resamples, seed=int(config["seed"]), level=level
    )
    write_json(document, json_path)
    markdown_path.write_text(
        trends_markdown(result.fits, config.get("compare", []), result.findings), "utf-8"
    )
    written = [json_path, markdown_path]
    directory.mkdir(parents=True, exist_ok=True)
    fits, plots, figures = (_fresh(directory / name) for name in SUBDIRECTORIES)
    for name, metrics in metrics_files(result.fits).items():
        write_json(metrics, fits / name)
        written.append(fits / name)
    if growth is not None:
        _fresh(growth)
        for name, metrics in growth_metrics(result.fits, config.get("headline") or {}).items():
            write_json(metrics, growth / name)
            written.append(growth / name)
    for group, fit_ids in sorted((config.get("plots") or {}).items()):
        frame = plot_frame(result.points, result.lines, fit_ids)
        frame.write_csv(plots / f"{group}.csv")
        written.append(plots / f"{group}.csv")
    claims = directory / "claims.json"
    write_json(claims_rows(result.fits, config.get("compare", [])), claims)
    written.append(claims)
    findings = directory / "findings.json"
    write_json([f.as_dict() for f in result.findings], findings)
    written.append(findings)
    drawn = standard_figures(result.points, result.fits, resamples=resamples, level=level)
    for name, figure in sorted(drawn.items()):
        written += save_figure(figure, figures / name)
    return sorted(written)
