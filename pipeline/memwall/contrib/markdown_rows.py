"""Contributed markdown tables -> rows, read by the pipeline's own parser and row reader."""

from __future__ import annotations

from collections.abc import Iterator

from memwall import codes
from memwall.contrib.problems import ERROR, WARNING, Problem
from memwall.contrib.rows import ContribRow
from memwall.markdown import Table, find_tables
from memwall.rows import RawCell, RowContext, read_row
from memwall.tablekinds import recognise, unknown_header_reason


def read_markdown(
    name: str, text: str, ctx: RowContext, source: dict
) -> tuple[list[ContribRow], list[Problem]]:
    """Every row of every table in `text`; tables are recognised by their header row.

    `source` holds `source_id`, `source` (the name shown in problems) and `rank`.
    """
    problems: list[Problem] = []
    return list(markdown_rows(name, text, ctx, source, problems)), problems


def markdown_rows(
    name: str, text: str, ctx: RowContext, source: dict, problems: list[Problem]
) -> Iterator[ContribRow]:
    """`read_markdown`'s rows one at a time (so a caller can keep them as frames, not as
    objects), its problems appended to `problems` as they are found."""
    tables = list(find_tables(text))
    if not tables:
        problems.append(
            Problem(
                name,
                1,
                1,
                ERROR,
                "no-table",
                "no markdown table found; expected a header row, a |---| row, then data rows",
            )
        )
    for table in tables:
        yield from table_rows(name, table, ctx, source, problems)


def table_rows(
    name: str, table: Table, ctx: RowContext, source: dict, problems: list[Problem]
) -> Iterator[ContribRow]:
    """The rows of one table (`markdown.Table`), its problems appended to `problems`."""
    headers = [c.text for c in table.header]
    kind = recognise(headers)
    if kind is None:
        message = unknown_header_reason(headers) + "; copy the header row of that table"
        problems.append(Problem(name, table.line, 1, ERROR, "unknown-table", message))
    elif not table.rows:
        problems.append(
            Problem(name, table.line, 1, WARNING, "no-rows", f"{kind.name} table has no rows")
        )
    header = RawCell(table.line, 1, "", table.header_text.strip())
    for row in table.rows:
        if kind is None:
            yield (ContribRow(name, row.line, None, readable=False))
            continue
        if len(row.cells) != table.width:
            yield (ContribRow(name, row.line, kind.table, readable=False))
            problems.append(ragged_problem(name, row, table.width, headers))
            continue
        cells = [
            RawCell(c.line, c.column, h.text, c.text)
            for h, c in zip(table.header, row.cells, strict=True)
        ]
        result = read_row(ctx, kind, source, header, cells)
        model_column = next(
            (c.char for c in cells if c.column.casefold() == "model"), cells[0].char
        )
        yield (
            ContribRow(
                name,
                row.line,
                kind.table,
                result.model_id,
                model_column,
                result.observations,
            )
        )
        problems += [Problem(name, e.line, e.char, ERROR, e.code, e.message) for e in result.errors]


def ragged_problem(name: str, row, width: int, headers: list[str]) -> Problem:
    """The ragged-row problem of a body row (`markdown.Row`) with the wrong cell count."""
    count = len(row.cells)
    if count > width:
        column = row.cells[width].column
        advice = ": remove the extra cells"
    else:
        column = len(row.text.rstrip()) + 1
        missing = ", ".join(headers[count:])
        advice = f": add cells for {missing}"
    ragged = codes.get("ragged-row")
    message = ragged.message(count=count, width=width, advice=advice)
    return Problem(name, row.line, column, ragged.severity, ragged.code, message)
