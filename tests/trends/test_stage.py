"""The trends stage as `dvc repro` runs it (the session's shared `built_repo`): fits of the
real tables, the metrics files, the claims table, the figures and offline DVC plots."""

from __future__ import annotations

import json
import re
from datetime import date

import numpy as np
import polars as pl
import pytest
import yaml

from memwall.plots_html import build
from memwall.trend_inputs import claims_table, printed_decimals
from support import REPO, run

REQUIRED = {"id", "series", "source", "n", "start", "end", "per_2_years", "per_2_years_low",
            "per_2_years_high", "doubling_years"}  # fmt: skip
FIGURES = ("figure1_paper_2021", "figure1_paper_2023", "figure1_datasheets", "memory_wall",
           "training_compute", "ridge_point")  # fmt: skip
# Anything that makes a browser fetch: src/href to a URL, CSS url(http..), @import.
FETCHING = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?https?:|@import""")


def _fits(repo) -> dict[str, dict]:
    return {f["id"]: f for f in json.loads((repo / "reports/trends.json").read_text())["fits"]}


def test_every_fit_carries_the_contract_fields_and_a_flat_metrics_file(built_repo):
    fits = _fits(built_repo)
    assert len(fits) >= 30
    for fit_id, fit in fits.items():
        assert set(fit) >= REQUIRED, fit_id
        assert fit["per_2_years_low"] <= fit["per_2_years"] <= fit["per_2_years_high"], fit_id
        flat = json.loads((built_repo / "reports/trends/fits" / f"{fit_id}.json").read_text())
        assert all(not isinstance(v, dict | list) for v in flat.values())
    with_claims = [f for f in fits.values() if "claim_per_2_years" in f]
    assert with_claims and all(isinstance(f["agrees"], bool) for f in with_claims)


def test_the_paper_table_fit_matches_a_least_squares_line_computed_here(built_repo):
    # Independent of the library: NLP rows of the published models table from the
    # Transformer on, Baidu's recommendation models out (as data/trends.yaml declares), numpy.
    models = pl.read_parquet(built_repo / "processed/models.parquet").filter(
        (pl.col("domain") == "nlp")
        & ~pl.col("model").is_in(["Baidu RecSys-C", "Baidu RecSys-E"])
        & (pl.col("published") >= date(2017, 6, 1))
        & pl.col("params").is_not_null()
    )
    years = [
        d.year + (d - date(d.year, 1, 1)).days / (date(d.year + 1, 1, 1) - date(d.year, 1, 1)).days
        for d in models["published"]
    ]
    slope = np.polyfit(years, np.log10(models["params"].to_numpy().astype(float)), 1)[0]
    fit = _fits(built_repo)["upstream-nlp-params"]
    assert fit["n"] == models.height
    assert fit["per_2_years"] == pytest.approx(10 ** (2 * slope), rel=1e-5)


def test_the_paper_figure_reproduces_its_legend(built_repo):
    fits = _fits(built_repo)
    flops = fits["fig1-2023-flops"]
    assert flops["claim_per_2_years"] == 3.0 and flops["agrees"] is True
    assert flops["n"] == 37  # markers of the 2023 HW FLOPS series (figures stage)
    assert fits["fig1-2021-interconnect"]["claim_per_2_years"] == 1.4


def test_the_claims_table_names_claim_reproduction_and_independent_data(built_repo):
    rows = json.loads((built_repo / "reports/trends/claims.json").read_text())
    compute = next(r for r in rows if r["quantity"] == "Peak compute of accelerators")
    assert [f["id"] for f in compute["reproduction"]] == ["fig1-2023-flops", "fig1-2021-flops"]
    assert all(f["fitted"] for f in compute["reproduction"] + compute["independent"])
    text = (built_repo / "reports/trends.md").read_text()
    assert "| Peak compute of accelerators | 3.0x/2yrs" in text
    assert "Epoch AI" in text and "CC BY 4.0" in text


def test_every_figure_exists_as_svg_and_png(built_repo):
    folder = built_repo / "reports/trends/figures"
    for name in FIGURES:
        assert (folder / f"{name}.svg").stat().st_size > 1000, name
        assert (folder / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


def test_every_plot_group_is_declared_as_a_dvc_plot(built_repo):
    groups = yaml.safe_load((REPO / "pipeline/memwall/data/trends.yaml").read_text())["plots"]
    declared = yaml.safe_load((REPO / "dvc.yaml").read_text())["plots"]
    files = {next(iter(entry)) for entry in declared}
    assert files == {f"reports/trends/plots/{g}.csv" for g in groups}
    for name in files:
        frame = pl.read_csv(built_repo / name)
        assert frame.columns == ["fit_id", "kind", "year", "value", "label"]
        assert frame.height > 0, name


def test_dvc_plots_show_of_the_real_plots_fetches_nothing(built_copy):
    web = REPO / "pipeline" / "web"
    if not (web / "node_modules" / "vega" / "build" / "vega.min.js").is_file():
        pytest.fail("pipeline/web/node_modules missing: run `make web` (npm ci)", pytrace=False)
    # pipeline/web/build is git-ignored (built by `make web`), so the copy builds its own.
    build(web, built_copy / "pipeline" / "web" / "build" / "plots.html")
    run(["dvc", "plots", "show", "-o", "plots_out"], built_copy)
    html = (built_copy / "plots_out" / "index.html").read_text(encoding="utf-8")
    assert html.count("vegaEmbed(") == 8
    assert FETCHING.findall(html) == []
    assert "cdn.jsdelivr" not in html


def test_printed_precision_comes_from_the_half_unit_of_the_legend():
    assert printed_decimals("3.0", 0.05) == 1
    assert printed_decimals("2", 0.5) == 0
    assert printed_decimals("410", 5.0) == -1  # precise to tens
    assert printed_decimals("1.25", None) == 2
    claims = claims_table(
        pl.DataFrame(
            {
                "vintage": ["v"] * 2,
                "figure": ["f"] * 2,
                "series": ["A", "B"],
                "legend_text": ["A: 410x / 2 yrs", "B: 30x / 20 yrs"],
                "factor_per_2_years": [410.0, None],
                "factor_per_2_years_text": ["410", None],
                "factor_per_2_years_half_unit": [5.0, None],
            }
        )
    )
    assert claims.to_dicts() == [
        {"vintage": "v", "figure": "f", "series": "A", "legend": "A: 410x / 2 yrs",
         "per_2_years": 410.0, "decimals": -1}
    ]  # fmt: skip
