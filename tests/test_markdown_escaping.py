"""Every markdown table the project writes escapes its cells: a `|` or a line break in data
stays inside its cell instead of adding columns or ending the row."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from memwall.fields import Field
from memwall.markdown import escape_cell, find_tables, table_row
from memwall.report import render_markdown
from memwall.tools.changelog import compare, render, to_long
from memwall.tools.docs import _rows


def body_cells(markdown: str) -> list[list[str]]:
    """Cell texts of every body row of every table in `markdown`, as a reader sees them."""
    return [[c.text for c in row.cells] for t in find_tables(markdown) for row in t.rows]


def test_a_pipe_and_a_line_break_stay_in_their_cell():
    row = table_row(["GPT | 2", "two\nlines", "plain"])
    assert row == "| GPT \\| 2 | two lines | plain |"
    assert body_cells(f"| a | b | c |\n|---|---|---|\n{row}\n") == [
        ["GPT | 2", "two lines", "plain"]
    ]


def test_a_backslash_before_a_pipe_cannot_escape_the_escape():
    assert escape_cell("a\\|b") == "a\\\\\\|b"
    row = table_row(["a\\|b", "x"])
    cells = body_cells(f"| a | b |\n|---|---|\n{row}\n")
    assert len(cells[0]) == 2 and cells[0][1] == "x"


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_any_text_keeps_the_number_of_cells(texts):
    header = table_row(f"h{n}" for n in range(len(texts)))
    delimiter = "|" + "---|" * len(texts)
    [cells] = body_cells(f"{header}\n{delimiter}\n{table_row(texts)}\n")
    assert len(cells) == len(texts)


def test_the_changelog_escapes_a_value_holding_a_pipe():
    schema = {"model_id": pl.String, "model": pl.String, "published": pl.Date}
    old = {"models": pl.DataFrame([("a", "A", dt.date(2020, 1, 1))], schema=schema, orient="row")}
    new = {"models": pl.DataFrame([("a", "A | B", None)], schema=schema, orient="row")}
    text = render("v2", compare(to_long(old), to_long(new)))
    assert body_cells(text) == [
        ["models", "`a`", "`model`", "`A`", "`A | B`"],
        ["models", "`a`", "`published`", "`2020-01-01`", "(null)"],
    ]


def test_the_data_dictionary_escapes_a_description_holding_a_pipe():
    field = Field("ratio", "float64", "FLOP/byte", "peak FLOP/s | memory bandwidth")
    rows = _rows((field,))
    assert body_cells("\n".join(rows)) == [
        ["`ratio`", "float64", "FLOP/byte", "yes", "peak FLOP/s | memory bandwidth"]
    ]


def test_the_findings_summary_escapes_its_cells():
    summary = {
        "total": 1,
        "errors": 1,
        "warnings": 0,
        "infos": 0,
        "accepted": 0,
        "unresolved_errors": 1,
        "by_check": {"odd|code": {"errors": 1}},
    }
    assert body_cells(render_markdown([], summary)) == [["`odd|code`", "1", "0", "0"]]
