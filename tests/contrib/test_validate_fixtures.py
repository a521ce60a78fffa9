"""`memwall validate` on files that each carry one defect: the (line, column, code) of every
error, read off the fixture text itself (the column of the text the contributor must fix).

Run inside a built copy of the repo, so conflicts and duplicates have a dataset to compare with."""

from __future__ import annotations

import pytest
from helpers import CONTRIB, located, validate_cli

END = object()  # the column just after the end of the line


def column_of(path, line: int, marker) -> int:
    """1-based column of `marker` on `line` of the fixture (an int is taken as is)."""
    if isinstance(marker, int):
        return marker
    text = (CONTRIB / path).read_bytes().split(b"\n")[line - 1].decode("utf-8", "replace")
    text = text.rstrip("\r")
    if marker is END:
        return len(text) + 1
    assert marker in text, f"{marker!r} not on line {line} of {path}"
    return text.index(marker) + 1


ERRORS = {
    "unit_tflops_instead_of_gflops.md": [(5, "3.2 TFLOPs", "unit")],
    "unknown_count_suffix.md": [(5, "70,000X", "unit")],
    "zero_and_negative_counts.md": [(5, "0 | -70", "unit"), (5, "-70,000M", "unit")],
    "row_with_too_few_cells.md": [(5, END, "ragged-row")],
    "row_with_too_many_cells.md": [(5, "42", "ragged-row")],
    "header_matches_no_table.md": [(3, 1, "unknown-table")],
    "no_table_at_all.md": [(1, 1, "no-table")],
    "empty_file.md": [(1, 1, "empty")],
    "impossible_date_day_first.md": [(5, "29/03/2022", "unit")],
    "ambiguous_date_swapped_against_dataset.md": [(5, "11/10/2018", "conflict")],
    "date_in_the_future.md": [(5, "01/15/2031", "future-date")],
    "formula_in_model_name.md": [(5, "=HYPERLINK", "formula"), (6, "@SUM", "formula")],
    "conflict_with_published_params.md": [(5, "180,000M", "conflict")],
    "same_model_twice.md": [(6, "Chinchilla", "repeated-model")],
    "csv_count_with_raw_units.csv": [(2, '"70,000M"', "unit")],
    "csv_date_month_first.csv": [(2, "03/29/2022", "unit")],
    "csv_unknown_column.csv": [(1, "parameters", "unknown-column")],
    "csv_model_id_not_the_alias.csv": [(2, "vgg19", "model-id")],
    "csv_formula_in_model_name.csv": [(2, "+cmd", "formula")],
    "csv_unterminated_quote.csv": [(2, '"Chinchilla', "csv")],
    "csv_domain_not_allowed.csv": [(2, "speech", "allowed")],
    "json_trailing_comma.json": [(2, "}", "json")],
    "json_not_a_list_of_records.json": [(1, 1, "json")],
    "json_negative_params.json": [(3, '"params"', "unit")],
    # The params key, not the model's value "params" before it.
    "json_model_named_like_a_column.json": [(1, '"params": -5', "unit")],
    # The record's "{", not column 1 (before it: the previous record's row).
    "json_indented_record_without_model.json": [(3, '{"domain"', "missing-column")],
    "csv_cr_only_then_final_lf.csv": [(1, "\r", "line-breaks")],
    # Three records on one line: each keeps its own errors.
    "json_records_on_one_line.json": [
        (1, '"params": -5', "unit"),
        (1, '"domain": "speech"', "allowed"),
    ],
    # Saved by classic Mac OS or Excel's "CSV (Macintosh)": one line, at its first CR.
    "cr_only_line_breaks.md": [(1, "\r", "line-breaks")],
    "csv_cr_only_line_breaks.csv": [(1, "\r", "line-breaks")],
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_each_defect_is_an_error_at_the_cell_to_fix(name, built_repo):
    result = validate_cli(CONTRIB / name, cwd=built_repo)
    expected = sorted(
        (line, column_of(name, line, marker), code) for line, marker, code in ERRORS[name]
    )
    assert located(result.problems, "error") == expected, result.stdout
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_not_utf8_names_the_line_and_byte(built_repo):
    data = (CONTRIB / "not_utf8.md").read_bytes()
    line = data.split(b"\n")[4]
    result = validate_cli(CONTRIB / "not_utf8.md", cwd=built_repo)
    assert located(result.problems, "error") == [(5, line.index(b"\xe9") + 1, "encoding")]
    assert "0xe9" in result.stdout and result.returncode == 1


def test_day_first_date_is_warned_against_the_known_date(built_repo):
    result = validate_cli(CONTRIB / "ambiguous_date_swapped_against_dataset.md", cwd=built_repo)
    column = column_of("ambiguous_date_swapped_against_dataset.md", 5, "11/10/2018")
    assert (5, column, "day-first") in located(result.problems, "warning")
    day_first = next(p for p in result.problems if p["code"] == "day-first")
    assert "2018-10-11" in day_first["message"]  # the date the dataset has


def test_impossible_date_suggests_the_swap(built_repo):
    result = validate_cli(CONTRIB / "impossible_date_day_first.md", cwd=built_repo)
    assert "swapped" in result.problems[0]["message"]


def test_conflict_names_the_existing_value_and_its_source(built_repo):
    result = validate_cli(CONTRIB / "conflict_with_published_params.md", cwd=built_repo)
    message = result.problems[0]["message"]
    assert "175,000M" in message and "raw/upstream/26_" in message


def test_exact_copy_of_a_published_row_is_a_duplicate_warning_only(built_repo):
    result = validate_cli(CONTRIB / "duplicate_of_published_row.md", cwd=built_repo)
    column = column_of("duplicate_of_published_row.md", 5, "Microsoft T-NLG")
    assert located(result.problems, "warning") == [(5, column, "duplicate")]
    assert result.returncode == 0


def test_a_consistency_check_fires_on_a_contributed_row(built_repo):
    name = "memory_total_not_sum_of_parts.md"
    result = validate_cli(CONTRIB / name, cwd=built_repo)
    memory_cells = {column_of(name, 5, t) for t in ("260.77", "521.54", "900.00", "2,000.00")}
    [(line, column, code)] = located(result.problems, "error")
    assert (line, code) == (5, "memory-sum") and column in memory_cells
    assert "1,682.31" in result.problems[0]["message"]  # what the parts add up to


@pytest.mark.parametrize(
    "name",
    [
        "valid_new_model.md",
        "valid_new_model.csv",
        "valid_new_model.json",
        "valid_crlf_line_endings.md",
    ],
)
def test_valid_contributions_pass_clean(name, built_repo):
    result = validate_cli(CONTRIB / name, cwd=built_repo)
    assert result.problems == [] and result.returncode == 0
    assert result.summary == {
        "files": 1,
        "rows_read": 1,
        "rows_valid": 1,
        "errors": 0,
        "warnings": 0,
    }


def test_bom_is_a_warning_and_the_rows_still_read(built_repo):
    result = validate_cli(CONTRIB / "bom_before_header.md", cwd=built_repo)
    assert located(result.problems, "warning") == [(1, 1, "bom")]
    assert result.summary["rows_valid"] == 1 and result.returncode == 0


def test_too_large_file_is_refused_with_the_limit(built_repo):
    result = validate_cli(CONTRIB / "valid_new_model.md", "--max-bytes", "100", cwd=built_repo)
    assert located(result.problems, "error") == [(1, 1, "too-large")]
    assert "100 bytes" in result.problems[0]["message"] and result.returncode == 1


@pytest.mark.parametrize(
    ("name", "read", "valid"),
    [
        # three records on one line, two with an error (rows were told apart by line alone)
        ("json_records_on_one_line.json", 3, 1),
        # an error at a record's "{" is that record's, not the one before
        ("json_indented_record_without_model.json", 2, 1),
        # a table with an unknown header after a valid one: the header's error is no row's
        ("unknown_table_after_a_valid_one.md", 2, 1),
    ],
)
def test_an_error_counts_against_its_own_row_only(built_repo, name, read, valid):
    result = validate_cli(CONTRIB / name, cwd=built_repo)
    assert (result.summary["rows_read"], result.summary["rows_valid"]) == (read, valid)


def test_a_finding_on_records_sharing_a_line_is_placed_in_its_own_models_record(built_repo):
    """Two copied records on one line: the probable-copy warning is at the first model's
    (Alpha Copy, by id) own cell, inside its record, not in Zeta Copy's before it."""
    path = CONTRIB / "json_copies_on_one_line.json"
    result = validate_cli(path, cwd=built_repo)
    (copy,) = [p for p in result.problems if p["code"] == "probable-copy"]
    assert copy["column"] > path.read_text(encoding="utf-8").index('{"model": "Alpha Copy"')


def test_a_repeated_model_names_the_line_and_column_of_its_first_row(tmp_path):
    """Two records on one line: "line 1" alone would not say which record came first."""
    path = CONTRIB / "json_same_model_twice_on_one_line.json"
    text = path.read_text(encoding="utf-8")
    key = '"model"'
    (repeated,) = [
        p for p in validate_cli(path, cwd=tmp_path).problems if p["code"] == "repeated-model"
    ]
    assert repeated["column"] == text.rindex(key) + 1
    assert f"({path}:1:{text.index(key) + 1})" in repeated["message"]
