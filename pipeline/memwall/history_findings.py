"""The history checks' findings as `checks.base.Finding`s, for the findings stage to gather."""

from __future__ import annotations

import polars as pl

from memwall.checks.base import Finding
from memwall.history_parse import Version


def _where(source: str, table: str, paths: dict[int, str], headers: dict) -> str:
    """`upstream-vN:LINE` -> `path:LINE:1`; `upstream-vN` (a column's shift) -> the table's
    header line in that version. Findings name raw positions as `path:line:char`."""
    version, _, line = source.removeprefix("upstream-v").partition(":")
    number = int(version)
    return f"{paths[number]}:{line or headers[(number, table)]}:1"


def as_findings(
    frame: pl.DataFrame, versions: list[Version], tables: pl.DataFrame
) -> list[Finding]:
    """One Finding per row of `history_checks.history_findings` (a unit shift, which is about
    a column, names its table in place of a model and points at the table's header rows)."""
    paths = {v.number: v.path for v in versions}
    headers = {
        (r["version"], r["table"]): r["header_line"]
        for r in tables.sort("header_line", descending=True).iter_rows(named=True)
    }
    return [
        Finding(
            code=r["code"],
            severity=r["severity"],
            model_id=r["model_id"] or r["table"],
            fields=(r["field"],),
            observed={},
            expected="",
            message=r["message"],
            sources=tuple(_where(s, r["table"], paths, headers) for s in r["sources"].split(",")),
        )
        for r in frame.iter_rows(named=True)
    ]
