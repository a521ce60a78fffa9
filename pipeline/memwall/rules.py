"""The value rules of the published tables, as polars expressions built from `fields.py`.

One implementation, two users: the pipeline's pandera schemas (`schemas.py`) wrap each rule
in a `Check`, and `memwall validate` evaluates the same expressions directly, which keeps
pandera (and the pandas it imports) off the contributor's fast path.

Every rule passes on null: whether a column may be null is the `required` rule's job.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl

from memwall.fields import EARLIEST_YEAR, TABLES, Field

EARLIEST_DATE = dt.date(EARLIEST_YEAR, 1, 1)
# Leading characters a spreadsheet would read as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Their look-alikes a spreadsheet may fold (full-width and small forms), and invisible or blank
# characters before them (a zero-width space before "=HYPERLINK(...)").
FORMULA_LOOKALIKES = ("\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\ufe62", "\ufe63")
FORMULA_PATTERN = (
    "^[\\p{Cf}\\s]*["
    + "".join(re.escape(c) for c in (*FORMULA_PREFIXES, *FORMULA_LOOKALIKES))
    + "]"
)


@dataclass(frozen=True)
class Rule:
    """One rule: a stable code, the field it is about (None: the row), and a test.

    `passes` evaluates to True for every row that satisfies the rule.
    """

    code: str
    field: str | None
    message: str
    passes: pl.Expr


def field_rules(f: Field, latest: dt.date) -> list[Rule]:
    """The rules of one column; `latest` is the newest date the dataset accepts."""
    col = pl.col(f.name)
    rules: list[Rule] = []
    if not f.nullable:
        present = col.is_not_null()
        if f.dtype == "string":
            present = present & (col.str.len_chars() > 0)
        rules.append(Rule("required", f.name, f"{f.name} is required", present))
    if f.minimum is not None:
        rules.append(
            Rule("range", f.name, f"{f.name} must be at least {f.minimum:g}", col >= f.minimum)
        )
    if f.maximum is not None:
        rules.append(
            Rule("range", f.name, f"{f.name} must be at most {f.maximum:g}", col <= f.maximum)
        )
    if f.allowed:
        allowed = ", ".join(f.allowed)
        rules.append(
            Rule("allowed", f.name, f"{f.name} must be one of {allowed}", col.is_in(f.allowed))
        )
    if f.dtype == "date":
        rules.append(
            Rule(
                "date-range",
                f.name,
                f"{f.name} must be between {EARLIEST_DATE} and {latest}",
                col.is_between(EARLIEST_DATE, latest),
            )
        )
    if f.name == "year":
        rules.append(
            Rule("date-range", f.name, f"year must be at most {latest.year}", col <= latest.year)
        )
    if f.dtype == "string":
        rules.append(
            Rule(
                "formula",
                f.name,
                f"{f.name} must not start with = + - @ or a tab (a spreadsheet would run it)",
                ~col.str.contains(FORMULA_PATTERN),
            )
        )
    return [
        r if r.code == "required" else Rule(r.code, r.field, r.message, col.is_null() | r.passes)
        for r in rules
    ]


def row_rules(table: str) -> list[Rule]:
    """Rules across columns of one row."""
    names = {f.name for f in TABLES[table]}
    if {"input_height", "input_width"} <= names:
        height, width = pl.col("input_height"), pl.col("input_width")
        return [
            Rule(
                "pair",
                None,
                "input_height and input_width come in pairs",
                height.is_null() == width.is_null(),
            )
        ]
    return []


def table_rules(table: str, latest: dt.date) -> list[Rule]:
    """Every rule of a published table: its columns' rules, then its row rules."""
    return [r for f in TABLES[table] for r in field_rules(f, latest)] + row_rules(table)


def broken(frame: pl.DataFrame, rules: list[Rule]) -> list[tuple[int, Rule]]:
    """(row index, rule) for every rule a row of `frame` breaks, in row order."""
    if frame.is_empty() or not rules:
        return []
    results = frame.select(r.passes.fill_null(True).alias(f"r{i}") for i, r in enumerate(rules))
    found = []
    for i, rule in enumerate(rules):
        failing = results.with_row_index("row").filter(~pl.col(f"r{i}"))["row"].to_list()
        found += [(row, rule) for row in failing]
    return sorted(found, key=lambda pair: pair[0])
