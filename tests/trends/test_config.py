"""The proposed trends section of params.yaml is sound, and broken sections are caught."""

from __future__ import annotations

import copy

import yaml

from memwall.trend_report import check_config, declared_fit_ids
from support import FIXTURES

PROPOSED = yaml.safe_load((FIXTURES / "trends" / "params_trends_proposed.yaml").read_text())[
    "trends"
]


def test_the_proposed_section_has_no_problems():
    assert check_config(PROPOSED) == []
    assert "fig1-2023-flops" in declared_fit_ids(PROPOSED)
    assert "hw-ridge-point@top_per_year" in declared_fit_ids(PROPOSED)


def test_every_claim_of_the_paper_has_a_row_in_the_comparison():
    quantities = " ".join(row["quantity"].lower() for row in PROPOSED["compare"])
    for word in ("compute", "dram", "interconnect", "memory capacity", "parameter", "ridge"):
        assert word in quantities


def test_a_renamed_series_is_reported_where_it_is_still_named():
    config = copy.deepcopy(PROPOSED)
    config["series"][0]["id"] = "renamed"
    problems = check_config(config)
    assert "plots group 'paper_figure1_2021': no fit 'fig1-2021-flops'" in problems


def test_an_unquoted_comma_in_a_flow_mapping_is_caught():
    spec = yaml.safe_load("{id: x, source: t, value: v, date: d, label: FLOPS (Figure 1, 2023)}")
    problems = check_config({"resamples": 1000, "series": [spec]})
    assert problems and "unknown keys ['2023)']" in problems[0]


def test_too_few_resamples_and_duplicate_ids_are_reported():
    spec = {"id": "x", "source": "t", "value": "v", "date": "d"}
    problems = check_config({"resamples": 500, "series": [spec, spec]})
    assert "series id 'x' is declared twice" in problems
    assert "resamples must be at least 1000, got 500" in problems
