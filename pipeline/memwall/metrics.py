"""The headline numbers `dvc metrics show` prints: few, flat, short-named, one row per file.

`dvc metrics show` prints every declared metrics file as one row of a single table whose
columns are the union of all files' (flattened) keys, sorted, so every key any file adds
widens every row. The details stay in non-metrics reports (`reports/findings.json`,
`reports/quality.json`, `reports/trends.json`, `reports/trends/fits/`); the metrics files hold
only what fits a 100-column terminal, sharing key names where they mean the same thing:

- findings (`reports/metrics/findings.json`): `errors`, `warnings` (accepted included, as in
  the findings report);
- quality (`reports/metrics/quality.json`): `passed` expectations and `errors` (expectations
  not met);
- growth (`reports/growth/<quantity>.json`, one per quantity of `headline` in data/trends.yaml): the
  paper's `claim` per 2 years, our `refit` of the paper's own points, and `top`, the rate on
  independent data through 2025 (the largest device or model per year), to 3 significant
  digits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

WIDTH = 100  # columns of the terminal `dvc metrics show` must fit
GROWTH_KEYS = ("claim", "refit", "top")
SIGNIFICANT = 3


def significant(value: float, digits: int = SIGNIFICANT) -> float:
    """`value` rounded to `digits` significant digits (a short, stable metric)."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def findings_metrics(summary: Mapping) -> dict:
    """Headline of the findings report's summary: errors and warnings (accepted included)."""
    return {"errors": int(summary["errors"]), "warnings": int(summary["warnings"])}


def quality_metrics(summary: Mapping) -> dict:
    """Headline of the GX summary (suite -> expectations, passed, failed) over all suites."""
    return {
        "errors": sum(len(s["failed"]) for s in summary.values()),
        "passed": sum(int(s["passed"]) for s in summary.values()),
    }


def check_headline(headline: Mapping, known: set[str]) -> list[str]:
    """Problems of the `headline` of data/trends.yaml (quantity -> {paper, top} fit ids), as
    messages."""
    problems = []
    for name, spec in headline.items():
        if not str(name).replace("-", "").isalnum():
            problems.append(f"headline '{name}': a file name of letters, digits and '-'")
        for key in ("paper", "top"):
            fit_id = (spec or {}).get(key)
            if fit_id is not None and fit_id not in known:
                problems.append(f"headline '{name}': no fit '{fit_id}' ({key})")
        if set(spec or {}) - {"paper", "top"}:
            problems.append(f"headline '{name}': only 'paper' and 'top' are known")
    return problems


def growth_metrics(fits: Sequence[Mapping], headline: Mapping) -> dict[str, dict]:
    """One flat dict per headline quantity, keyed by file name (`<quantity>.json`).

    `claim` is the rate the paper's legend prints for the `paper` fit, `refit` that fit's
    rate, `top` the `top` fit's rate; a key is left out when its fit (or claim) is absent.
    """
    by_id = {fit["id"]: fit for fit in fits}
    files = {}
    for name, spec in sorted(headline.items()):
        paper, top = by_id.get((spec or {}).get("paper")), by_id.get((spec or {}).get("top"))
        row = {}
        if paper is not None and paper.get("claim_per_2_years") is not None:
            row["claim"] = significant(float(paper["claim_per_2_years"]))
        if paper is not None:
            row["refit"] = significant(float(paper["per_2_years"]))
        if top is not None:
            row["top"] = significant(float(top["per_2_years"]))
        files[f"{name}.json"] = row
    return files
