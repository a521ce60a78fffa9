"""The history checks' findings as `checks.base.Finding`s, for the findings stage to gather."""

from __future__ import annotations

import polars as pl

from memwall.checks.base import Finding


def as_findings(frame: pl.DataFrame) -> list[Finding]:
    """One Finding per row of `history_checks.history_findings` (a unit shift, which is about
    a column, names its table in place of a model)."""
    return [
        Finding(
            code=r["code"],
            severity=r["severity"],
            model_id=r["model_id"] or r["table"],
            fields=(r["field"],),
            observed={},
            expected="",
            message=r["message"],
            sources=tuple(r["sources"].split(",")),
        )
        for r in frame.iter_rows(named=True)
    ]
