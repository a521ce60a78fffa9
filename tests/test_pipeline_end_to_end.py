"""The real `dvc repro` on a copy of the repo: values, lineage, determinism, incrementality."""

from __future__ import annotations

import json
import math
import os
import subprocess
from pathlib import Path

import polars as pl
import pytest
import yaml

from support import BIN, run

pytestmark = [pytest.mark.slow, pytest.mark.rebuilds]


def _is_data_row(line: str) -> bool:
    """Not a separator (`|---|:--|`), not an empty row (`|  |  |`), not a model name's
    continuation (`|  | (64x4d) |  |`: one parenthesised cell, the rest empty)."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    filled = [c for c in cells if c]
    if all(set(c) <= set("-: ") for c in cells):
        return False
    return not (len(filled) == 1 and filled[0].startswith("("))


def raw_table_rows(repo: Path) -> int:
    """Data rows of every pipe table of every markdown source, counted from the raw text: in
    each block of consecutive lines starting with `|`, the lines after the first delimiter
    row (one or two header lines come before it) that are data rows (`_is_data_row`)."""
    sources = yaml.safe_load((repo / "raw/sources.yaml").read_text(encoding="utf-8"))["sources"]
    rows = 0
    for source in sources:
        if source["kind"] not in ("upstream", "contrib"):
            continue
        block: list[str] = []
        for line in [*(repo / source["path"]).read_text(encoding="utf-8").split("\n"), ""]:
            if line.lstrip().startswith("|"):
                block.append(line)
                continue
            delimiter = next(
                (i for i, b in enumerate(block) if set(b.strip()) <= set("|-: ")), None
            )
            if delimiter is not None:
                rows += sum(_is_data_row(b) for b in block[delimiter + 1 :])
            block = []
    return rows


def raw_line(repo: Path, source: str, line: int, more: int = 0) -> str:
    """Line `line` of a raw file (and the `more` lines after it, for multi-line CSV cells)."""
    lines = (repo / source).read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[line - 1 : line + more])


def test_gpt3_numbers_come_out_in_base_units(built_repo):
    models = pl.read_parquet(built_repo / "processed/models.parquet")
    gpt3 = models.filter(pl.col("model_id") == "gpt-3").row(0, named=True)
    assert gpt3["params"] == 175_000_000_000
    assert math.isclose(gpt3["inference_flop"], 7.4e14)
    assert math.isclose(gpt3["training_flop"], 3.1e23)
    assert gpt3["input_tokens"] == 2048
    assert gpt3["published"].isoformat() == "2020-05-28"


def test_every_value_traces_to_a_raw_line_holding_its_text(built_repo):
    prov = pl.read_parquet(built_repo / "processed/provenance.parquet")
    located = prov.filter(pl.col("source").is_not_null() & (pl.col("raw") != ""))
    assert located.height > 300
    for r in located.iter_rows(named=True):
        if r["status"] == "derived" and not r["column"]:
            continue
        assert r["raw"] in raw_line(built_repo, r["source"], r["line"], r["raw"].count("\n")), r


def test_gpt3_params_provenance_points_at_the_newest_snapshot(built_repo):
    prov = pl.read_parquet(built_repo / "processed/provenance.parquet")
    row = prov.filter(
        (pl.col("table") == "models")
        & (pl.col("model_id") == "gpt-3")
        & (pl.col("field") == "params")
    ).row(0, named=True)
    assert row["raw"] == "175,000M"
    assert row["source"].startswith("raw/upstream/26_")
    line = raw_line(built_repo, row["source"], row["line"])
    assert line[row["char"] - 1 :].startswith("175,000M")


def test_model_only_in_the_older_snapshot_is_kept_with_that_source(built_repo):
    prov = pl.read_parquet(built_repo / "processed/provenance.parquet")
    row = prov.filter(
        (pl.col("model_id") == "resnet50") & (pl.col("field") == "top1_accuracy")
    ).row(0, named=True)
    assert (row["value"], row["raw"]) == ("76.5", "76.50")
    assert row["source"].startswith("raw/upstream/11_")


def test_gpt2_sequence_length_is_corrected_and_says_so(built_repo):
    memory = pl.read_parquet(built_repo / "processed/memory.parquet")
    assert memory.filter(pl.col("model_id") == "gpt-2")["input_tokens"].item() == 1024
    prov = pl.read_parquet(built_repo / "processed/provenance.parquet")
    row = prov.filter(
        (pl.col("table") == "memory")
        & (pl.col("model_id") == "gpt-2")
        & (pl.col("field") == "input_tokens")
    ).row(0, named=True)
    assert row["raw"] == "2014"
    assert row["corrections"] == "gpt2-memory-sequence-length"


def test_spelling_variants_share_one_model_id_and_different_models_do_not(built_repo):
    models = pl.read_parquet(built_repo / "processed/models.parquet")
    memory = pl.read_parquet(built_repo / "processed/memory.parquet")
    ids = set(models["model_id"]) | set(memory["model_id"])
    assert "vgg-19" in set(memory["model_id"]) and "vgg19" not in ids
    assert "microsoft-t-nlg" in ids and "microsoft-t-nlp" not in ids
    assert {"transformer", "transformer-big-wmt"} <= ids


def test_lineage_accounts_for_every_raw_row(built_repo):
    lineage = json.loads((built_repo / "processed/lineage.json").read_text())
    raw = lineage["raw_rows"]
    assert raw["total"] == raw["kept"] + raw["rejected"] == raw_table_rows(built_repo)
    assert len(lineage["rejected"]) == raw["rejected"]
    for out in lineage["outputs"]:
        assert (built_repo / out["path"]).is_file()
    assert lineage["corrected_cells"] >= 3


def test_csv_and_json_agree_with_parquet(built_repo):
    parquet = pl.read_parquet(built_repo / "processed/models.parquet")
    csv = pl.read_csv(built_repo / "processed/models.csv", schema=parquet.schema)
    assert csv.equals(parquet)
    records = json.loads((built_repo / "processed/models.json").read_text())
    assert [r["model_id"] for r in records] == parquet["model_id"].to_list()


def test_a_build_from_nothing_writes_the_very_dvc_lock_of_the_checkout(built_repo):
    """Determinism across runs and machines: the session's build started from a clean copy
    with no DVC cache (every stage ran) and recorded the same md5 for every output, figures,
    site and Data Docs included, as the dvc.lock this checkout carries, which was written by
    an earlier build elsewhere. A stale lock (code or data changed, `dvc repro` not run and
    committed) fails here too: the published lock must describe what `dvc repro` makes."""
    changed = run(["git", "diff", "--stat", "--", "dvc.lock"], built_repo).stdout
    assert changed == "", f"dvc.lock after a fresh build differs from the checkout's:\n{changed}"


def test_a_second_repro_does_nothing(built_copy):
    before = {p.name: p.read_bytes() for p in (built_copy / "processed").glob("*.*")}
    again = run(["dvc", "repro"], built_copy)
    assert "Data and pipelines are up to date" in again.stdout
    after = {p.name: p.read_bytes() for p in (built_copy / "processed").glob("*.*")}
    assert before == after and len(before) >= 9


def test_changing_a_param_reruns_only_what_depends_on_it(built_copy):
    params = built_copy / "params.yaml"
    params.write_text(
        params.read_text().replace('latest_date: "2026-12-31"', 'latest_date: "2027-01-31"')
    )
    out = run(["dvc", "repro", "validate"], built_copy).stdout
    assert "Stage 'parse' didn't change" in out
    assert "Stage 'normalize' didn't change" in out
    assert "Running stage 'validate'" in out


def test_a_stricter_rule_in_the_copy_reruns_the_gate_with_the_copys_code(built_copy, tmp_path):
    """issue 10: editing rules.py must re-run validate (not "didn't change, skipping"), with the
    copy's own code (not the checkout's installed package), even when `.venv/bin/dvc` runs
    without the venv on PATH (issue 18 item 7)."""
    repo = built_copy
    rules = repo / "pipeline/memwall/rules.py"
    text = rules.read_text()
    assert "col.is_between(EARLIEST_DATE, latest)" in text
    rules.write_text(
        text.replace(
            "col.is_between(EARLIEST_DATE, latest)", "col.is_between(dt.date(2015, 1, 1), latest)"
        )
    )
    env = {"PATH": os.defpath, "HOME": str(tmp_path), "DVC_NO_ANALYTICS": "1"}
    result = subprocess.run(
        [str(BIN / "dvc"), "repro"], cwd=repo, env=env, capture_output=True, text=True
    )
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Running stage 'validate'" in out
    assert "models: model 'alexnet', column published" in out
    assert "nothing exported" in out


def test_schema_violation_fails_repro_naming_table_model_and_column(built_copy):
    """The gate fails `dvc repro` at the cell, and the dataset built before stays as it was."""
    published = (built_copy / "processed/models.parquet").read_bytes()
    params = built_copy / "params.yaml"
    params.write_text(
        params.read_text().replace('latest_date: "2026-12-31"', 'latest_date: "2020-01-01"')
    )
    result = run(["dvc", "repro"], built_copy, check=False)
    assert result.returncode != 0
    out = result.stderr + result.stdout
    assert "Running stage 'validate'" in out and "Running stage 'export'" not in out
    assert "models: model 'gpt-3', column published" in out
    assert (built_copy / "processed/models.parquet").read_bytes() == published


def test_the_gb_basis_in_params_explains_more_rows_than_the_other(built_repo):
    """Evidence for params.yaml normalize.gb_basis: params x 4 bytes vs printed GB."""
    import yaml

    basis = yaml.safe_load((built_repo / "params.yaml").read_text())["normalize"]["gb_basis"]
    models = pl.read_parquet(built_repo / "processed/models.parquet").select("model_id", "params")
    prov = pl.read_parquet(built_repo / "processed/provenance.parquet").filter(
        (pl.col("table") == "memory") & (pl.col("field") == "params_memory_bytes")
    )
    rows = prov.join(models, on="model_id").drop_nulls("params")
    assert rows.height >= 5

    def fits(gb: int) -> int:
        return sum(f"{r['params'] * 4 / gb:.2f} GB" == r["raw"] for r in rows.iter_rows(named=True))

    other = 10**9 if basis == 2**30 else 2**30
    assert fits(basis) > fits(other)
