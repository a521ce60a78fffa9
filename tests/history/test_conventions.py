"""Upstream's NLP inference column counted MACs before version 7: converted as data."""

from __future__ import annotations

import polars as pl
import pytest
from historyrows import DATA

from memwall.conventions import ConventionError, load_conventions


def test_the_registry_validates_against_its_schema(conventions):
    assert [c.id for c in conventions] == ["nlp-inference-macs-before-v7"]
    entry = conventions[0]
    assert (entry.first, entry.last, entry.factor) == (1, 6, 2.0)
    assert entry.evidence["commit"].startswith("f09e32e")


def test_version_6_inference_values_are_doubled_and_name_the_entry(built):
    history, _, _ = built
    v6 = history.filter(
        (pl.col("version") == 6)
        & (pl.col("table") == "nlp-models")
        & (pl.col("field") == "inference_flop")
    ).sort("line")
    # printed in version 6 (GMACs) -> FLOP, by hand: 27 x 2 x 1e9, 370,000 x 2 x 1e9
    values = dict(zip(v6["model_id"], v6["value"], strict=True))
    assert values["transformer"] == 54e9
    assert values["gpt-3"] == 740e12
    converted = v6.filter(pl.col("status") == "value")
    assert set(converted["conventions"]) == {"nlp-inference-macs-before-v7"}
    # the order-of-magnitude estimates were left as they were by the x2 commit
    estimates = v6.filter(pl.col("status") == "estimate")
    assert set(estimates["raw"]) == {"~O(0.1)"} and set(estimates["conventions"]) == {""}
    assert estimates["value"].to_list() == [1e8, 1e8]


def test_no_convention_touches_version_7_or_the_cv_table(built):
    history, _, _ = built
    touched = history.filter(pl.col("conventions") != "")
    assert touched["version"].max() == 6
    assert set(touched["table"]) == {"nlp-models"}


def test_version_6_to_7_is_the_same_meaning_except_megatrons_rounding(built):
    history, _, _ = built
    v7 = history.filter((pl.col("version") == 7) & (pl.col("field") == "inference_flop"))
    changed = v7.filter(pl.col("change") == "changed")
    assert changed["model_id"].to_list() == ["megatron"]  # 8,800 x 2 = 17,600, printed 18,000
    assert v7.filter(pl.col("restated")).height == 6


def test_a_malformed_entry_is_refused_with_its_position(tmp_path):
    bad = tmp_path / "conv.yaml"
    bad.write_text("- id: Not An Id\n  table: nlp-models\n", encoding="utf-8")
    with pytest.raises(ConventionError, match=r"conv\.yaml: entry 0"):
        load_conventions(bad, DATA / "unit_conventions.schema.json")
