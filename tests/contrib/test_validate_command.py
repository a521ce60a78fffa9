"""The command around the checks: exit codes, stdin, output formats, the dataset it compares
with, and the promise to stay off pandas, pandera and great_expectations."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from helpers import CONTRIB, TODAY, located, validate_cli

from support import BIN, REPO, run

LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>\w+)\[(?P<code>[\w-]+)\]: ")


def test_missing_file_is_a_usage_error_without_traceback(tmp_path):
    result = validate_cli(tmp_path / "nope.md", process=True)
    assert result.returncode == 2
    # With --format json (validate_cli's), a usage error is JSON on stdout (issue 17 item 5).
    error = json.loads(result.stdout)["error"]
    assert error["message"].endswith("nope.md: no such file") and error["exit"] == 2
    assert "Traceback" not in result.stderr + result.stdout


def test_wrong_file_types_say_what_they_are_and_what_is_accepted(tmp_path):
    parquet = tmp_path / "models.parquet"
    parquet.write_bytes(b"PAR1" + bytes(64) + b"PAR1")
    registry = tmp_path / "sources.yaml"
    registry.write_text("sources:\n  - id: x\n", encoding="utf-8")
    for path, kind in ((parquet, "a Parquet file"), (registry, "a YAML file")):
        result = run([str(BIN / "memwall"), "validate", str(path)], REPO, check=False)
        assert result.returncode == 1
        assert f"error[no-table]: this is {kind}; memwall validate reads markdown" in result.stdout


def test_usage_errors_are_json_on_stdout_with_format_json(tmp_path):
    for argv in (["validate", "--format", "json", str(tmp_path)], ["validate", "--format=json"]):
        result = run([str(BIN / "memwall"), *argv], REPO, check=False)
        assert result.returncode == 2 and result.stderr == ""
        assert json.loads(result.stdout)["error"]["kind"] == "usage"


def test_version_names_the_package_and_the_dataset():
    out = run([str(BIN / "memwall"), "--version"], REPO).stdout
    assert out.startswith("memwall ") and "(dataset v" in out


def test_directory_and_bad_options_are_usage_errors(tmp_path):
    assert validate_cli(tmp_path, process=True).returncode == 2
    bad_date = run(
        [str(BIN / "memwall"), "validate", "--today", "24/11/2026", str(CONTRIB / "empty_file.md")],
        REPO,
        check=False,
    )
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr
    assert run([str(BIN / "memwall")], REPO, check=False).returncode == 2


def test_stdin_is_read_and_named():
    data = (CONTRIB / "unit_tflops_instead_of_gflops.md").read_bytes()
    result = validate_cli("-", stdin=data)
    assert [(p["path"], p["line"], p["code"]) for p in result.problems] == [("<stdin>", 5, "unit")]
    csv = (CONTRIB / "valid_new_model.csv").read_bytes()
    assert validate_cli("-", stdin=csv).returncode == 0  # format sniffed: not markdown


def test_text_output_is_compiler_style_with_a_summary_and_matches_json(built_repo):
    name = CONTRIB / "formula_in_model_name.md"
    text = validate_cli(name, fmt="text", cwd=built_repo, process=True)
    as_json = validate_cli(name, cwd=built_repo, process=True)
    *problem_lines, summary = text.stdout.strip().splitlines()
    parsed = [LINE.match(line) for line in problem_lines]
    assert all(parsed), problem_lines
    assert [(int(m["line"]), int(m["col"]), m["code"]) for m in parsed] == [
        (p["line"], p["column"], p["code"]) for p in as_json.problems
    ]
    assert summary == "1 file, 2 rows read, 0 valid, 2 errors, 0 warnings"
    assert text.returncode == as_json.returncode == 1


def test_problems_are_sorted_by_file_order_then_position():
    first, second = CONTRIB / "same_model_twice.md", CONTRIB / "unknown_count_suffix.md"
    result = validate_cli(second, first, process=True)
    paths = [p["path"] for p in result.problems]
    assert paths == sorted(paths, key=lambda p: 0 if p.endswith(second.name) else 1)
    # Chinchilla appears in both files: the second mention is the repeated one.
    repeated = [p for p in result.problems if p["code"] == "repeated-model"]
    assert {p["path"].rsplit("/", 1)[-1] for p in repeated} == {first.name}
    assert result.summary["files"] == 2


def test_without_a_dataset_the_format_is_still_checked_and_the_skip_is_said(tmp_path):
    target = tmp_path / "c.md"
    shutil.copy(CONTRIB / "unit_tflops_instead_of_gflops.md", target)
    result = validate_cli(target, cwd=tmp_path, process=True)
    assert located(result.problems, "error") == [(5, 48, "unit")]
    text = validate_cli(target, cwd=tmp_path, fmt="text", process=True).stdout
    assert "warning: no published dataset found" in text
    assert "warning: no params.yaml found" in text


def test_the_command_never_imports_pandas_pandera_or_great_expectations():
    code = (
        "import sys; from memwall.tools.cli import main; "
        f"rc = main(['validate', '--today', '{TODAY}', '--format', 'json', "
        f"'{CONTRIB / 'memory_total_not_sum_of_parts.md'}']); "
        "heavy = [m for m in ('pandas', 'pandera', 'great_expectations') if m in sys.modules]; "
        "print('HEAVY', heavy, file=sys.stderr)"
    )
    result = run([str(BIN / "python"), "-c", code], REPO, check=False)
    assert "HEAVY []" in result.stderr, result.stderr


@pytest.mark.slow
def test_the_published_csvs_and_the_newest_snapshot_validate_without_errors(built_repo):
    for path in ("processed/models.csv", "processed/memory.csv"):
        result = validate_cli(built_repo / path, cwd=built_repo, process=True)
        assert result.returncode == 0, result.stdout
        assert result.summary["rows_valid"] == result.summary["rows_read"] > 0
        # Every row is already published, with the same values.
        duplicates = [p for p in result.problems if p["code"] == "duplicate"]
        assert len(duplicates) == result.summary["rows_read"]
    newest = next((built_repo / "raw/upstream").glob("26_*.md"))
    result = validate_cli(newest.relative_to(built_repo), cwd=built_repo, process=True)
    assert result.returncode == 0 and result.summary["errors"] == 0


def test_a_huge_quoted_text_is_printed_with_its_middle_left_out(tmp_path):
    """A 100,000-character column name does not make a 100 KB error line: its start, the
    count left out and the advice at the end are printed, in text and JSON alike."""
    target = tmp_path / "long.csv"
    target.write_text("model," + "x" * 100_000 + "\nA,1\n", encoding="utf-8")
    for fmt in ("text", "json"):
        result = validate_cli(target, cwd=tmp_path, fmt=fmt)
        assert result.returncode == 1
        assert len(result.stdout) < 2_000, fmt
        assert "characters left out" in result.stdout
        assert "the columns are domain" in result.stdout  # the advice, at the message's end
