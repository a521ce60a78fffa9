"""The markdown parser: tables found by their header, positions exact, bad rows rejected."""

from __future__ import annotations

import pytest

from memwall.markdown import find_tables, split_row
from memwall.parse import parse_markdown
from memwall.sources import Source
from memwall.tablekinds import unknown_header_reason
from support import FIXTURES

SOURCE = Source(id="fixture", path="fixture.md", kind="contrib", rank=1)


def parse_fixture(name: str):
    text = (FIXTURES / "parser" / name).read_text(encoding="utf-8")
    return parse_markdown(text, SOURCE)


def cell(cells, line, column):
    return next(c for c in cells if c["line"] == line and c["column"] == column)


def test_table_is_recognised_by_its_header_even_under_a_wrong_heading():
    cells, rejects = parse_fixture("heading-lies.md")
    assert rejects == []
    assert {c["kind"] for c in cells} == {"cv-accuracy"}
    assert cell(cells, 4, "Top-1")["text"] == "76.50"


def test_ragged_rows_are_rejected_with_their_cell_counts_and_others_kept():
    cells, rejects = parse_fixture("ragged-row.md")
    assert [(r["line"], r["code"]) for r in rejects] == [(4, "ragged-row"), (5, "ragged-row")]
    assert "row has 4 cells, the header has 7" in rejects[0]["reason"]
    assert "row has 8 cells" in rejects[1]["reason"]
    assert {c["line"] for c in cells} == {3}


def test_trailing_spaces_after_the_last_pipe_do_not_add_a_cell():
    cells, rejects = parse_fixture("trailing-spaces.md")
    assert rejects == []
    assert cell(cells, 3, "Total Memory")["text"] == "1.71 GB"


def test_last_row_without_final_newline_is_read_and_alignment_colons_accepted():
    cells, rejects = parse_fixture("no-final-newline.md")
    assert rejects == []
    assert cell(cells, 3, "Training PFLOPs")["text"] == "460"


def test_crlf_line_endings_read_like_lf():
    crlf, _ = parse_fixture("crlf.md")
    assert [c["text"] for c in crlf if c["line"] == 3] == [
        "06/01/2012",
        "AlexNet",
        "227 x 227",
        "61M",
        "1.4",
        "460",
    ]


def test_escaped_pipe_stays_inside_its_cell():
    cells, rejects = parse_fixture("escaped-pipe.md")
    assert rejects == []
    assert cell(cells, 3, "Model")["text"] == "Alex|Net"


def test_unknown_header_rejects_rows_and_names_the_closest_kind():
    cells, rejects = parse_fixture("unknown-header.md")
    assert cells == []
    assert [(r["line"], r["code"]) for r in rejects] == [(3, "unknown-table")]
    assert "closest:" in rejects[0]["reason"] and "missing" in rejects[0]["reason"]


def test_several_tables_and_prose_with_pipes_in_one_file():
    tables = list(find_tables((FIXTURES / "parser" / "two-tables-and-prose.md").read_text()))
    assert [(t.line, len(t.rows)) for t in tables] == [(3, 1), (9, 1)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("| a | b |", [("a", 3), ("b", 7)]),
        ("a | b", [("a", 1), ("b", 5)]),
        ("|  | b |", [("", 2), ("b", 6)]),
        ("  | x |   ", [("x", 5)]),
    ],
)
def test_split_row_gives_text_and_one_based_columns(line, expected):
    assert [(c.text, c.column) for c in split_row(line, 1)] == expected


def test_every_cell_position_points_at_its_text():
    text = (FIXTURES / "parser" / "trailing-spaces.md").read_text()
    lines = text.split("\n")
    cells, _ = parse_markdown(text, SOURCE)
    for c in cells:
        if c["text"]:
            assert lines[c["line"] - 1][c["char"] - 1 :].startswith(c["text"])


def test_unknown_header_names_at_most_ten_unexpected_columns_and_counts_the_rest():
    headers = ["Model", "Date", *(f"extra{i}" for i in range(40))]
    reason = unknown_header_reason(headers)
    assert "unexpected extra0, extra1, extra2" in reason
    assert "extra9 and 30 more" in reason
    assert "extra10" not in reason
