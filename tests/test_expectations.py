"""The quality suites take their structure from fields.py; the JSON files only add to it."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from memwall.expectations import load_suites, provenance_summary, suite_frame
from memwall.published_provenance import provenance_schema
from support import REPO

HAND_WRITTEN = REPO / "pipeline/memwall/data/expectations"


def test_structure_comes_from_the_data_dictionary():
    models = load_suites(HAND_WRITTEN)["models"]["expectations"]
    assert models[0]["kwargs"]["column_list"][:3] == ["model_id", "model", "domain"]
    assert {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "model_id"}} in models
    assert {
        "type": "expect_column_values_to_be_in_set",
        "kwargs": {"column": "domain", "value_set": ["cv", "nlp", "recommendation"]},
    } in models
    assert {
        "type": "expect_column_values_to_be_between",
        "kwargs": {"column": "top1_accuracy", "min_value": 0, "max_value": 100},
    } in models


def test_hand_written_suites_restate_nothing_the_structure_says():
    suites = load_suites(HAND_WRITTEN)
    for path in sorted(HAND_WRITTEN.glob("*.json")):
        hand = json.loads(path.read_text())["expectations"]
        generated = suites[path.stem]["expectations"][: -len(hand)]
        assert [e for e in hand if e in generated] == [], path.name
        assert not any(e["type"] == "expect_table_columns_to_match_ordered_list" for e in hand)


def test_every_published_table_has_a_suite_even_without_a_json_file(tmp_path):
    suites = load_suites(tmp_path)
    assert set(suites) == {"models", "memory", "provenance"}
    assert all(s["expectations"] for s in suites.values())


def _provenance(**changes) -> pl.DataFrame:
    """Four published cells of two models (two fields each), from one raw file."""
    rows = {
        "table": ["models"] * 4,
        "model_id": ["a", "a", "b", "b"],
        "field": ["params", "model", "params", "model"],
        "value": ["1", "A", "2", "B"],
        "status": ["value"] * 4,
        "raw": ["1", "A", "2", "B"],
        "source": ["raw/x.md", "raw/x.md", None, "raw/x.md"],
        "source_id": ["x", "x", None, "x"],
        "line": [3, 3, 4, 4],
        "char": [5, 3, 5, 3],
        "column": ["#Params", "Model", "#Params", "Model"],
        "corrections": ["", "", "", ""],
        "reason": [None] * 4,
    }
    return pl.DataFrame(rows | changes, schema=provenance_schema())


def test_provenance_summary_counts_cells_per_table_field_status_and_source():
    summary = provenance_summary(_provenance())
    assert summary.select("field", "source", "cells").rows() == [
        ("model", "raw/x.md", 2),
        ("params", "raw/x.md", 1),
        ("params", None, 1),
    ]
    assert summary["field_cells"].to_list() == summary["field_row_ids"].to_list() == [2, 2, 2]
    assert summary["sourced_share"].to_list() == [0.75] * 3  # 3 of the 4 cells name a source
    assert summary["line_min"].to_list() == [3, 3, 4]


def test_a_field_stated_twice_for_one_model_breaks_the_summary_uniqueness():
    summary = provenance_summary(_provenance(model_id=["a", "a", "a", "b"]))
    params = summary.filter(pl.col("field") == "params")
    assert params["field_cells"].to_list() == [2, 2]
    assert params["field_row_ids"].to_list() == [1, 1]


@pytest.mark.slow
def test_the_quality_run_reports_a_duplicate_cell_and_a_line_zero(tmp_path):
    """GX over the summary still catches what the per-cell suite caught."""
    from memwall.quality import run_quality

    suites = load_suites(HAND_WRITTEN)
    bad = _provenance(model_id=["a", "a", "a", "b"], line=[3, 3, 0, 4])
    summary = run_quality(
        {"provenance": suite_frame("provenance", bad)},
        {"provenance": suites["provenance"]},
        tmp_path / "docs",
        {"latest_year": 2026},
        dt.datetime(2025, 12, 14, tzinfo=dt.UTC),
    )
    assert summary["provenance"]["failed"] == [
        "expect_column_pair_values_to_be_equal",
        "expect_column_values_to_be_between line_min",
    ]
