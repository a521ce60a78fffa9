"""Issue 18: hostile and unlucky inputs. One test (or a few) per item, named after it.

Each ran against the code before the fix and failed there: a quadratic blow-up, a traceback,
raw HTML, a lenient reading, or a way around the validator.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import polars as pl
import yaml

from memwall.checks.base import WARNING, Finding
from memwall.checks.copies import copy_groups
from memwall.markdown import code_span, escape_text
from memwall.report import render_markdown
from memwall.rules import FORMULA_PATTERN
from memwall.tools.changelog import Changes, render
from memwall.writers import csv_safe
from support import BIN, FIXTURES, REPO, run

HOSTILE = FIXTURES / "hostile"
TODAY = "2026-11-24"
CSV_HEADER = "model,domain,published,input_tokens,params,inference_flop,training_flop\n"
XSS = "<img src=x onerror=alert(document.domain)>"


def validate(*args, cwd: Path, env: dict | None = None):
    """`memwall validate --today TODAY ARGS...` in `cwd` (text output)."""
    cmd = [str(BIN / "memwall"), "validate", "--today", TODAY, *map(str, args)]
    return run(cmd, cwd, check=False, env=env or {})


def identical_rows(rows: int) -> str:
    body = "".join(
        f"Copy Model {i:06d},nlp,2021-01-01,512,125000000,1.28e11,1.28e17\n" for i in range(rows)
    )
    return CSV_HEADER + body


# --- 1. quadratic cost, lost output ----------------------------------------------------------


def test_item1_identical_rows_give_one_probable_copy_per_group(tmp_path):
    target = tmp_path / "copies.csv"
    target.write_text(identical_rows(300), encoding="utf-8")
    result = validate("--params", REPO / "params.yaml", target, cwd=tmp_path)
    copies = [line for line in result.stdout.splitlines() if "[probable-copy]" in line]
    # Before: one warning per ordered pair, 300 x 299 = 89,700 lines.
    assert len(copies) == 1, result.stdout[-2000:]
    assert "300 models share" in copies[0]
    assert result.stdout.rstrip().endswith("0 errors, 1 warnings")


def test_item1_repeated_messages_are_capped_per_code_with_a_count_of_the_rest(tmp_path):
    target = tmp_path / "no_domain.csv"
    rows = "".join(f"Model {i:04d},,2021-01-01,512,{10**6 * (i + 1)},,\n" for i in range(120))
    target.write_text(CSV_HEADER + rows, encoding="utf-8")
    result = validate("--max-per-code", "20", target, cwd=tmp_path)
    required = [line for line in result.stdout.splitlines() if "error[required]" in line]
    assert len(required) == 20
    assert "note: 100 more [required] problems not shown" in result.stdout
    assert "120 errors" in result.stdout  # the summary still counts them all
    as_json = json.loads(validate("--format", "json", target, cwd=tmp_path).stdout)
    assert as_json["omitted"] == {"required": 70} and len(as_json["problems"]) == 50


def test_item1_copy_groups_cost_is_not_quadratic():
    n = 100_000
    wide = pl.DataFrame(
        {
            "model_id": [f"m{i:06d}" for i in range(n)],
            "params": ["125000000"] * n,
            "features": ["1"] * n,
            "inference_flop": ["1.28e11"] * n,
        }
    )
    start = time.perf_counter()
    groups = copy_groups(wide, ("params", "features", "inference_flop"), 3)
    # A pairwise comparison of 10^5 rows is 5 * 10^9 pairs; grouping is well under a minute.
    assert time.perf_counter() - start < 30
    assert [len(g) for g in groups] == [n]


# --- 2. HTML from data rendered raw ----------------------------------------------------------


def test_item2_findings_md_escapes_html_in_names_messages_and_source_paths():
    finding = Finding(
        code="probable-copy",
        severity=WARNING,
        model_id=XSS,
        fields=("params",),
        observed={"params": XSS},
        expected=XSS,
        message=f"{XSS} and m2 share facts",
        sources=(f"raw/{XSS}.md:3:4",),
    )
    summary = {
        "total": 1,
        "errors": 0,
        "warnings": 1,
        "infos": 0,
        "accepted": 0,
        "unresolved_errors": 0,
        "by_check": {},
    }
    text = render_markdown([finding], summary)
    outside_code = "".join(text.split("`")[::2])  # code spans show `<` as typed
    assert "<img" not in outside_code
    assert "&lt;img src=x onerror=alert(document.domain)&gt;" in text


def test_item2_changelog_escapes_html_in_model_names():
    added = pl.DataFrame({"table": ["models"], "model_id": ["m"], "model": [XSS]})
    empty = added.clear()
    changed = pl.DataFrame(
        schema={k: pl.String for k in ("table", "model_id", "field", "old", "new")}
    )
    text = render("t", Changes(added, empty, changed))
    assert "<img" not in "".join(text.split("`")[::2])


def test_item2_escapers_hold_any_text():
    assert escape_text("a <b> & [c](d)") == "a &lt;b&gt; &amp; \\[c\\](d)"
    assert code_span("x`y") == "`` x`y ``"


def test_item2_contributed_file_with_an_html_name_is_refused(tmp_path):
    target = tmp_path / f"{XSS}.md"
    shutil.copy(FIXTURES / "contrib" / "valid_new_model.md", target)
    result = validate(target, cwd=tmp_path)
    assert result.returncode == 1
    assert ":1:1: error[unsafe-path]:" in result.stdout


# --- 4. tracebacks from the validator --------------------------------------------------------


def test_item4_counts_overflowing_64_bits_are_positioned_errors():
    result = validate(
        HOSTILE / "count_overflowing_64_bits.md",
        HOSTILE / "count_overflowing_64_bits.csv",
        cwd=HOSTILE,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stdout.splitlines() if "too large" in line]
    assert [e.split(": error")[0].rsplit("/", 1)[-1] for e in errors] == [
        "count_overflowing_64_bits.md:5:26",
        "count_overflowing_64_bits.md:5:52",
        "count_overflowing_64_bits.csv:2:28",
    ]


def test_item4_deeply_nested_json_is_a_positioned_error(tmp_path):
    target = tmp_path / "nested_200000_deep.json"
    target.write_text("[" * 200_000, encoding="utf-8")
    result = validate(target, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "nested_200000_deep.json:1:101: error[json]: nested more than 100" in result.stdout


def test_item4_truncated_provenance_parquet_is_a_usage_error(tmp_path):
    good = pl.DataFrame({"table": ["models"], "model_id": ["m"]})
    good.write_parquet(tmp_path / "whole.parquet")
    (tmp_path / "processed").mkdir()
    data = (tmp_path / "whole.parquet").read_bytes()
    (tmp_path / "processed" / "provenance.parquet").write_bytes(data[: len(data) // 2])
    result = validate(
        "--dataset",
        tmp_path / "processed",
        FIXTURES / "contrib" / "valid_new_model.md",
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "provenance.parquet: not a readable Parquet file" in result.stderr


def test_item4_non_ascii_output_under_a_posix_locale(tmp_path):
    target = tmp_path / "accented.csv"
    # A full-width five: the message quotes it, so the output holds non-ASCII text.
    target.write_text(CSV_HEADER + "Modèle Ü,nlp,2021-01-01,512,\uff15,,\n", encoding="utf-8")
    env = {"LC_ALL": "POSIX", "LANG": "", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    result = validate(target, cwd=tmp_path, env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "accented.csv:2:29: error[unit]: '\\uff15' is not a number" in result.stdout


# --- 5. lenient where it must be strict ------------------------------------------------------


def test_item5_numbers_in_arabic_indic_or_full_width_digits_are_rejected():
    result = validate("digits_not_ascii.csv", cwd=HOSTILE)
    assert result.returncode == 1
    units = [line.split(": ")[0] for line in result.stdout.splitlines() if "error[unit]" in line]
    # Arabic-Indic params (row 2), a full-width zero in the token count (row 3), Arabic-Indic
    # year digits in the date (row 4).
    assert units == [
        "digits_not_ascii.csv:2:33",
        "digits_not_ascii.csv:3:26",
        "digits_not_ascii.csv:4:17",
    ]


def test_item5_formula_look_alikes_and_invisible_characters_in_names_are_rejected():
    result = validate("formula_look_alikes_in_names.csv", cwd=HOSTILE)
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert any(
        line.startswith("formula_look_alikes_in_names.csv:2:1: error[formula]") for line in lines
    )
    assert any(line.startswith("formula_look_alikes_in_names.csv:3:1: error[") for line in lines)
    assert any(
        line.startswith("formula_look_alikes_in_names.csv:4:1: error[unit]") for line in lines
    )


def test_item5_csv_export_prefixes_formula_look_alikes():
    names = ["\uff1dHYPERLINK(1)", "\u200b=HYPERLINK(1)", "\ufe62SUM(1)", "GPT-3"]
    safe = csv_safe(pl.DataFrame({"model": names}))["model"].to_list()
    assert safe == ["'" + n for n in names[:3]] + ["GPT-3"]
    assert pl.Series(names).str.contains(FORMULA_PATTERN).to_list() == [True, True, True, False]


# --- 6. ways around the validator ------------------------------------------------------------


def test_item6_workflow_checks_renames_and_copies_with_the_base_branch_validator():
    workflow = yaml.safe_load((REPO / ".github/workflows/validate.yml").read_text())
    script = "\n".join(s.get("run", "") for s in workflow["jobs"]["validate"]["steps"])
    assert "--diff-filter=AM " not in script
    assert "--diff-filter=ACMR" in script and "--find-renames" in script
    # The pull request's own copy of the validator (and its `make venv`) never runs.
    assert "../base/.venv/bin/memwall validate" in script
    assert "\n.venv/bin/memwall" not in script
    assert "make venv" not in script.replace("make -C ../base venv", "")


def test_item6_run_from_another_directory_finds_the_files_repository(built_copy, tmp_path):
    target = built_copy / "conflict_contribution.md"
    shutil.copy(FIXTURES / "contrib" / "conflict_with_published_params.md", target)
    result = validate(target, cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert "error[conflict]" in result.stdout
    assert "no published dataset" not in result.stdout


def test_item6_without_a_dataset_the_skip_is_a_warning_strict_fails_on(tmp_path):
    target = tmp_path / "conflict.md"
    shutil.copy(FIXTURES / "contrib" / "conflict_with_published_params.md", target)
    lenient = validate(target, cwd=tmp_path)
    assert lenient.returncode == 0
    assert "warning: no published dataset found" in lenient.stdout
    strict = validate("--strict", target, cwd=tmp_path)
    assert strict.returncode == 1


# --- 8. messages -----------------------------------------------------------------------------


def test_item8_unknown_version_prints_the_error_without_dulwich_noise(tmp_path):
    code = "from memwall import api; api.load('models', version='v9.9.9-nonexistent')"
    result = run([str(BIN / "python"), "-c", code], REPO, check=False)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("memwall.api.DatasetError: ") and "'v9.9.9-nonexistent'" in last
    assert "Exception ignored" not in result.stderr, result.stderr[-2000:]


def test_item8_a_corrupted_remote_object_is_named_as_corruption():
    from memwall.api import _failure_message

    try:
        try:
            raise ValueError("hash mismatch: object 3f/ab... is corrupted")
        except ValueError as inner:
            raise FileNotFoundError("processed/models.parquet") from inner
    except FileNotFoundError as exc:
        message = _failure_message("processed/models.parquet at v0.1.0", exc)
    assert "corrupted" in message and "dvc push" in message
    assert "holds the data" not in message
