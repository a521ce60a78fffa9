"""CITATION.cff credits the dataset at its version and the upstream paper."""

from __future__ import annotations

import pytest
import yaml

from support import BIN, REPO, run


def citation() -> dict:
    return yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_is_cff_1_2_for_the_dataset_at_the_params_version():
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    cff = citation()
    assert (cff["cff-version"], cff["type"]) == ("1.2.0", "dataset")
    assert cff["version"] == params["dataset"]["version"]
    assert cff["authors"] and cff["title"] and cff["message"]


def test_preferred_citation_is_the_upstream_paper():
    paper = citation()["preferred-citation"]
    assert paper["title"] == "AI and Memory Wall"
    assert (paper["journal"], paper["year"]) == ("IEEE Micro", 2024)
    assert [a["family-names"] for a in paper["authors"]] == [
        "Gholami",
        "Yao",
        "Kim",
        "Hooper",
        "Mahoney",
        "Keutzer",
    ]
    assert "arXiv:2403.14123" in [i["value"] for i in paper["identifiers"]]


@pytest.mark.slow
def test_cffconvert_validates_the_citation_file():
    # cffconvert pins jsonschema<4, which the project's lock cannot hold: uv runs it in its
    # own throwaway environment from the package index (the same command as `make citation`).
    result = run(
        [
            str(BIN / "uv"),
            "tool",
            "run",
            "--from",
            "cffconvert==2.0.0",
            "cffconvert",
            "--validate",
            "-i",
            "CITATION.cff",
        ],
        REPO,
    )
    assert "are valid" in result.stdout + result.stderr
