"""Checks of each contributed row on its own: the published tables' rules, and dates.

The rules are `memwall.rules`, the ones the pipeline's pandera schemas apply to the published
tables; here they run on one typed row per contributed raw row (a pivot of the contribution's
observations), so each problem points at the cell that breaks it.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from memwall.contrib.frames import ROW_KEY, Contribution, row_keys
from memwall.contrib.problems import ERROR, Problem
from memwall.fields import TABLES
from memwall.merge import polars_dtype
from memwall.rows import DERIVED
from memwall.rules import broken, table_rules
from memwall.units import UnitError, day_first_reading, parse_name


def row_frame(table: str, contribution: Contribution) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The row keys (path, row_line, row_char, model_column) of a table's valid rows, and one typed
    row per row with the published table's columns, in the same order."""
    fields = TABLES[table]
    keys = row_keys(contribution.valid_rows().filter(pl.col("table") == table), "model_column")
    mine = contribution.observations.filter(pl.col("table") == table).join(
        keys, on=ROW_KEY, how="semi"
    )
    wide = keys.select(ROW_KEY)
    if not mine.is_empty():
        pivoted = mine.pivot(on="field", index=ROW_KEY, values="value", aggregate_function="first")
        wide = wide.join(pivoted, on=ROW_KEY, how="left", maintain_order="left")
    typed = []
    for f in fields:
        text = pl.col(f.name) if f.name in wide.columns else pl.lit(None, pl.String)
        match f.dtype:
            case "date":
                value = text.str.to_date("%Y-%m-%d", strict=False)
            case _:
                value = text.cast(polars_dtype(f), strict=False)
        typed.append(value.alias(f.name))
    # with_columns, not select: a frame of only literals would have one row, not none.
    return keys, wide.with_columns(typed).select(f.name for f in fields)


def rule_problems(contribution: Contribution, latest: dt.date) -> list[Problem]:
    """Every rule of the published tables each readable row breaks."""
    problems = []
    for table in TABLES:
        keys, frame = row_frame(table, contribution)
        if keys.is_empty():
            continue
        found = broken(frame, table_rules(table, latest))
        if not found:
            continue
        failing = keys[sorted({index for index, _ in found})]
        cells = (
            contribution.observations.join(failing, on=ROW_KEY, how="semi")
            .filter(pl.col("status") != DERIVED)
            .select(*ROW_KEY, "field", "line", "char")
        )
        at = {(p, r, c, f): (line, char) for p, r, c, f, line, char in cells.iter_rows()}
        key_rows = keys.rows()
        for index, rule in found:
            path, row_line, row_char, model_column = key_rows[index]
            where = (path, row_line, row_char, rule.field)
            line, column = at.get(where, (row_line, model_column))
            problems.append(Problem(path, line, column, ERROR, rule.code, rule.message))
    return problems


def name_problems(contribution: Contribution) -> list[Problem]:
    """Model names holding invisible characters (the reader of names refuses them)."""
    raw = pl.col("raw")
    odd = contribution.observations.filter(
        (pl.col("field") == "model") & (raw != "") & ~raw.str.contains("^[\x20-\x7e]*$")
    )
    problems = []
    for path, line, char, text in odd.select("path", "line", "char", "raw").iter_rows():
        try:
            parse_name(text)
        except UnitError as exc:
            message = f"{exc.message} ({exc.expected})"
            problems.append(Problem(path, line, char, ERROR, "unit", message))
    return problems


def future_problems(contribution: Contribution, today: dt.date) -> list[Problem]:
    """Publication dates after `today` and years after this year."""
    value, field = pl.col("value"), pl.col("field")
    late = contribution.observations.filter(
        (pl.col("status") == "value")
        & (
            ((field == "published") & (value.str.to_date("%Y-%m-%d", strict=False) > today))
            | ((field == "year") & (value.cast(pl.Int64, strict=False) > today.year))
        )
    )
    problems = []
    for path, line, char, name, text, raw in late.select(
        "path", "line", "char", "field", "value", "raw"
    ).iter_rows():
        if name == "published":
            date = dt.date.fromisoformat(text)
            swapped = day_first_reading(raw)
            hint = (
                f"; read day first it is {swapped}: write MM/DD/YYYY"
                if swapped and swapped <= today
                else ""
            )
            message = f"'{raw}' ({date}) is in the future (today is {today}){hint}"
        else:
            message = f"year {text} is in the future (today is {today})"
        problems.append(Problem(path, line, char, ERROR, "future-date", message))
    return problems
