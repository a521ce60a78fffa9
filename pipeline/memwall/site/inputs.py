"""What the site is built from: the published tables and reports, each optional but the core.

`load_inputs` reads whatever exists of the pipeline's outputs; `build_site` renders a section
only when its input is here. Nothing is re-derived: the site shows the published tables,
findings and fits as the earlier stages wrote them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import yaml

from memwall import fields
from memwall.site.humanize import human

# Formats offered for download, in the order links are shown.
DOWNLOAD_FORMATS = ("csv", "parquet", "json")
FIGURE_SUFFIXES = (".svg", ".png")


@dataclass(frozen=True)
class SiteInputs:
    """Everything a site shows. The three model tables and lineage are required; the rest may
    be None (or empty), and the section that shows it is then left out.

    `downloads` maps a table name to the files offered for download (copied next to the
    site); `figures` lists image files (SVG or PNG) from the trends stage; `claims` is its
    comparison table (claim, reproduction, independent data per quantity).
    """

    models: pl.DataFrame
    memory: pl.DataFrame
    provenance: pl.DataFrame
    lineage: dict
    findings: dict | None = None
    corrections: list[dict] = field(default_factory=list)
    validation: dict | None = None
    quality: dict | None = None
    changelog: str | None = None
    hardware: pl.DataFrame | None = None
    crossref: pl.DataFrame | None = None
    history: pl.DataFrame | None = None
    trends: dict | None = None
    claims: list[dict] | None = None
    figures: tuple[Path, ...] = ()
    downloads: dict[str, tuple[Path, ...]] = field(default_factory=dict)


def _json(path: Path | None) -> dict | list | None:
    return json.loads(path.read_text(encoding="utf-8")) if path and path.is_file() else None


def _parquet(path: Path | None) -> pl.DataFrame | None:
    return pl.read_parquet(path) if path and path.is_file() else None


def table_files(directory: Path, table: str) -> tuple[Path, ...]:
    """The files of `table` in `directory` that exist, one per download format."""
    return tuple(
        directory / f"{table}.{fmt}"
        for fmt in DOWNLOAD_FORMATS
        if (directory / f"{table}.{fmt}").is_file()
    )


def figure_files(directory: Path | None) -> tuple[Path, ...]:
    """SVG and PNG figures in `directory`, sorted by name; an SVG hides a PNG of the same stem."""
    if directory is None or not directory.is_dir():
        return ()
    found = sorted(p for p in directory.iterdir() if p.suffix.lower() in FIGURE_SUFFIXES)
    svg_stems = {p.stem for p in found if p.suffix.lower() == ".svg"}
    return tuple(p for p in found if p.suffix.lower() == ".svg" or p.stem not in svg_stems)


def load_inputs(
    processed: Path,
    reports: Path,
    corrections: Path | None = None,
    changelog: Path | None = None,
    validation: Path | None = None,
    extra: dict[str, Path] | None = None,
) -> SiteInputs:
    """Read the site's inputs from the pipeline's output directories.

    `processed` holds models/memory/provenance as Parquet (CSV and JSON beside them are
    offered for download) plus lineage.json; `reports` holds findings.json, quality.json,
    trends.json and trends/figures/. `corrections` is the corrections registry (YAML),
    `changelog` CHANGELOG.md, `validation` the validate stage's summary (the pandera gate).

    The optional tables are looked for as `processed/hardware.parquet`,
    `processed/crossref.parquet` and `processed/history.parquet`, the fits as
    `reports/trends.json`, the claims table as `reports/trends/claims.json` and figures in
    `reports/trends/figures/` (where the trends stage writes them); `extra` overrides any of
    these locations by name (hardware, crossref, history, trends, claims, figures). A missing
    file leaves its section out of the site.
    """
    where = {
        "hardware": processed / "hardware.parquet",
        "crossref": processed / "crossref.parquet",
        "history": processed / "history.parquet",
        "trends": reports / "trends.json",
        "claims": reports / "trends" / "claims.json",
        "figures": reports / "trends" / "figures",
        **(extra or {}),
    }
    registry = yaml.safe_load(corrections.read_text(encoding="utf-8")) if corrections else None
    downloads = {
        name: table_files(path.parent, name)
        for name, path in [
            ("models", processed / "models.parquet"),
            ("memory", processed / "memory.parquet"),
            ("provenance", processed / "provenance.parquet"),
            ("hardware", where["hardware"]),
            ("crossref", where["crossref"]),
        ]
    }
    text = changelog.read_text(encoding="utf-8") if changelog and changelog.is_file() else None
    return SiteInputs(
        models=pl.read_parquet(processed / "models.parquet"),
        memory=pl.read_parquet(processed / "memory.parquet"),
        provenance=pl.read_parquet(processed / "provenance.parquet"),
        lineage=json.loads((processed / "lineage.json").read_text(encoding="utf-8")),
        findings=_json(reports / "findings.json"),
        corrections=list(registry or []),
        validation=_json(validation),
        quality=_json(reports / "quality.json"),
        changelog=text,
        hardware=_parquet(where["hardware"]),
        crossref=crossref_view(_parquet(where["crossref"])),
        history=_parquet(where["history"]),
        trends=_json(where["trends"]),
        claims=_json(where["claims"]),
        figures=figure_files(where["figures"]),
        downloads={name: files for name, files in downloads.items() if files},
    )


def crossref_view(crossref: pl.DataFrame | None) -> pl.DataFrame | None:
    """The published cross-reference in the columns a reader scans: model, field, our value
    and the reference's (both written for people in the field's unit; dates as dates), ratio
    or days apart, verdict, the reference's model and confidence. A frame already in these
    columns (the tests' hand-made one) is returned as it is."""
    if crossref is None or "ours_number" not in crossref.columns:
        return crossref
    units = {f.name: f.unit for table in fields.TABLES.values() for f in table}

    def shown(field: str, text: str | None, number: float | None) -> str | None:
        if number is None or field == "published":
            return text
        return human(number, units.get(field, ""))

    rows = [
        {
            "model_id": r["model_id"],
            "field": r["field"],
            "ours": shown(r["field"], r["ours_value"], r["ours_number"]),
            "reference": shown(r["field"], r["reference_text"], r["reference_number"]),
            "ratio": r["ratio"],
            "days_apart": r["days_apart"],
            "verdict": r["verdict"],
            "reference_model": r["reference_model"],
            "reference_confidence": r["reference_confidence"],
        }
        for r in crossref.iter_rows(named=True)
    ]
    schema = {
        "model_id": pl.String,
        "field": pl.String,
        "ours": pl.String,
        "reference": pl.String,
        "ratio": pl.Float64,
        "days_apart": pl.Int64,
        "verdict": pl.String,
        "reference_model": pl.String,
        "reference_confidence": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")
