"""issue 18 item 3: a quality run that dies while writing Data Docs leaves the old site whole."""

from __future__ import annotations

import pytest
import yaml

from memwall import quality
from support import REPO


def test_a_run_killed_while_rendering_keeps_the_previous_site(tmp_path, monkeypatch):
    site = tmp_path / "data_docs"
    site.mkdir()
    (site / "index.html").write_text("previous run")

    def dies_half_way(tables, suites, building, params):
        (building / "partial.html").write_text("half")
        raise KeyboardInterrupt

    monkeypatch.setattr(quality, "_validate_and_render", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        quality.run_quality({}, {}, site, {})
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]
    assert (site / "index.html").read_text() == "previous run"


def test_a_finished_run_replaces_the_site_whole(tmp_path, monkeypatch):
    site = tmp_path / "data_docs"
    site.mkdir()
    (site / "stale.html").write_text("old")

    def renders(tables, suites, building, params):
        (building / "index.html").write_text("new")
        return {"models": {}}

    monkeypatch.setattr(quality, "_validate_and_render", renders)
    assert quality.run_quality({}, {}, site, {}) == {"models": {}}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data_docs"]
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]


def test_the_data_docs_site_is_a_declared_output_of_the_quality_stage():
    stage = yaml.safe_load((REPO / "dvc.yaml").read_text())["stages"]["quality"]
    assert {"reports/data_docs": {"cache": False}} in stage["outs"]
