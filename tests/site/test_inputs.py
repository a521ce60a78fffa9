"""load_inputs: what the pipeline wrote is found; what it did not write is None, not an error."""

from __future__ import annotations

import json
import shutil

from sitedata import FIXTURES, small_inputs

from memwall.site import load_inputs


def _write_core(tmp_path):
    inputs = small_inputs(tmp_path / "made")
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    processed.mkdir()
    reports.mkdir()
    for name in ("models", "memory", "provenance"):
        getattr(inputs, name).write_parquet(processed / f"{name}.parquet")
    inputs.models.write_csv(processed / "models.csv")
    (processed / "lineage.json").write_text(json.dumps(inputs.lineage))
    (reports / "findings.json").write_text(json.dumps(inputs.findings))
    return inputs, processed, reports


def test_only_the_core_tables_give_no_optional_sections(tmp_path):
    _, processed, reports = _write_core(tmp_path)
    loaded = load_inputs(processed, reports)
    assert loaded.models.height == 3 and len(loaded.findings["findings"]) == 2
    assert (loaded.hardware, loaded.crossref, loaded.history, loaded.trends) == (None,) * 4
    assert loaded.figures == () and loaded.quality is None and loaded.changelog is None
    assert [p.name for p in loaded.downloads["models"]] == ["models.csv", "models.parquet"]


def test_optional_outputs_are_found_where_the_stages_write_them(tmp_path):
    inputs, processed, reports = _write_core(tmp_path)
    inputs.hardware.write_parquet(processed / "hardware.parquet")
    inputs.hardware.write_csv(processed / "hardware.csv")
    inputs.history.write_parquet(tmp_path / "elsewhere.parquet")
    (reports / "trends.json").write_text(json.dumps(inputs.trends))
    figures = reports / "trends" / "figures"
    figures.mkdir(parents=True)
    shutil.copy(FIXTURES / "figures/peak_compute_vs_bandwidth.svg", figures / "a.svg")
    (figures / "a.png").write_bytes(b"png")  # the SVG of the same figure wins
    (figures / "b.png").write_bytes(b"png")
    loaded = load_inputs(processed, reports, extra={"history": tmp_path / "elsewhere.parquet"})
    assert loaded.hardware.height == 3 and loaded.history.height == 2
    assert loaded.trends["fits"][0]["per_2_years"] == 3.1
    assert [p.name for p in loaded.figures] == ["a.svg", "b.png"]
    assert [p.name for p in loaded.downloads["hardware"]] == ["hardware.csv", "hardware.parquet"]
    assert loaded.crossref is None
