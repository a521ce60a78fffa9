"""Unit conventions applied to an observation: its value in today's units.

`convert` is the one place the registry of `memwall.conventions` changes a value; the normalize
stage calls it for each row it reads with `rows.read_row` (`memwall.normalize`) and once per
distinct value for the rows it reads column-wise (`memwall.normalize_columns`).
"""

from __future__ import annotations

from collections.abc import Sequence

from memwall.conventions import Convention
from memwall.history_parse import history_table
from memwall.rows import value_text
from memwall.tablekinds import TableKind


def convert(
    obs: dict, kind: TableKind, version: int | None, conventions: Sequence[Convention]
) -> dict:
    """An observation in today's units: the conventions covering its version, table and
    field multiply its value; `printed` keeps the value as the version printed it."""
    applied = [
        c
        for c in conventions
        if version is not None
        and c.covers(version)
        and c.table == history_table(kind)
        and c.field == obs["field"]
        and obs["status"] in c.statuses
        and obs["value"] is not None
    ]
    value = obs["value"]
    for c in applied:
        value = value_text(float(value) * c.factor)
    return obs | {
        "value": value,
        "printed": obs["value"],
        "conventions": ",".join(c.id for c in applied),
    }
