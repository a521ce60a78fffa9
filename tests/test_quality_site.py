"""issue 18 item 3: a quality run that dies while writing Data Docs leaves the old site whole."""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl
import pytest
import yaml

from memwall import quality
from support import REPO

AS_OF = dt.datetime(2025, 12, 14, tzinfo=dt.UTC)


def test_a_run_killed_while_rendering_keeps_the_previous_site(tmp_path, monkeypatch):
    site = tmp_path / "data_docs"
    site.mkdir()
    (site / "index.html").write_text("previous run")

    def dies_half_way(tables, suites, building, params, as_of):
        (building / "partial.html").write_text("half")
        raise KeyboardInterrupt

    monkeypatch.setattr(quality, "_validate_and_render", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        quality.run_quality({}, {}, site, {}, AS_OF)
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]
    assert (site / "index.html").read_text() == "previous run"


def test_a_finished_run_replaces_the_site_whole(tmp_path, monkeypatch):
    site = tmp_path / "data_docs"
    site.mkdir()
    (site / "stale.html").write_text("old")

    def renders(tables, suites, building, params, as_of):
        (building / "index.html").write_text("new")
        return {"models": {}}

    monkeypatch.setattr(quality, "_validate_and_render", renders)
    assert quality.run_quality({}, {}, site, {}, AS_OF) == {"models": {}}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data_docs"]
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]


def test_the_data_docs_site_is_a_cached_output_of_the_quality_stage():
    """Deterministic now, so DVC caches (and `dvc pull` serves) it like every other output."""
    stage = yaml.safe_load((REPO / "dvc.yaml").read_text())["stages"]["quality"]
    assert "reports/data_docs" in stage["outs"]


def _tree(site) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_runs_on_the_same_tables_write_the_same_bytes_dated_as_of_the_data(tmp_path):
    """GX stamps the wall clock and random ids into Data Docs; the same tables must still give
    the same site, whose run time is the data's as-of time, not when it was built."""
    table = pl.DataFrame({"model_id": ["a", "b"], "params": [1e6, 2e6]})
    suite = {
        "name": "models",
        "meta": {"notes": "two rows"},
        "expectations": [
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "params"}},
            {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "model_id"}},
        ],
    }
    sites = [tmp_path / "first" / "data_docs", tmp_path / "second" / "data_docs"]
    for site in sites:
        site.parent.mkdir()
        summary = quality.run_quality({"models": table}, {"models": suite}, site, {}, AS_OF)
        assert summary == {"models": {"expectations": 2, "passed": 2, "failed": []}}
    first, second = (_tree(site) for site in sites)
    assert first == second
    pages = [p for p in first if p.startswith("validations/")]
    assert pages and all("20251214T000000" in p for p in pages)
    today = dt.date.today().strftime("%Y%m%d")
    assert not any(today in (sites[0] / p).read_text(errors="replace") for p in pages)
