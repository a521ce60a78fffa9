"""Stage `export`: the published artifacts and the lineage manifest of the run.

Reads the validated interim tables and provenance, interim/crossref.parquet,
interim/validation.json (the gate passed), reports/findings.json (the checks passed), the
ledger, the corrections report, the raw sources, the registries, the package's code (its
sha256 goes into lineage) and params `dataset.version`, `normalize.gb_basis`,
`validate.latest_date`; the hardware and figure tables (interim/hardware*.parquet,
interim/figure_*.parquet). Writes to processed/ each table (models, memory, hardware,
figure_points, figure_claims, crossref) in the columns fields.py declares, and provenance
(model and hardware cells), as Parquet, JSON and CSV, and lineage.json (which also records
the history stage's processed/history.* and, file by file, the code of every stage that built
the tables: `CODE_OF_STAGES`, which `memwall.tools.stagedeps --check` holds equal to the
stages upstream of this one in dvc.yaml, and which the `code` stage adds to this stage's
manifest interim/code/export.sha256).
Library: `memwall.writers`, `memwall.lineage`, `memwall.published_provenance`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl

from memwall import config, stagerun
from memwall.fields import PUBLISHED_TABLES
from memwall.lineage import lineage
from memwall.published_provenance import published_provenance
from memwall.writers import write_json, write_table

FORMATS = ("parquet", "json", "csv")
# The stages whose code lineage.json records (every stage upstream of export in dvc.yaml).
CODE_OF_STAGES = (
    "parse",
    "normalize",
    "hardware",
    "figures",
    "validate",
    "history",
    "crossref",
    "findings",
)


@stagerun.guarded("export")
def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    params = config.params()
    interim, out = paths.interim, paths.processed
    out.mkdir(parents=True, exist_ok=True)
    outputs: list[Path] = []
    rows: dict[str, int] = {}
    frames = {
        name: pl.read_parquet(interim / f"{name}.parquet").select(f.name for f in fields)
        for name, fields in PUBLISHED_TABLES.items()
        if name != "history"  # written by the history stage
    }
    frames["provenance"] = published_provenance(
        pl.read_parquet(interim / "provenance.parquet"),
        pl.read_parquet(interim / "hardware_provenance.parquet"),
        config.registered_sources(),
    )
    for name, frame in frames.items():
        rows[name] = frame.height
        outputs += write_table(frame, out, name, FORMATS)
    for name in ("hardware_rejects", "figure_rejects"):
        rows[name] = pl.read_parquet(interim / f"{name}.parquet").height
    # The history stage wrote processed/history.*; lineage records them with the rest.
    rows["history"] = pl.read_parquet(out / "history.parquet").height
    outputs += [out / f"history.{fmt}" for fmt in FORMATS]
    validation = json.loads((interim / "validation.json").read_text(encoding="utf-8"))
    manifest = lineage(
        catalog=config.catalog(),
        version=str(params["dataset"]["version"]),
        params={
            "normalize.gb_basis": int(params["normalize"]["gb_basis"]),
            "validate.latest_date": validation["latest_date"],
            "dataset.version": str(params["dataset"]["version"]),
        },
        registries={
            "corrections": paths.corrections,
            "aliases": paths.aliases,
            "hardware_columns": paths.hardware_columns,
            "figure_labels": paths.figure_labels,
            "unit_conventions": paths.unit_conventions,
            "reference_columns": paths.reference_columns,
            "reference_names": paths.reference_names,
        },
        package=paths.package,
        stage="export",
        outputs=outputs,
        rows=rows,
        validation=validation,
        ledger=pl.read_parquet(interim / "ledger.parquet"),
        corrections=json.loads((interim / "corrections.json").read_text(encoding="utf-8")),
    )
    write_json(manifest, out / "lineage.json")
    print(f"export: {len(outputs)} files, rows {rows}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
