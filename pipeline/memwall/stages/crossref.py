"""Stage `crossref`: our published values beside Epoch AI's Notable AI Models.

Reads interim/models.parquet and interim/memory.parquet (the model_ids the registry must
cover), interim/provenance.parquet (our values, raw text and place), the reference snapshot
raw/epoch/notable_ai_models.csv (Epoch AI, CC BY 4.0) read through
data/reference_columns.yaml, the reviewed identity registry data/reference_names.yaml (both
with their schemas), data/accepted.yaml (shown in the report; the findings stage applies it)
and params `crossref`. Writes interim/crossref.parquet (published by export),
interim/crossref_findings.json (gathered by findings) and reports/crossref.md.
Exits 2 when the reference, its column mapping or the registry cannot be read.
Library: `memwall.crossref` (with `memwall.reference`, `memwall.refnames`).
"""

from __future__ import annotations

import sys

import polars as pl

from memwall import config, stagerun
from memwall.acceptances import apply_acceptances, load_acceptances
from memwall.crossref import (
    annotate,
    build_crossref,
    crossref_findings,
    crossref_markdown,
    typed_tolerances,
)
from memwall.reference import load_columns, load_reference
from memwall.refnames import ReferenceNamesError, load_reference_names
from memwall.registry import RegistryError
from memwall.report import write_area_findings
from memwall.textio import InputError


@stagerun.guarded("crossref")
def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    tolerances = typed_tolerances(config.stage_params("crossref"))
    interim = paths.interim
    model_ids = sorted(
        set(pl.read_parquet(interim / "models.parquet")["model_id"])
        | set(pl.read_parquet(interim / "memory.parquet")["model_id"])
    )
    try:
        columns = load_columns(
            paths.reference_columns, paths.reference_columns.with_suffix(".schema.json")
        )
        reference = load_reference(paths.reference_models, columns)
        names = load_reference_names(
            paths.reference_names,
            paths.reference_names.with_suffix(".schema.json"),
            reference["model"].to_list(),
            model_ids,
        )
        acceptances = load_acceptances(paths.accepted)
    except (InputError, ReferenceNamesError, RegistryError) as exc:
        print(f"crossref: error: {exc}", file=sys.stderr)
        return 2
    provenance = pl.read_parquet(interim / "provenance.parquet")
    frame = build_crossref(provenance, reference, names, paths.reference_models.as_posix())
    findings = crossref_findings(frame, tolerances)
    shown, _ = apply_acceptances(findings, acceptances)
    annotate(frame, tolerances, shown).write_parquet(interim / "crossref.parquet")
    write_area_findings(findings, interim / "crossref_findings.json")
    paths.reports.mkdir(parents=True, exist_ok=True)
    (paths.reports / "crossref.md").write_text(crossref_markdown(frame, shown), "utf-8")
    matched = names["reference"].drop_nulls().len()
    print(
        f"crossref: {matched} of {names.height} models matched, {frame.height} values "
        f"compared, {len(findings)} findings",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
