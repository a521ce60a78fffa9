"""Checks within one row of the memory table: the total and the optimizer state.

Tolerances come from the rounding of the printed values: a sum of values printed to 0.01 GB
may be off by up to 0.005 GB per term.
"""

from __future__ import annotations

import polars as pl

from memwall.checks.base import MARGIN, Finding, declared_finding, numbers, published, restate

PARTS = ("params_memory_bytes", "optimizer_memory_bytes", "activation_memory_bytes")
TOTAL = "total_memory_bytes"


def memory_sum(cells: pl.DataFrame, params: dict) -> list[Finding]:
    """`memory-sum`: the total must equal the sum of its parts, to the printed rounding."""
    wide = numbers(cells, "memory", (*PARTS, TOTAL))
    expected = pl.sum_horizontal(*(pl.col(p) for p in PARTS))
    tolerance = pl.sum_horizontal(*(pl.col(f"{f}_half") for f in (*PARTS, TOTAL)))
    fits = (pl.col(TOTAL) - expected).abs() <= tolerance * (1 - MARGIN)
    complete = pl.all_horizontal(*(pl.col(f).is_not_null() for f in (*PARTS, TOTAL)))
    candidates = wide.filter(complete & ~fits.fill_null(False))["model_id"]
    findings = []
    for model_id, row in published(cells, "memory", candidates).items():
        if TOTAL not in row or not all(p in row for p in PARTS):
            continue
        total = row[TOTAL]
        parts = [row[p] for p in PARTS]
        expected = sum(p["number"] for p in parts)
        tolerance = total["half"] + sum(p["half"] for p in parts)
        if abs(total["number"] - expected) <= tolerance:
            continue
        shown = restate(total["text"], total["number"], expected, extra_digits=0)
        terms = " + ".join(p["text"] for p in parts)
        findings.append(
            declared_finding(
                "memory-sum",
                model_id=model_id,
                fields=(*PARTS, TOTAL),
                observed={f: row[f]["text"] for f in (*PARTS, TOTAL)},
                expected=f"{TOTAL} = {shown}",
                sources=tuple(row[f]["at"] for f in (*PARTS, TOTAL)),
                total=total["text"],
                terms=terms,
                shown=shown,
            )
        )
    return findings


def optimizer_ratio(cells: pl.DataFrame, params: dict) -> list[Finding]:
    """`optimizer-ratio`: optimizer state is a known multiple of parameter memory.

    `params["optimizer_ratios"]` lists the multiples of known optimizers (1 for SGD with
    momentum, 2 for Adam's two moments). A ratio that fits none is a warning: the row may
    use another optimizer, or one of the two cells is mistyped.
    """
    ratios = [float(r) for r in params["optimizer_ratios"]]
    wide = numbers(cells, "memory", ("params_memory_bytes", "optimizer_memory_bytes"))
    p_, o_ = pl.col("params_memory_bytes"), pl.col("optimizer_memory_bytes")
    p_half, o_half = pl.col("params_memory_bytes_half"), pl.col("optimizer_memory_bytes_half")
    fits = pl.any_horizontal(
        ((o_ - k * p_).abs() <= (o_half + k * p_half) * (1 - MARGIN)).fill_null(False)
        for k in ratios
    )
    candidates = wide.filter(~fits)["model_id"]
    findings = []
    for model_id, row in published(cells, "memory", candidates).items():
        p, o = row.get("params_memory_bytes"), row.get("optimizer_memory_bytes")
        if p is None or o is None:
            continue
        fits = [
            k for k in ratios if abs(o["number"] - k * p["number"]) <= o["half"] + k * p["half"]
        ]
        if fits:
            continue
        nearest = min(ratios, key=lambda k: abs(o["number"] - k * p["number"]))
        shown = restate(o["text"], o["number"], nearest * p["number"], extra_digits=0)
        findings.append(
            declared_finding(
                "optimizer-ratio",
                model_id=model_id,
                fields=("params_memory_bytes", "optimizer_memory_bytes"),
                observed={"params_memory_bytes": p["text"], "optimizer_memory_bytes": o["text"]},
                expected=f"optimizer_memory_bytes = {nearest:g} x params_memory_bytes = {shown}",
                sources=(p["at"], o["at"]),
                optimizer=o["text"],
                ratio=o["number"] / p["number"],
                params=p["text"],
                known=" or ".join(f"{k:g}x" for k in ratios),
                shown=shown,
            )
        )
    return findings
