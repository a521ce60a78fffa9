"""`memwall validate` reads a small file row by row and a large one column-wise
(`contrib.run.COLUMNWISE_FROM_LINES`): a contributor gets the same problems either way, and a
small file never pays the column-wise readers' fixed cost."""

from __future__ import annotations

import pytest
from helpers import validate_cli

from memwall.contrib import run

ROWS = 130  # over the threshold as markdown (2 header lines) and as CSV (1)


def _row(i: int) -> dict:
    """Row i's values, some wrong on purpose: a unit typo ("12x", every 7th row), a date that
    does not exist (month 13, every 11th), inference FLOPs far from 2 x params x tokens (every
    13th); rows from 100 on repeat the models of rows 0 to 29."""
    params = 100 + i
    bad_date = i % 11 == 5
    return {
        "model": f"Path Model {i % 100:03d}",
        "month": 13 if bad_date else 1 + i % 12,
        "day": 45 if bad_date else 1 + i % 28,
        "params_m": None if i % 7 == 3 else params,
        "gflops": 999.0 if i % 13 == 2 else 2 * params * 512 / 1000,
    }


def markdown_with_defects(rows: int) -> str:
    lines = [
        "| Date | Model | Token Size | #Params | #Features | Inference GFLOPs | Training PFLOPs |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in map(_row, range(rows)):
        params = "12x" if r["params_m"] is None else f"{r['params_m']:,}M"
        lines.append(
            f"| {r['month']:02d}/{r['day']:02d}/2021 | {r['model']} | 512 | {params} | | "
            f"{r['gflops']:,.3f} | |"
        )
    return "\n".join(lines) + "\n"


def csv_with_defects(rows: int) -> str:
    lines = ["model,domain,published,input_tokens,params,inference_flop"]
    for r in map(_row, range(rows)):
        params = "12x" if r["params_m"] is None else r["params_m"] * 10**6
        lines.append(
            f"{r['model']},nlp,2021-{r['month']:02d}-{r['day']:02d},512,{params},"
            f"{round(r['gflops'] * 10**9)}"
        )
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("name", "make"), [("large.md", markdown_with_defects), ("large.csv", csv_with_defects)]
)
def test_a_large_file_read_column_wise_gets_the_problems_row_reading_gives(
    built_repo, tmp_path, monkeypatch, name, make
):
    """In a built checkout, so the checks against the dataset run too."""
    path = tmp_path / name
    path.write_text(make(ROWS), encoding="utf-8")
    columns = validate_cli(path, cwd=built_repo)
    monkeypatch.setattr(run, "COLUMNWISE_FROM_LINES", 10**9)  # every file row by row
    rows = validate_cli(path, cwd=built_repo)
    codes = {p["code"] for p in columns.problems}
    assert {"repeated-model", "inference-flops"} <= codes, codes  # the defects are seen
    assert len(columns.problems) > 20
    assert (columns.returncode, columns.problems, columns.summary) == (
        rows.returncode,
        rows.problems,
        rows.summary,
    )


@pytest.mark.parametrize(
    ("name", "make"), [("small.md", markdown_with_defects), ("small.csv", csv_with_defects)]
)
def test_a_small_file_is_read_without_the_column_wise_readers(
    built_repo, tmp_path, monkeypatch, name, make
):
    def refuse(*args, **kwargs):
        raise AssertionError("a column-wise reader read a small file")

    monkeypatch.setattr(run, "read_markdown_columns", refuse)
    monkeypatch.setattr(run, "read_csv_columns", refuse)
    path = tmp_path / name
    path.write_text(make(20), encoding="utf-8")
    result = validate_cli(path, cwd=built_repo)
    assert result.returncode == 1 and result.summary["rows_read"] == 20
    assert "inference-flops" in {p["code"] for p in result.problems}


def test_the_column_wise_readers_are_what_a_large_file_uses(tmp_path, monkeypatch):
    used = []

    def recording(label, reader):
        def read(*args, **kwargs):
            used.append(label)
            return reader(*args, **kwargs)

        return read

    monkeypatch.setattr(run, "read_markdown_columns", recording("md", run.read_markdown_columns))
    monkeypatch.setattr(run, "read_csv_columns", recording("csv", run.read_csv_columns))
    for name, make in (("large.md", markdown_with_defects), ("large.csv", csv_with_defects)):
        (tmp_path / name).write_text(make(ROWS), encoding="utf-8")
        validate_cli(tmp_path / name, cwd=tmp_path)
    assert used == ["md", "csv"]


def test_many_small_tables_are_read_row_by_row(tmp_path, monkeypatch):
    """130 one-row tables: over the line threshold, but no table is large enough for the
    column-wise reader, whose fixed cost is per table (a thousand took 30 s)."""
    header, separator, *rows = markdown_with_defects(ROWS).splitlines()
    path = tmp_path / "many.md"
    path.write_text("\n".join(f"{header}\n{separator}\n{r}\n" for r in rows), encoding="utf-8")
    answers = []

    def recording(*args, **kwargs):
        answers.append(read_columns(*args, **kwargs))
        return answers[-1]

    read_columns = run.read_markdown_columns
    monkeypatch.setattr(run, "read_markdown_columns", recording)
    result = validate_cli(path, cwd=tmp_path)
    assert answers == [None]  # declined: the row reader read the file
    assert result.summary["rows_read"] == ROWS
    assert {"unit", "repeated-model"} <= {p["code"] for p in result.problems}
    monkeypatch.setattr(run, "COLUMNWISE_FROM_LINES", 10**9)
    assert validate_cli(path, cwd=tmp_path).problems == result.problems


def test_small_tables_beside_a_large_one_are_read_row_by_row(tmp_path, monkeypatch):
    """One 130-row table and 40 one-row tables: the large table is read column-wise, each
    small one row by row (the column-wise reader's fixed cost is per table), and the
    problems are the row reader's."""
    from memwall.contrib import markdown_columns

    large = markdown_with_defects(ROWS)
    header, separator, *rows = markdown_with_defects(40).splitlines()
    small = "\n".join(f"Prose {i}.\n\n{header}\n{separator}\n{r}\n" for i, r in enumerate(rows))
    path = tmp_path / "mixed.md"
    path.write_text(large + "\n" + small, encoding="utf-8")
    column_wise = []
    read_table = markdown_columns._read_table

    def counting(*args, **kwargs):
        column_wise.append(args[4].height)  # the body's lines
        return read_table(*args, **kwargs)

    monkeypatch.setattr(markdown_columns, "_read_table", counting)
    result = validate_cli(path, cwd=tmp_path)
    assert column_wise == [ROWS]
    assert result.summary["rows_read"] == ROWS + 40
    monkeypatch.setattr(run, "COLUMNWISE_FROM_LINES", 10**9)
    assert validate_cli(path, cwd=tmp_path).problems == result.problems
