"""Stage `export`: the published artifacts and the lineage manifest of the run.

Reads the validated interim tables and provenance, interim/validation.json (the gate passed),
reports/findings.json (the checks passed), the ledger, the corrections report, the raw
sources, the registries, the package's code (its sha256 goes into lineage) and params
`dataset.version`, `normalize.gb_basis`, `validate.latest_date`. Writes to processed/ each
table and provenance as Parquet, JSON and CSV, and lineage.json.
Library: `memwall.writers`, `memwall.lineage`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl

from memwall import config, stagerun
from memwall.fields import TABLES
from memwall.lineage import lineage
from memwall.writers import write_json, write_table

FORMATS = ("parquet", "json", "csv")


@stagerun.guarded("export")
def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    params = config.params()
    interim, out = paths.interim, paths.processed
    out.mkdir(parents=True, exist_ok=True)
    outputs: list[Path] = []
    rows: dict[str, int] = {}
    for name in (*TABLES, "provenance"):
        frame = pl.read_parquet(interim / f"{name}.parquet")
        rows[name] = frame.height
        outputs += write_table(frame, out, name, FORMATS)
    validation = json.loads((interim / "validation.json").read_text(encoding="utf-8"))
    manifest = lineage(
        catalog=config.catalog(),
        version=str(params["dataset"]["version"]),
        params={
            "normalize.gb_basis": int(params["normalize"]["gb_basis"]),
            "validate.latest_date": validation["latest_date"],
            "dataset.version": str(params["dataset"]["version"]),
        },
        registries={"corrections": paths.corrections, "aliases": paths.aliases},
        package=paths.package,
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
