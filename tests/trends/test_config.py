"""The trends config (params.yaml `trends:` and data/trends.yaml) is sound, and broken ones
are caught with the file to fix."""

from __future__ import annotations

import copy

import pytest
import yaml

from memwall.config import TREND_PARAMS, ConfigError, trends_config
from memwall.trend_report import check_config, declared_fit_ids
from support import REPO

PROPOSED = trends_config(REPO)


def test_the_checkouts_config_has_no_problems():
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
    problems = check_config({"resamples": 1000, "seed": 1, "level": 0.9, "series": [spec]})
    assert problems and "unknown keys ['2023)']" in problems[0]


def test_too_few_resamples_and_duplicate_ids_are_reported():
    spec = {"id": "x", "source": "t", "value": "v", "date": "d"}
    problems = check_config({"resamples": 500, "seed": 1, "level": 0.9, "series": [spec, spec]})
    assert "series id 'x' is declared twice" in problems
    assert "resamples must be a whole number of at least 1000, got 500" in problems


def _checkout(tmp_path, params: str, definitions: str):
    """A checkout with just what the trends stage reads before any table."""
    (tmp_path / "dvc.yaml").write_text("stages: {}\n")
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "sources.yaml").write_text("sources: []\n")
    (tmp_path / "params.yaml").write_text(params)
    data = tmp_path / "pipeline" / "memwall" / "data"
    data.mkdir(parents=True)
    (data / "trends.yaml").write_text(definitions)
    return tmp_path


BOOTSTRAP = "trends:\n  resamples: 2000\n  seed: 1\n  level: 0.95\n"


def test_the_config_is_the_bootstrap_params_and_the_definitions_file(tmp_path):
    root = _checkout(tmp_path, BOOTSTRAP, yaml.safe_dump({"series": PROPOSED["series"]}))
    config = trends_config(root)
    assert config["resamples"] == 2000 and config["series"] == PROPOSED["series"]


def test_a_key_both_in_params_and_the_definitions_is_refused_naming_the_file(tmp_path):
    root = _checkout(tmp_path, BOOTSTRAP, "seed: 2\nseries: []\n")
    with pytest.raises(ConfigError) as raised:
        trends_config(root)
    assert str(raised.value).startswith(f"{root / 'pipeline/memwall/data/trends.yaml'}:1: seed")


@pytest.mark.parametrize(
    ("definitions", "message"),
    [
        ("compare: []\n", ":1: compare must be a non-empty list of mappings"),
        ("series:\n", ":1: series must be a non-empty list of mappings"),
        ("series: [{id: x}]\nplots: [a, b]\n", ":2: plots must be a non-empty mapping of lists"),
        ("series: [{id: x}]\nheadline: {flops: fig1}\n", ":2: headline must be a non-empty"),
        ("series: [{id: x}]\n\nplot: {a: [x]}\n", ":3: unknown key 'plot'; the keys are"),
        ("headline: {a: {top: x}}\n", ":1: no 'series:' list"),
        ("- {id: x}\n", ":1: not a mapping of series, compare, headline, plots"),
    ],
)
def test_a_definitions_file_of_the_wrong_shape_is_one_error_at_its_line(
    tmp_path, definitions, message
):
    root = _checkout(tmp_path, BOOTSTRAP, definitions)
    with pytest.raises(ConfigError) as raised:
        trends_config(root)
    where = str(root / "pipeline/memwall/data/trends.yaml")
    assert str(raised.value).startswith(where + message)


def test_bootstrap_settings_of_the_wrong_type_are_named_in_params(tmp_path, monkeypatch, capsys):
    from memwall.stages import trends

    params = "trends:\n  resamples: many\n  seed: 1.5\n  level: 95\n"
    root = _checkout(tmp_path, params, (REPO / "pipeline/memwall/data/trends.yaml").read_text())
    monkeypatch.chdir(root)
    assert trends.main() == 2
    assert capsys.readouterr().err.splitlines() == [
        "trends: error: params.yaml: resamples must be a whole number of at least 1000, got 'many'",
        "trends: error: params.yaml: seed must be a whole number, got 1.5",
        "trends: error: params.yaml: level must be a fraction between 0 and 1, got 95",
    ]


def test_an_unknown_bootstrap_key_in_params_is_refused(tmp_path):
    root = _checkout(tmp_path, BOOTSTRAP + "  series: []\n", "series: [{id: x}]\n")
    with pytest.raises(ConfigError, match=r"params.yaml: trends: unknown keys series"):
        trends_config(root)


def test_the_stage_names_the_file_to_fix_for_each_problem(tmp_path, monkeypatch, capsys):
    """A renamed series is fixed in data/trends.yaml, too few resamples in params.yaml: the
    stage exits 2 before reading any table and says which file each problem is in."""
    from memwall.stages import trends

    broken = copy.deepcopy({k: v for k, v in PROPOSED.items() if k not in TREND_PARAMS})
    broken["series"][0]["id"] = "renamed"
    params = BOOTSTRAP.replace("2000", "10")
    root = _checkout(tmp_path, params, yaml.safe_dump(broken, sort_keys=False))
    monkeypatch.chdir(root)
    assert trends.main() == 2
    err = capsys.readouterr().err.splitlines()
    assert (
        "trends: error: params.yaml: resamples must be a whole number of at least 1000, got 10"
        in err
    )
    (root / "params.yaml").write_text(BOOTSTRAP)
    assert trends.main() == 2
    err = capsys.readouterr().err.splitlines()
    assert (
        "trends: error: pipeline/memwall/data/trends.yaml: plots group 'paper_figure1_2021': "
        "no fit 'fig1-2021-flops'" in err
    )


def test_a_definitions_file_that_is_not_yaml_is_one_line_with_its_position(
    tmp_path, monkeypatch, capsys
):
    from memwall.stages import trends

    root = _checkout(tmp_path, BOOTSTRAP, "series:\n  - {id: x\n")
    monkeypatch.chdir(root)
    assert trends.main() == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("trends: error: pipeline/memwall/data/trends.yaml:3:1: not valid YAML")
