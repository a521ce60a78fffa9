"""The DVC metrics: a few flat headline numbers that `dvc metrics show` fits in 100 columns."""

from __future__ import annotations

import json

import pytest

from memwall.metrics import (
    check_headline,
    findings_metrics,
    growth_metrics,
    quality_metrics,
    significant,
)
from support import run

FITS = [
    {"id": "paper-fit", "per_2_years": 3.03274, "claim_per_2_years": 3.0},
    {"id": "paper-fit-without-claim", "per_2_years": 14.7874},
    {"id": "datasheets@top_per_year", "per_2_years": 2.309876},
    {"id": "big@top_per_year", "per_2_years": 753.2109},
]


def test_significant_keeps_three_digits_at_every_scale():
    assert significant(3.03274) == 3.03
    assert significant(753.2109) == 753.0
    assert significant(111.587) == 112.0
    assert significant(0.0123456) == 0.0123
    assert significant(91043.8) == 91000.0
    assert significant(0.0) == 0.0


def test_growth_rows_hold_claim_refit_and_top_and_leave_out_what_is_missing():
    headline = {
        "flops": {"paper": "paper-fit", "top": "datasheets@top_per_year"},
        "cv": {"paper": "paper-fit-without-claim"},
        "ridge": {"top": "big@top_per_year"},
    }
    assert growth_metrics(FITS, headline) == {
        "cv.json": {"refit": 14.8},
        "flops.json": {"claim": 3.0, "refit": 3.03, "top": 2.31},
        "ridge.json": {"top": 753.0},
    }


def test_a_headline_naming_an_unknown_fit_or_key_is_a_problem():
    known = {"paper-fit", "datasheets@top_per_year"}
    assert check_headline({"flops": {"paper": "paper-fit"}}, known) == []
    problems = check_headline(
        {"flops": {"paper": "renamed-fit"}, "x y": {"top": "paper-fit", "all": "paper-fit"}},
        known,
    )
    assert problems == [
        "headline 'flops': no fit 'renamed-fit' (paper)",
        "headline 'x y': a file name of letters, digits and '-'",
        "headline 'x y': only 'paper' and 'top' are known",
    ]


def test_findings_and_quality_share_the_errors_key():
    summary = {"total": 9, "errors": 1, "warnings": 5, "infos": 3, "by_check": {"x": {}}}
    assert findings_metrics(summary) == {"errors": 1, "warnings": 5}
    quality = {
        "models": {"expectations": 4, "passed": 3, "failed": ["expect_x"]},
        "memory": {"expectations": 2, "passed": 2, "failed": []},
    }
    assert quality_metrics(quality) == {"errors": 1, "passed": 5}


@pytest.mark.slow
def test_dvc_metrics_show_fits_100_columns_and_shows_the_headline(built_repo):
    shown = run(["dvc", "metrics", "show"], built_repo)
    lines = shown.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100, shown.stdout
    assert "failed to load" not in shown.stderr
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    header = lines[0].split()[1:]
    assert header == ["claim", "errors", "passed", "refit", "top", "warnings"]

    def cell(path: str, key: str) -> str:
        return rows[path][header.index(key)]

    # Expected values from the detailed reports, counted here, not by memwall.metrics.
    findings = json.loads((built_repo / "reports/findings.json").read_text())["findings"]
    for severity in ("error", "warning"):
        count = sum(1 for f in findings if f["severity"] == severity)
        assert cell("reports/metrics/findings.json", f"{severity}s") == str(count)
    quality = json.loads((built_repo / "reports/quality.json").read_text())
    passed = sum(s["passed"] for s in quality.values())
    assert cell("reports/metrics/quality.json", "passed") == str(passed)
    assert cell("reports/metrics/quality.json", "errors") == "0"
    fits = {
        f["id"]: f for f in json.loads((built_repo / "reports/trends.json").read_text())["fits"]
    }
    flops = "reports/growth/flops.json"
    assert float(cell(flops, "claim")) == fits["fig1-2023-flops"]["claim_per_2_years"] == 3.0
    assert float(cell(flops, "refit")) == pytest.approx(
        fits["fig1-2023-flops"]["per_2_years"], abs=0.005
    )
    top = fits["hw-flops-16bit@top_per_year"]["per_2_years"]
    assert float(cell(flops, "top")) == pytest.approx(top, abs=0.005)
    params = "reports/growth/params.json"
    assert float(cell(params, "claim")) == 410.0
    assert cell("reports/growth/ridge.json", "claim") == "-"
    assert set(rows) >= {
        f"reports/growth/{q}.json"
        for q in ("flops", "dram", "interconnect", "memory", "ridge", "params", "compute")
    }


@pytest.mark.slow
def test_the_details_stay_readable_by_file_and_by_targeted_dvc_metrics_show(built_repo):
    shown = json.loads(run(["dvc", "metrics", "show", "--json"], built_repo).stdout)
    declared = set(shown[""]["data"])
    assert "reports/trends.json" not in declared and "reports/quality.json" not in declared
    fits = run(["dvc", "metrics", "show", "--json", "reports/trends/fits"], built_repo).stdout
    one = json.loads(fits)[""]["data"]["reports/trends/fits/fig1-2023-flops.json"]["data"]
    assert one["claim_per_2_years"] == 3.0 and one["agrees"] is True
