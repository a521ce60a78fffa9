"""Consistency checks: generic rules a careful reviewer applies to every row.

Each check is a pure function `(cells, params) -> list[Finding]` with a stable code. `CHECKS`
maps the codes to the functions; `run_checks` runs them all and sorts the findings.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from memwall.checks import copies, crosssource, dates, memory, physics
from memwall.checks.base import Finding

Check = Callable[[pl.DataFrame, dict], list[Finding]]

CHECKS: dict[str, Check] = {
    "memory-sum": memory.memory_sum,
    "optimizer-ratio": memory.optimizer_ratio,
    "params-memory": physics.params_memory,
    "inference-flops": physics.inference_flops,
    "training-below-inference": physics.training_below_inference,
    "cross-source-conflict": crosssource.cross_source_conflict,
    "probable-copy": copies.probable_copy,
    "date-out-of-range": dates.published_date_range,
    "year-vs-published": dates.year_vs_published,
}


def run_checks(cells: pl.DataFrame, params: dict) -> list[Finding]:
    """Every check over `cells`, findings sorted deterministically."""
    findings = [f for check in CHECKS.values() for f in check(cells, params)]
    return sorted(findings, key=Finding.sort_key)
