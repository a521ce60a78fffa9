"""Contributed markdown tables read column-wise: lines, cells and positions as polars columns.

The reader follows `markdown_rows` (the pipeline's `markdown.find_tables` and `rows.read_row`)
exactly. Tables are found and split by `memwall.markdown_columns` (per-line flags, body
rows split on their pipes by polars, one row per cell with its line and column). Each
distinct (column, text) is read once by the units module (`tablekinds.read_cell`), and the
values are joined back to the cells. A row a correction in the registry may touch (its model
text is one a correction names) is read by `rows.read_row` itself. Texts this reader does
not take return None (the caller uses `markdown_rows`): a fenced code block, a backslash in
a table line (escaped pipes), or a character Python and polars disagree on as white space
(U+001C..U+001F).
"""

from __future__ import annotations

import polars as pl

from memwall.contrib.frames import (
    OBS_SCHEMA,
    ROW_SCHEMA,
    Contribution,
    from_rows,
    observation_base,
)
from memwall.contrib.markdown_rows import ragged_problem, table_rows
from memwall.contrib.problems import ERROR, WARNING, Problem
from memwall.contrib.rows import ContribRow
from memwall.markdown import Row, Table, split_row
from memwall.markdown_columns import columns_take, find_tables, lines_frame, split_cells
from memwall.normalize_columns import reading_observed
from memwall.normalize_columns import readings as read_texts
from memwall.rows import DERIVED, RawCell, RowContext, read_row
from memwall.tablekinds import TableKind, recognise, unknown_header_reason

_FENCE = "^ {0,3}(?:`{3,}|~{3,})"


def read_markdown_columns(
    name: str, text: str, ctx: RowContext, source: dict, min_rows: int = 0
) -> tuple[Contribution, list[Problem]] | None:
    """Rows, observations and problems of every table in `text`, or None when this reader
    does not take the text (see the module's docstring) or no table has `min_rows` body
    lines. Each table costs this reader a fixed ~50 ms, so a table of fewer lines is read
    row by row (`markdown_rows.table_rows`): a thousand one-row tables take 1 s, not 50."""
    lines = lines_frame(text, fences=False)
    if lines.filter(pl.col("text").str.contains(_FENCE)).height:
        return None
    tables = find_tables(lines)
    if tables and max(end - first for _, first, end in tables) < min_rows:
        return None
    if not columns_take(text, lines, tables):
        return None
    if not tables:
        message = "no markdown table found; expected a header row, a |---| row, then data rows"
        return Contribution.empty(), [Problem(name, 1, 1, ERROR, "no-table", message)]
    parts, problems = [], []
    for h, first, end in tables:
        header_text = lines["text"][h]
        header = split_row(header_text, h + 1)
        headers = [c.text for c in header]
        kind = recognise(headers)
        body = lines.slice(first, end - first).select(
            line=(pl.col("i") + 1).cast(pl.Int64), text=pl.col("text")
        )
        if kind is None:
            message = unknown_header_reason(headers) + "; copy the header row of that table"
            problems.append(Problem(name, h + 1, 1, ERROR, "unknown-table", message))
            unread = body.select(
                path=pl.lit(name),
                line="line",
                char=pl.lit(1, pl.Int64),
                table=pl.lit(None, pl.String),
                model_id=pl.lit(None, pl.String),
                model_column=pl.lit(1, pl.Int64),
                readable=pl.lit(False),
            )
            parts.append(Contribution(unread, pl.DataFrame(schema=OBS_SCHEMA)))
            continue
        if body.is_empty():
            problems.append(
                Problem(name, h + 1, 1, WARNING, "no-rows", f"{kind.name} table has no rows")
            )
            continue
        if end - first < min_rows:  # a small table among large ones: cheaper row by row
            texts = body["text"].to_list()
            rows = [Row(n, split_row(t, n), t) for n, t in zip(body["line"], texts, strict=True)]
            table = Table(header=header, header_text=header_text, rows=rows)
            parts.append(from_rows(list(table_rows(name, table, ctx, source, problems))))
            continue
        read, found = _read_table(name, kind, header, header_text, body, ctx, source)
        parts.append(read)
        problems += found
    return Contribution.concat(parts), problems


def _read_table(name, kind: TableKind, header, header_text, body, ctx, source):
    """One recognised table's rows (frames) and problems."""
    problems: list[Problem] = []
    width = len(header)
    headers = [c.text for c in header]
    cells = split_cells(body)
    counts = cells.group_by("line").agg(count=pl.len())
    body = body.join(counts, on="line", how="left").with_columns(pl.col("count").fill_null(0))
    ragged = body.filter(pl.col("count") != width)
    for line, line_text in ragged.select("line", "text").iter_rows():
        row = Row(line, split_row(line_text, line), line_text)
        problems.append(ragged_problem(name, row, width, headers))
    model_k = next(k for k, h in enumerate(headers) if h.casefold() == "model")
    even = body.filter(pl.col("count") == width).select("line")
    cells = cells.join(even, on="line", how="semi")
    model = cells.filter(pl.col("k") == model_k).select(
        "line", model=pl.col("text"), model_char=pl.col("char")
    )
    touched = {
        c.model
        for c in ctx.corrections
        if c.table in (kind.name, kind.table)
        and (c.source is None or c.source == source["source_id"])
    }
    slow_lines = model.filter(pl.col("model").is_in(sorted(touched)) & (pl.col("model") != ""))[
        "line"
    ]
    empty = model.filter(pl.col("model") == "")
    problems += [
        Problem(name, line, char, ERROR, "missing-model", "the Model cell is empty")
        for line, char in empty.select("line", "model_char").iter_rows()
    ]
    fast = model.filter((pl.col("model") != "") & ~pl.col("line").is_in(slow_lines.implode()))
    rows = [
        ragged.select(
            path=pl.lit(name),
            line="line",
            char=pl.lit(1, pl.Int64),
            table=pl.lit(kind.table),
            model_id=pl.lit(None, pl.String),
            model_column=pl.lit(1, pl.Int64),
            readable=pl.lit(False),
        ),
        empty.select(
            path=pl.lit(name),
            line="line",
            char=pl.lit(1, pl.Int64),
            table=pl.lit(kind.table),
            model_id=pl.lit(None, pl.String),
            model_column="model_char",
            readable=pl.lit(True),
        ),
    ]
    observations = []
    if not slow_lines.is_empty():
        slow, found = _slow_rows(name, kind, header, header_text, cells, slow_lines, ctx, source)
        rows.append(slow.rows)
        observations.append(slow.observations.with_columns(_seq=pl.lit(0, pl.Int64)))
        problems += found
    identity = ctx.identities.resolve_all(fast["model"]).rename(
        {"name": "model", "model_id": "_id", "display": "_name"}
    )
    fast = fast.join(identity, on="model", how="left", maintain_order="left")
    rows.append(
        fast.select(
            path=pl.lit(name),
            line="line",
            char=pl.lit(1, pl.Int64),
            table=pl.lit(kind.table),
            model_id="_id",
            model_column="model_char",
            readable=pl.lit(True),
        )
    )
    found_obs, found = _fast_observations(name, kind, header, header_text, cells, fast, ctx, source)
    observations.append(found_obs)
    problems += found
    all_rows = pl.concat([r.select(*ROW_SCHEMA) for r in rows]).sort("line")
    obs = (
        pl.concat([o.select(*OBS_SCHEMA, "_seq") for o in observations])
        .sort("row_line", "_seq", maintain_order=True)
        .drop("_seq")
    )
    return Contribution(all_rows, obs), problems


def _slow_rows(name, kind, header, header_text, cells, lines, ctx, source):
    """Rows a correction may touch, read by `rows.read_row` as `markdown_rows` does."""
    head = RawCell(header[0].line, 1, "", header_text.strip())
    mine = cells.join(pl.DataFrame({"line": lines}), on="line", how="semi").sort("line", "k")
    out, problems = [], []
    for (line,), group in mine.group_by("line", maintain_order=True):
        raw = [
            RawCell(line, char, header[k].text, text)
            for k, text, char in group.select("k", "text", "char").iter_rows()
        ]
        result = read_row(ctx, kind, source, head, raw)
        model_column = next((c.char for c in raw if c.column.casefold() == "model"), raw[0].char)
        out.append(
            ContribRow(name, line, kind.table, result.model_id, model_column, result.observations)
        )
        problems += [Problem(name, e.line, e.char, ERROR, e.code, e.message) for e in result.errors]
    return from_rows(out), problems


def _fast_observations(name, kind, header, header_text, cells, fast, ctx, source):
    """Observations of rows no correction touches: model_id, domain, then each cell."""
    base = observation_base(kind.table, name, source)
    model_k = next(k for k, h in enumerate(header) if h.text.casefold() == "model")
    parts = [
        fast.select(
            field=pl.lit("model_id"),
            value=pl.col("_id"),
            status=pl.lit(DERIVED),
            raw=pl.col("model"),
            line=pl.col("line"),
            char=pl.col("model_char"),
            column=pl.lit(header[model_k].text),
            _seq=pl.lit(0, pl.Int64),
            **base,
        )
    ]
    if kind.domain:
        parts.append(
            fast.select(
                field=pl.lit("domain"),
                value=pl.lit(kind.domain),
                status=pl.lit(DERIVED),
                raw=pl.lit(header_text.strip()),
                line=pl.lit(header[0].line, pl.Int64),
                char=pl.lit(1, pl.Int64),
                column=pl.lit(""),
                _seq=pl.lit(1, pl.Int64),
                **base,
            )
        )
    problems: list[Problem] = []
    mine = cells.join(fast.select("line", "_id", "_name", "model"), on="line", how="inner")
    for k, cell_header in enumerate(header):
        column = kind.column(cell_header.text)
        at = mine.filter(pl.col("k") == k)
        seq = 2 + 16 * k
        if column.field == "model":
            parts.append(
                at.select(
                    field=pl.lit("model"),
                    value=pl.coalesce("_name", "model"),
                    status=pl.lit("value"),
                    raw=pl.col("text"),
                    line=pl.col("line"),
                    char=pl.col("char"),
                    column=pl.lit(cell_header.text),
                    _seq=pl.lit(seq, pl.Int64),
                    **base,
                )
            )
            continue
        readings = read_texts(column, at["text"], ctx.gb_basis)
        joined = at.join(readings, on="text", how="inner")
        bad = joined.filter(pl.col("_error").is_not_null())
        problems += [
            Problem(name, line, char, ERROR, "unit", message)
            for line, char, message in bad.select("line", "char", "_error").iter_rows()
        ]
        parts.append(
            joined.filter(pl.col("_error").is_null()).select(
                **reading_observed(),
                column=pl.lit(cell_header.text),
                _seq=pl.col("_sub") + seq,
                **base,
            )
        )
    return pl.concat([p.select(*OBS_SCHEMA, "_seq") for p in parts]), problems
