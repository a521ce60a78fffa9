"""Domains and dates an analyst trips on (issue 17 item 7), decided as corrections data:
a recommendation model listed in the NLP table, a memory row without a models row, a CV
row upstream never dated."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from memwall.corrections import Correction, Report, load_registry
from memwall.identity import Identities
from memwall.normalize import normalize
from memwall.parse import CELLS_SCHEMA, REJECTS_SCHEMA, parse_markdown
from memwall.rows import RowContext
from memwall.sources import Source
from support import FIXTURES, REPO, run

FIXTURE = "recommendation_model_in_nlp_table_and_memory_model_without_models_row.md"


def correction(id_: str, table: str, model: str, column: str, expect: str, value: str):
    return Correction(
        id=id_, table=table, model=model, column=column, action="override",
        reason="r", evidence="e", expect=expect, value=value,
    )  # fmt: skip


@pytest.fixture(scope="module")
def result():
    text = (FIXTURES / "domains" / FIXTURE).read_text()
    source = Source(id="fixture", path=f"fixtures/{FIXTURE}", kind="t", rank=1)
    cells, rejects = parse_markdown(text, source)
    corrections = [
        correction("recsys-domain", "models", "Baidu RecSys-C", "domain", "nlp", "recommendation"),
        correction("big-domain", "memory", "Transformer Big (WMT)", "domain", "", "nlp"),
        correction("resnet50-date", "models", "ResNet50", "Date", "", "12/10/2015"),
    ]
    report = Report()
    ctx = RowContext(corrections, Identities([]), 2**30, report)
    out = normalize(
        pl.DataFrame(cells, schema=CELLS_SCHEMA, orient="row"),
        pl.DataFrame(rejects, schema=REJECTS_SCHEMA, orient="row"),
        ctx,
    )
    return out, report


def cell(out, table: str, model_id: str, field: str) -> dict:
    return out.provenance.filter(
        (pl.col("table") == table) & (pl.col("model_id") == model_id) & (pl.col("field") == field)
    ).row(0, named=True)


def test_a_domain_correction_moves_a_model_out_of_its_table_domain(result):
    out, report = result
    domains = dict(out.tables["models"].select("model_id", "domain").iter_rows())
    assert domains == {"gpt-2": "nlp", "baidu-recsys-c": "recommendation", "resnet50": "cv"}
    prov = cell(out, "models", "baidu-recsys-c", "domain")
    # the evidence stays the NLP table's header row (line 1), now naming the correction
    assert (prov["line"], prov["status"], prov["corrections"]) == (1, "derived", "recsys-domain")
    assert cell(out, "models", "gpt-2", "domain")["corrections"] == ""
    assert [a["line"] for a in report.applied["recsys-domain"]] == [4]


def test_memory_rows_take_the_models_domain_and_a_correction_fills_the_one_without(result):
    out, _ = result
    memory = {r["model_id"]: r["domain"] for r in out.tables["memory"].iter_rows(named=True)}
    # GPT-2 from the models table; Transformer Big from its correction; AlexNet has neither
    assert memory == {"gpt-2": "nlp", "transformer-big-wmt": "nlp", "alexnet": None}
    inherited = cell(out, "memory", "gpt-2", "domain")
    assert (inherited["line"], inherited["source_id"]) == (1, "fixture")  # NLP header
    big = cell(out, "memory", "transformer-big-wmt", "domain")
    assert (big["line"], big["corrections"]) == (10, "big-domain")  # the memory table's header
    assert cell(out, "memory", "alexnet", "domain")["status"] == "absent"


def test_a_date_correction_fills_a_blank_date_cell_and_says_so(result):
    out, _ = result
    models = {r["model_id"]: r for r in out.tables["models"].iter_rows(named=True)}
    assert models["resnet50"]["published"] == dt.date(2015, 12, 10)
    prov = cell(out, "models", "resnet50", "published")
    assert (prov["raw"], prov["corrections"]) == ("", "resnet50-date")


def test_the_registry_decides_each_case_with_evidence():
    by_id = {c.id: c for c in load_registry(REPO / "pipeline/memwall/data/corrections.yaml")}
    for name in ("baidu-recsys-c-domain", "baidu-recsys-e-domain"):
        assert (by_id[name].column, by_id[name].value) == ("domain", "recommendation")
        assert "2003.05622" in by_id[name].evidence
    assert by_id["transformer-big-wmt-domain"].table == "memory"
    assert "1706.03762" in by_id["transformer-big-wmt-domain"].evidence
    dated = {
        "resnet50-date": ("12/10/2015", "1512.03385"),
        "densenet264-date": ("08/25/2016", "1608.06993"),
        "fix-resnext101-32x48d-wsl-date": ("06/14/2019", "1906.06423"),
    }
    for name, (value, arxiv) in dated.items():
        assert (by_id[name].column, by_id[name].expect, by_id[name].value) == ("Date", "", value)
        assert arxiv in by_id[name].evidence
    for name in ("resnext152-64x4d-date-unknown", "senet154-vd-date-unknown"):
        assert (by_id[name].action, by_id[name].expect) == ("flag", "")


def _epoch_date(model: str) -> str:
    """The reference row's publication date, read here with polars (not memwall)."""
    epoch = pl.read_csv(REPO / "raw/epoch/notable_ai_models.csv", infer_schema=False)
    return epoch.filter(pl.col("Model") == model)["Publication date"].item()


def test_dates_filled_from_the_reference_are_its_printed_dates():
    by_id = {c.id: c for c in load_registry(REPO / "pipeline/memwall/data/corrections.yaml")}
    for name, reference in (
        ("densenet264-date", "DenseNet-264"),
        ("fix-resnext101-32x48d-wsl-date", "FixRes ResNeXt-101 WSL"),
        ("resnet50-date", "ResNet-152 (ImageNet)"),  # the same paper's row
    ):
        month, day, year = by_id[name].value.split("/")
        assert f"{year}-{month}-{day}" == _epoch_date(reference), name


@pytest.mark.slow
def test_the_built_tables_count_and_join_as_the_readme_says(built_repo):
    models = pl.read_parquet(built_repo / "processed/models.parquet")
    counts = dict(models.group_by("domain").len().iter_rows())
    assert counts == {"cv": 13, "nlp": 13, "recommendation": 2}
    assert set(models.filter(pl.col("domain") == "recommendation")["model"]) == {
        "Baidu RecSys-C",
        "Baidu RecSys-E",
    }
    undated = set(models.filter(pl.col("published").is_null())["model_id"])
    assert undated == {"resnext152-64x4d", "senet154-vd"}
    memory = pl.read_parquet(built_repo / "processed/memory.parquet")
    assert memory["domain"].null_count() == 0
    joined = memory.join(models.select("model_id", "domain"), on="model_id", how="left")
    mismatched = joined.filter(pl.col("domain") != pl.col("domain_right"))
    assert mismatched.height == 0
    assert joined.filter(pl.col("domain_right").is_null())["model_id"].to_list() == [
        "transformer-big-wmt"
    ]
    prov = pl.read_parquet(built_repo / "processed/provenance.parquet")
    flagged = prov.filter(
        (pl.col("field") == "published") & pl.col("model_id").is_in(sorted(undated))
    )
    assert sorted(flagged["corrections"]) == [
        "resnext152-64x4d-date-unknown",
        "senet154-vd-date-unknown",
    ]
    shown = run(
        ["python", "-c", "import memwall; print(memwall.load('memory').columns[:3])"],
        built_repo,
    ).stdout
    assert shown.strip() == "['model_id', 'model', 'domain']"
