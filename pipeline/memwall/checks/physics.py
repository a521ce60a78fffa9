"""Checks between columns that physics ties together: bytes per parameter, FLOPs per token.

Each compares two published values of one model and allows for the rounding of both.
"""

from __future__ import annotations

import polars as pl

from memwall.checks.base import MARGIN, Finding, declared_finding, numbers, published, restate

_OTHER_BASIS = {2**30: 10**9, 10**9: 2**30}


def params_memory(cells: pl.DataFrame, params: dict) -> list[Finding]:
    """`params-memory`: parameter memory = parameter count x bytes per parameter.

    The count comes from the models table, the memory from the memory table. A mismatch is
    a warning: one of the two is off, or the row assumed another count or precision. The
    message says when the printed memory would fit if "GB" meant the other basis.
    """
    width, basis = float(params["bytes_per_param"]), int(params["gb_basis"])
    mem = numbers(cells, "memory", ("params_memory_bytes",)).filter(
        pl.col("params_memory_bytes").is_not_null()
    )
    count = numbers(cells, "models", ("params",))
    both = mem.join(count, on="model_id", how="left")
    n, m = pl.col("params"), pl.col("params_memory_bytes")
    tolerance = pl.col("params_memory_bytes_half") + width * pl.col("params_half")
    fits = (m - n * width).abs() <= tolerance * (1 - MARGIN)
    candidates = both.filter(~fits.fill_null(False))["model_id"]
    counts = published(cells, "models", candidates)
    findings = []
    for model_id, row in published(cells, "memory", candidates).items():
        mem, count = row.get("params_memory_bytes"), counts.get(model_id, {}).get("params")
        if mem is None:
            continue
        if count is None:
            # A memory-only model: nothing to compare with, so say what the memory implies
            # rather than pass it unseen; a reviewer accepts it with the count's source.
            implied = mem["number"] / width
            findings.append(
                declared_finding(
                    "params-memory",
                    variant="unconfirmed",
                    model_id=model_id,
                    fields=("params_memory_bytes",),
                    observed={"params_memory_bytes": mem["text"]},
                    expected="a models-table parameter count to compare with",
                    sources=(mem["at"],),
                    memory=mem["text"],
                    implied_millions=implied / 1e6,
                    width=width,
                )
            )
            continue
        expected = count["number"] * width
        tolerance = mem["half"] + width * count["half"]
        if abs(mem["number"] - expected) <= tolerance:
            continue
        shown = restate(mem["text"], mem["number"], expected)
        implied = mem["number"] / width
        other = _OTHER_BASIS.get(basis)
        fits_other = bool(other) and (
            abs(mem["number"] * other / basis - expected) <= tolerance * other / basis
        )
        findings.append(
            declared_finding(
                "params-memory",
                variant="other-basis" if fits_other else None,
                model_id=model_id,
                fields=("params", "params_memory_bytes"),
                observed={"params": count["text"], "params_memory_bytes": mem["text"]},
                expected=f"params_memory_bytes = {shown} ({count['text']} x {width:g} bytes)",
                sources=(count["at"], mem["at"]),
                memory=mem["text"],
                implied_millions=implied / 1e6,
                width=width,
                count=count["text"],
                shown=shown,
                other=other,
                basis=basis,
            )
        )
    return findings


def inference_flops(cells: pl.DataFrame, params: dict) -> list[Finding]:
    """`inference-flops`: a transformer's forward pass costs about 2 x params x tokens FLOPs.

    Applies to rows with a token count. The bounds are loose (attention, embeddings and
    heads move the ratio by tens of percent); models that reuse weights (shared layers)
    legitimately exceed them and are resolved by an acceptance saying so.
    """
    low, high = float(params["inference_ratio_min"]), float(params["inference_ratio_max"])
    wide = numbers(cells, "models", ("params", "input_tokens", "inference_flop"))
    ratio = pl.col("inference_flop") / (2 * pl.col("params") * pl.col("input_tokens"))
    inside = (ratio >= low * (1 + MARGIN)) & (ratio <= high * (1 - MARGIN))
    complete = pl.all_horizontal(
        pl.col(f).is_not_null() for f in ("params", "input_tokens", "inference_flop")
    )
    candidates = wide.filter(complete & ~inside.fill_null(False))["model_id"]
    findings = []
    for model_id, row in published(cells, "models", candidates).items():
        n, t, f = row.get("params"), row.get("input_tokens"), row.get("inference_flop")
        if n is None or t is None or f is None:
            continue
        expected = 2 * n["number"] * t["number"]
        ratio = f["number"] / expected
        if low <= ratio <= high:
            continue
        shown = restate(f["text"], f["number"], expected, extra_digits=0)
        findings.append(
            declared_finding(
                "inference-flops",
                model_id=model_id,
                fields=("params", "input_tokens", "inference_flop"),
                observed={
                    "params": n["text"],
                    "input_tokens": t["text"],
                    "inference_flop": f["text"],
                },
                expected=f"inference_flop between {low:g} and {high:g} x 2 x params x tokens "
                f"= {shown} GFLOPs",
                sources=(n["at"], t["at"], f["at"]),
                flop=f["text"],
                ratio=ratio,
                params=n["text"],
                tokens=t["text"],
                shown=shown,
                low=low,
                high=high,
            )
        )
    return findings


def training_below_inference(cells: pl.DataFrame, params: dict) -> list[Finding]:
    """`training-below-inference`: training costs at least one forward pass; less is wrong."""
    wide = numbers(cells, "models", ("training_flop", "inference_flop"))
    train, infer = pl.col("training_flop"), pl.col("inference_flop")
    above = train - infer >= MARGIN * infer.abs()
    candidates = wide.filter(~above.fill_null(False))["model_id"]
    findings = []
    for model_id, row in published(cells, "models", candidates).items():
        train, infer = row.get("training_flop"), row.get("inference_flop")
        if train is None or infer is None or train["number"] >= infer["number"]:
            continue
        findings.append(
            declared_finding(
                "training-below-inference",
                model_id=model_id,
                fields=("inference_flop", "training_flop"),
                observed={"inference_flop": infer["text"], "training_flop": train["text"]},
                expected=f"training_flop >= inference_flop = {infer['number']:.3g} FLOP",
                sources=(infer["at"], train["at"]),
                training=train["text"],
                training_flop=train["number"],
                inference=infer["text"],
                inference_flop=infer["number"],
            )
        )
    return findings
