"""The contributor's path end to end: CONTRIBUTING.md's steps on a copy of the repo, the
hook and workflow files checked by their own tools' validators, spreadsheet-safe CSVs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import polars as pl
import pytest
from helpers import CONTRIB, validate_cli

from memwall.fields import MODELS
from memwall.merge import polars_dtype
from memwall.rules import broken, table_rules
from memwall.schemas import schema_problems, table_schema
from memwall.writers import csv_safe
from support import BIN, REPO, run


def test_pre_commit_accepts_the_hook_manifest():
    run([str(BIN / "pre-commit"), "validate-manifest", ".pre-commit-hooks.yaml"], REPO)


def test_the_ci_workflow_matches_the_github_actions_schema():
    run(
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            ".github/workflows/validate.yml",
        ],
        REPO,
    )


def test_contributing_examples_are_the_tables_the_validator_knows(tmp_path):
    """Each header row CONTRIBUTING.md tells people to copy is recognised, and its
    language-model example row is valid."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\n(\|.*?)```", text, flags=re.S)
    assert len(blocks) == 3
    for n, block in enumerate(blocks):
        target = tmp_path / f"block{n}.md"
        target.write_text(block, encoding="utf-8")
        result = validate_cli(target, cwd=tmp_path)
        assert not [p for p in result.problems if p["code"] == "unknown-table"], block
        assert result.returncode == 0, result.stdout


@pytest.mark.slow
@pytest.mark.rebuilds
def test_a_contribution_made_as_contributing_says_reaches_the_dataset(built_copy):
    """CONTRIBUTING.md: `make repro` first (here: the session's build), then the new table,
    `memwall validate`, its identity, `make repro` again."""
    contrib = built_copy / "raw/contrib/chinchilla.md"
    contrib.parent.mkdir(parents=True)
    contrib.write_bytes((CONTRIB / "valid_new_model.md").read_bytes())
    with (built_copy / "raw/sources.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "  - id: contrib-chinchilla\n"
            "    path: raw/contrib/chinchilla.md\n"
            "    kind: contrib\n"
            "    evidence: https://arxiv.org/abs/2203.15556\n"
        )
    check = validate_cli("raw/contrib/chinchilla.md", cwd=built_copy)
    assert check.returncode == 0 and check.summary["rows_valid"] == 1
    names = built_copy / "pipeline/memwall/data/reference_names.yaml"
    with names.open("a", encoding="utf-8") as fh:  # CONTRIBUTING section 3: its identity
        fh.write(
            "- model_id: chinchilla\n  reference: Chinchilla\n"
            "  reason: Hoffmann et al. 2022, the 70B model, as in the reference.\n"
        )
    run([str(BIN / "dvc"), "repro"], built_copy)
    models = pl.read_parquet(built_copy / "processed/models.parquet")
    row = models.filter(pl.col("model_id") == "chinchilla").to_dicts()
    assert row and row[0]["params"] == 70_000_000_000 and row[0]["domain"] == "nlp"
    assert row[0]["published"] == dt.date(2022, 3, 29)
    prov = pl.read_parquet(built_copy / "processed/provenance.parquet").filter(
        (pl.col("model_id") == "chinchilla") & (pl.col("field") == "params")
    )
    assert prov.select("source", "line", "raw").row(0) == (
        "raw/contrib/chinchilla.md",
        5,
        "70,000M",
    )
    package = (built_copy / "processed/datapackage.json").read_text(encoding="utf-8")
    assert "https://arxiv.org/abs/2203.15556" in package
    # Validating it again now reports the rows as already published, not as errors.
    again = validate_cli("raw/contrib/chinchilla.md", cwd=built_copy)
    assert again.returncode == 0 and again.summary["errors"] == 0


def test_csv_export_defuses_formulas_for_spreadsheets():
    frame = pl.DataFrame(
        {
            "model": ["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx", "GPT-3"],
            "params": [1, 2, 3, 4, 5, 6],
        }
    )
    out = io.StringIO(csv_safe(frame).write_csv())
    names = [r["model"] for r in csv.DictReader(out)]
    assert names[:5] == ["'=HYPERLINK(1)", "'+1", "'-2", "'@SUM(A1)", "'\tx"]
    assert names[5] == "GPT-3"  # a hyphen inside a name is left alone


def test_pipeline_schema_and_validator_enforce_the_same_rules():
    """pandera (the pipeline's gate) and the validator's polars rules reject the same rows."""
    latest = dt.date(2026, 12, 31)
    good = {"model_id": "m", "model": "M", "domain": "nlp", "params": 10}
    cases = {
        "formula": {"model": "=1+1"},
        "range": {"params": 0},
        "allowed": {"domain": "speech"},
        "date-range": {"published": dt.date(2031, 1, 1)},
        "pair": {"input_height": 224},
    }
    schema = table_schema("models", latest)
    for code, change in cases.items():
        row = {**good, **change}
        frame = pl.DataFrame(
            [{f.name: row.get(f.name) for f in MODELS}],
            schema={f.name: polars_dtype(f) for f in MODELS},
        )
        assert [r.code for _, r in broken(frame, table_rules("models", latest))] == [code]
        assert schema_problems(schema, frame), code
