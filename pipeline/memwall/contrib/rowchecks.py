"""Checks of each contributed row on its own: the published tables' rules, and dates.

The rules are `memwall.rules`, the ones the pipeline's pandera schemas apply to the published
tables; here they run on one typed row per contributed raw row, so each problem points at
the cell that breaks it.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from memwall.contrib.problems import ERROR, Problem
from memwall.contrib.rows import ContribRow
from memwall.fields import TABLES
from memwall.merge import cast_value, polars_dtype
from memwall.rules import broken, table_rules
from memwall.units import UnitError, day_first_reading, parse_name


def row_frame(table: str, rows: list[ContribRow]) -> pl.DataFrame:
    """One typed row per contributed row, with the published table's columns."""
    fields = TABLES[table]
    columns: dict[str, list] = {f.name: [] for f in fields}
    for row in rows:
        values = {o["field"]: o["value"] for o in row.observations}
        for f in fields:
            columns[f.name].append(cast_value(values.get(f.name), f))
    return pl.DataFrame(columns, schema={f.name: polars_dtype(f) for f in fields})


def rule_problems(rows: list[ContribRow], latest: dt.date) -> list[Problem]:
    """Every rule of the published tables each readable row breaks."""
    problems = []
    for table in TABLES:
        mine = [r for r in rows if r.table == table and r.readable and r.model_id]
        frame = row_frame(table, mine)
        for index, rule in broken(frame, table_rules(table, latest)):
            row = mine[index]
            line, column = row.where(rule.field)
            problems.append(Problem(row.path, line, column, ERROR, rule.code, rule.message))
    return problems


def name_problems(rows: list[ContribRow]) -> list[Problem]:
    """Model names holding invisible characters (the reader of names refuses them)."""
    problems = []
    for row in rows:
        model = row.cell("model") if row.readable else None
        if (
            model is None
            or not model["raw"]
            or (model["raw"].isascii() and model["raw"].isprintable())
        ):
            continue
        try:
            parse_name(model["raw"])
        except UnitError as exc:
            message = f"{exc.message} ({exc.expected})"
            problems.append(Problem(row.path, model["line"], model["char"], ERROR, "unit", message))
    return problems


def future_problems(rows: list[ContribRow], today: dt.date) -> list[Problem]:
    """Publication dates after `today` and years after this year."""
    problems = []
    for row in rows:
        for o in row.observations:
            if o["status"] != "value" or o["field"] not in ("published", "year"):
                continue
            if o["field"] == "published":
                date = dt.date.fromisoformat(o["value"])
                if date <= today:
                    continue
                swapped = day_first_reading(o["raw"])
                hint = (
                    f"; read day first it is {swapped}: write MM/DD/YYYY"
                    if swapped and swapped <= today
                    else ""
                )
                message = f"'{o['raw']}' ({date}) is in the future (today is {today}){hint}"
            else:
                if int(o["value"]) <= today.year:
                    continue
                message = f"year {o['value']} is in the future (today is {today})"
            problems.append(Problem(row.path, o["line"], o["char"], ERROR, "future-date", message))
    return problems
