"""great-expectations suites of the published tables: the structure from fields.py, plus the
hand-written expectations fields.py cannot state.

fields.py says each table's columns in order, which may not be null, which are unique, which
values are allowed and the bounds of each value; those expectations are generated here, so
the quality report never restates the gate's column lists and bounds. The JSON files under
`data/expectations/` keep only the rest: plausibility ranges narrower than the schema's,
`mostly` thresholds, relations between columns, patterns.
"""

from __future__ import annotations

import json
from pathlib import Path

from memwall.fields import PROVENANCE, TABLES, Field

PUBLISHED: dict[str, tuple[Field, ...]] = {**TABLES, "provenance": PROVENANCE}


def structural(fields: tuple[Field, ...]) -> list[dict]:
    """The expectations a table's fields state: ordered columns, then per column not null,
    unique, allowed values and bounds (in fields.py order)."""
    out = [
        {
            "type": "expect_table_columns_to_match_ordered_list",
            "kwargs": {"column_list": [f.name for f in fields]},
        }
    ]
    for f in fields:
        column = {"column": f.name}
        if not f.nullable:
            out.append({"type": "expect_column_values_to_not_be_null", "kwargs": column})
        if f.unique:
            out.append({"type": "expect_column_values_to_be_unique", "kwargs": column})
        if f.allowed:
            kwargs = {**column, "value_set": list(f.allowed)}
            out.append({"type": "expect_column_values_to_be_in_set", "kwargs": kwargs})
        if f.minimum is not None or f.maximum is not None:
            bounds = {"min_value": f.minimum, "max_value": f.maximum}
            kwargs = {**column, **{k: v for k, v in bounds.items() if v is not None}}
            out.append({"type": "expect_column_values_to_be_between", "kwargs": kwargs})
    return out


def load_suites(hand_written: Path) -> dict[str, dict]:
    """One suite per published table, by name: the structural expectations, then those of
    `hand_written/<table>.json` (name, meta, expectations) when it exists."""
    suites = {}
    for name, fields in PUBLISHED.items():
        path = hand_written / f"{name}.json"
        extra = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        suites[name] = {
            "name": name,
            "meta": extra.get("meta", {"notes": f"The published {name} table."}),
            "expectations": structural(fields) + extra.get("expectations", []),
        }
    return suites
