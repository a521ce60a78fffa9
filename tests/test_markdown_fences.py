"""Tables inside fenced code blocks are examples, not data: the table finder skips them."""

from __future__ import annotations

from pathlib import Path

from memwall.markdown import find_tables

FIXTURE = Path(__file__).resolve().parent / "fixtures/parser/table-in-code-fence.md"


def test_only_the_table_outside_code_fences_is_found():
    text = FIXTURE.read_text()
    real_header = text.splitlines().index("| Real | 5M |") - 1  # 1-based line of its header
    tables = list(find_tables(text))
    assert [(t.line, [c.text for r in t.rows for c in r.cells]) for t in tables] == [
        (real_header, ["Real", "5M"])
    ]


def test_a_table_after_a_closed_fence_is_still_found_with_crlf():
    text = "```\ncode | x\n```\n| a | b |\n|---|---|\n| 1 | 2 |\n".replace("\n", "\r\n")
    [table] = find_tables(text)
    assert table.line == 4 and [c.text for c in table.rows[0].cells] == ["1", "2"]


def test_backticks_in_an_info_string_do_not_open_a_fence():
    text = "``` not `a fence`\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert [t.line for t in find_tables(text)] == [2]
