"""`memwall validate` reads a small file row by row and a large one column-wise
(`contrib.run.COLUMNWISE_FROM_LINES`): a contributor gets the same problems either way, and a
small file never pays the column-wise readers' fixed cost."""

from __future__ import annotations

import pytest
from helpers import validate_cli

from memwall.contrib import run

ROWS = 130  # over the threshold as markdown (2 header lines) and as CSV (1)


def _defect(i: int) -> tuple[str, str, str]:
    """(date, params in millions, inference GFLOPs) of row i, some of them wrong on purpose."""
    params = 100 + i
    gflops = f"{2 * params * 512 / 1000:,.3f}"
    date = f"{1 + i % 12:02d}/{1 + i % 28:02d}/2021"
    if i % 11 == 5:
        date = "13/45/2021"  # no such date
    if i % 13 == 2:
        gflops = "999"  # far from 2 x params x tokens
    return date, f"{params:,}M" if i % 7 != 3 else "12x", gflops


def markdown_with_defects(rows: int) -> str:
    lines = [
        "| Date | Model | Token Size | #Params | #Features | Inference GFLOPs | Training PFLOPs |",
        "|---|---|---|---|---|---|---|",
    ]
    for i in range(rows):
        date, params, gflops = _defect(i)
        name = f"Path Model {i % 100:03d}"  # rows 100.. repeat earlier models
        lines.append(f"| {date} | {name} | 512 | {params} | | {gflops} | |")
    return "\n".join(lines) + "\n"


def csv_with_defects(rows: int) -> str:
    lines = ["model,domain,published,input_tokens,params,inference_flop"]
    for i in range(rows):
        params = (100 + i) * 10**6 if i % 7 != 3 else "12x"
        flop = 2 * (100 + i) * 10**6 * 512 if i % 13 != 2 else 999
        published = f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 11 != 5 else "2021-13-45"
        lines.append(f"Path Model {i % 100:03d},nlp,{published},512,{params},{flop}")
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
    real_md, real_csv = run.read_markdown_columns, run.read_csv_columns

    def md(*args, **kwargs):
        used.append("md")
        return real_md(*args, **kwargs)

    def csv(*args, **kwargs):
        used.append("csv")
        return real_csv(*args, **kwargs)

    monkeypatch.setattr(run, "read_markdown_columns", md)
    monkeypatch.setattr(run, "read_csv_columns", csv)
    for name, make in (("large.md", markdown_with_defects), ("large.csv", csv_with_defects)):
        (tmp_path / name).write_text(make(ROWS), encoding="utf-8")
        validate_cli(tmp_path / name, cwd=tmp_path)
    assert used == ["md", "csv"]
