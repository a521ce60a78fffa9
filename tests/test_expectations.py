"""The quality suites take their structure from fields.py; the JSON files only add to it."""

from __future__ import annotations

import json

from memwall.expectations import load_suites
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
