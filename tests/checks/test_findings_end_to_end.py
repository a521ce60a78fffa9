"""After the real `dvc repro`: the findings report, its metrics, the GX quality report."""

from __future__ import annotations

import json

import pytest

from support import run

pytestmark = pytest.mark.slow

V26 = "raw/upstream/26_20240323T042938Z_a1f1d67.md"


def raw_row(repo, source: str, *words: str) -> tuple[int, str]:
    """(1-based line, text) of the one table row of `source` holding every word."""
    lines = (repo / source).read_text(encoding="utf-8").split("\n")
    (hit,) = [
        (number, line)
        for number, line in enumerate(lines, start=1)
        if line.startswith("|") and all(w in line for w in words)
    ]
    return hit


def report(repo):
    return json.loads((repo / "reports/findings.json").read_text())


def test_findings_are_sorted_and_trace_to_raw_lines(built_repo):
    found = report(built_repo)["findings"]
    assert found, "the real data has findings"
    for f in found:
        for where in f["sources"]:
            if ".pdf:" in where:  # a figure's marker: the PDF, its series and point label
                assert (built_repo / where.split(".pdf:")[0]).with_suffix(".pdf").is_file(), where
                continue
            path, line, char = where.rsplit(":", 2)
            text = (built_repo / path).read_text().split("\n")[int(line) - 1]
            assert int(char) <= len(text), where
    order = [("error", "warning", "info").index(f["severity"]) for f in found]
    assert order == sorted(order)


def test_albert_shared_weights_finding_is_accepted_and_kept(built_repo):
    (albert,) = [
        f
        for f in report(built_repo)["findings"]
        if f["model_id"] == "albert-xxl" and f["code"] == "inference-flops"
    ]
    assert albert["accepted"]["reason"].startswith("Cross-layer parameter sharing")
    line, text = raw_row(built_repo, V26, "ALBERT xxl")
    inference = text.index("| 2,500") + 3  # the inference GFLOPs cell, 1-based column
    assert f"{V26}:{line}:{inference}" in albert["sources"]


def test_bert_large_memory_in_decimal_gb_is_an_open_warning(built_repo):
    codes = {(f["code"], f["model_id"], f["severity"]) for f in report(built_repo)["findings"]}
    assert ("params-memory", "bert-large", "warning") in codes


def test_dvc_metrics_show_prints_the_counts_and_the_report_has_them_by_check(built_repo):
    out = run(["dvc", "metrics", "show", "--json"], built_repo).stdout
    metrics = json.loads(out)[""]["data"]["reports/metrics/findings.json"]["data"]
    summary = report(built_repo)["summary"]
    assert metrics == {"errors": summary["errors"], "warnings": summary["warnings"]}
    assert summary["unresolved_errors"] == 0
    assert summary["by_check"]["inference-flops"] == {"total": 1, "errors": 1}
    assert "failed to load" not in run(["dvc", "metrics", "show"], built_repo).stderr


@pytest.mark.rebuilds
def test_reverting_a_correction_reopens_its_error_and_fails_repro(built_copy):
    path = built_copy / "pipeline/memwall/data/corrections.yaml"
    text = path.read_text()
    path.write_text(text.replace('expect: "1.71 GB"', 'expect: "9.99 GB"'))
    result = run(["dvc", "repro", "findings"], built_copy, check=False)
    assert result.returncode != 0
    line, text = raw_row(built_copy, V26, "AlexNet", "1.71 GB")
    total = text.index("1.71 GB") + 1
    assert f"{V26}:{line}:{total}: error: memory-sum alexnet" in result.stderr
    found = json.loads((built_copy / "reports/findings.json").read_text())["findings"]
    assert any(f["code"] == "memory-sum" and f["model_id"] == "alexnet" for f in found)


def test_quality_stage_renders_data_docs_and_runs_every_suite(built_repo):
    assert (built_repo / "reports/data_docs/index.html").is_file()
    summary = json.loads((built_repo / "reports/quality.json").read_text())
    assert set(summary) == {"models", "memory", "provenance"}
    assert all(s["expectations"] > 0 and s["failed"] == [] for s in summary.values())
    pages = list((built_repo / "reports/data_docs/validations").rglob("*.html"))
    assert len(pages) == 3


def test_second_repro_does_nothing(built_repo):
    out = run(["dvc", "status"], built_repo).stdout
    assert "up to date" in out
