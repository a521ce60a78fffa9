"""The crossref stage in the built pipeline: rows, findings gathered by `findings`, exports."""

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import polars as pl

import memwall
from memwall import codes
from memwall.fields import CROSSREF
from support import FIXTURES, run

REFERENCE = "raw/epoch/notable_ai_models.csv"


def _reference_record(repo: Path, model: str) -> tuple[int, dict]:
    """The reference's record for `model` and the line it starts on, read with the csv module
    (not the pipeline's reader)."""
    with (repo / REFERENCE).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        start = reader.line_num + 1
        for record in reader:
            if record[0] == model:
                return start, dict(zip(header, record, strict=True))
            start = reader.line_num + 1
    raise AssertionError(f"{model} not in the reference")


def _crossref(repo: Path) -> pl.DataFrame:
    return pl.read_parquet(repo / "processed" / "crossref.parquet")


def _row(frame: pl.DataFrame, model_id: str, field: str) -> dict:
    return frame.filter((pl.col("model_id") == model_id) & (pl.col("field") == field)).row(
        0, named=True
    )


def test_gpt3_rows_line_up_with_the_reference_line_read_independently(built_repo):
    line, record = _reference_record(built_repo, "GPT-3 175B (davinci)")
    frame = _crossref(built_repo)
    params = _row(frame, "gpt-3", "params")
    # Ours: Brown et al. 2020's 175B (upstream "175,000M"); the reference's cell as printed.
    assert params["ratio"] == 175e9 / float(record["Parameters"]) == 1.0
    assert params["reference_at"] == f"{REFERENCE}:{line}:1"
    assert (params["verdict"], params["finding"]) == ("agrees", None)
    flop = _row(frame, "gpt-3", "training_flop")
    assert abs(flop["ratio"] - 3.1e23 / float(record["Training compute (FLOP)"])) < 1e-12
    published = _row(frame, "gpt-3", "published")
    assert published["reference_text"] == record["Publication date"] == "2020-05-28"
    assert published["days_apart"] == 0


def test_the_transformer_day_month_swap_is_explained_by_its_correction(built_repo):
    row = _row(_crossref(built_repo), "transformer", "published")
    # Upstream wrote 12/06/2017 (MM/DD: December 6); read with day and month exchanged it is
    # the reference's date, and the correction that says so is recorded on the row.
    month, day, year = (int(p) for p in row["ours_raw"].split("/"))
    assert date(year, day, month) == date.fromisoformat(row["reference_text"]) == date(2017, 6, 12)
    assert "transformer-date-day-month-swapped" in row["ours_corrections"]
    assert (row["ours_value"], row["verdict"]) == ("2017-06-12", "agrees")
    # Left uncorrected, the swap would be an error and fail the findings stage.
    assert codes.get("crossref-date-swap").severity == "error"


def test_reference_values_where_ours_is_blank_are_info(built_repo):
    frame = _crossref(built_repo)
    blank = frame.filter(pl.col("ours_value").is_null())
    prov = pl.read_parquet(built_repo / "processed" / "provenance.parquet")
    for r in blank.iter_rows(named=True):
        table = "memory" if r["field"] == "year" else "models"
        cell = prov.filter(
            (pl.col("table") == table)
            & (pl.col("model_id") == r["model_id"])
            & (pl.col("field") == r["field"])
        ).row(0, named=True)
        assert cell["status"] not in ("value", "estimate")
    report = json.loads((built_repo / "reports" / "findings.json").read_text())
    only = [f for f in report["findings"] if f["code"] == "crossref-reference-only"]
    assert {f["severity"] for f in only} == {"info"}
    assert {(f["model_id"], f["fields"][0]) for f in only} == set(
        zip(blank["model_id"], blank["field"], strict=True)
    )
    assert ("gpt-2", "training_flop") in {(f["model_id"], f["fields"][0]) for f in only}


def test_findings_gathers_crossref_and_applies_its_acceptances(built_repo):
    report = json.loads((built_repo / "reports" / "findings.json").read_text())
    assert report["unused_acceptances"] == []
    accepted = {
        (f["model_id"], f["fields"][0])
        for f in report["findings"]
        if f["code"] == "crossref-disagreement" and f["accepted"]
    }
    assert {("seq2seq", "training_flop"), ("albert-xxl", "published")} <= accepted
    assert report["summary"]["unresolved_errors"] == 0
    frame = _crossref(built_repo)
    assert _row(frame, "seq2seq", "training_flop")["accepted"].startswith("Another counting")


def test_memwall_loads_crossref_with_the_declared_columns(built_repo, monkeypatch):
    monkeypatch.chdir(built_repo)
    frame = memwall.load("crossref")
    assert frame.columns == [f.name for f in CROSSREF]
    assert frame.equals(_crossref(built_repo))
    assert frame.select("model_id", "field").is_unique().all()


def test_crossref_is_in_lineage_and_both_catalogs(built_repo):
    processed = built_repo / "processed"
    lineage = json.loads((processed / "lineage.json").read_text())
    assert "processed/crossref.parquet" in {o["path"] for o in lineage["outputs"]}
    assert lineage["rows"]["crossref"] == _crossref(built_repo).height
    package = json.loads((processed / "datapackage.json").read_text())
    assert "crossref" in {r["name"] for r in package["resources"]}
    croissant = json.loads((processed / "croissant.json").read_text())
    assert "crossref" in {r["@id"] for r in croissant["recordSet"]}


def test_a_snapshot_with_a_renamed_column_stops_the_stage_naming_it(built_copy):
    shutil.copy(FIXTURES / "crossref" / "parameters_column_renamed.csv", built_copy / REFERENCE)
    result = run(["sh", "pipeline/run-stage", "crossref"], built_copy, check=False)
    assert result.returncode == 2
    assert f"{REFERENCE}:1:" in result.stderr
    assert "lacks column 'Parameters'" in result.stderr and "'Parameter count'" in result.stderr
    assert "Traceback" not in result.stderr
