"""Probable copy-paste: two different models whose numeric facts are identical.

Two models that share a sequence length or an image size are common; two that share their
parameter count, feature count and FLOPs are almost always a row copied and not edited.
"""

from __future__ import annotations

import polars as pl

from memwall.checks.base import WARNING, Finding

# Facts specific to a model (input sizes, batch sizes and years are shared settings).
FACTS = {
    "models": ("params", "features", "inference_flop", "training_flop", "top1_accuracy"),
    "memory": (
        "params_memory_bytes",
        "optimizer_memory_bytes",
        "activation_memory_bytes",
        "total_memory_bytes",
    ),
}


def _sharing(by_model: dict[str, dict[str, dict]], need: int) -> set[tuple[str, str]]:
    """Pairs of models (a < b) sharing at least `need` values: only models that share a
    value are ever compared, so the cost grows with the coincidences, not with n squared."""
    holders: dict[tuple[str, str | None], list[str]] = {}
    for model_id, cells in by_model.items():
        for field_name, cell in cells.items():
            holders.setdefault((field_name, cell["value"]), []).append(model_id)
    shared: dict[tuple[str, str], int] = {}
    for models in holders.values():
        ordered = sorted(models)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                shared[(a, b)] = shared.get((a, b), 0) + 1
    return {pair for pair, count in shared.items() if count >= need}


def probable_copy(cells: pl.DataFrame, params: dict) -> list[Finding]:
    """`probable-copy`: a pair of models identical in at least `copy_min_identical` facts."""
    need = int(params["copy_min_identical"])
    findings = []
    for table, facts in FACTS.items():
        rows = cells.filter(
            (pl.col("table") == table)
            & pl.col("published")
            & pl.col("field").is_in(facts)
            & pl.col("status").is_in(["value", "estimate"])
        ).sort("model_id", "field")
        by_model: dict[str, dict[str, dict]] = {}
        for r in rows.iter_rows(named=True):
            by_model.setdefault(r["model_id"], {})[r["field"]] = r
        for a, b in sorted(_sharing(by_model, need)):
            same = [
                f
                for f in facts
                if f in by_model[a]
                and f in by_model[b]
                and by_model[a][f]["value"] == by_model[b][f]["value"]
            ]
            if len(same) < need:
                continue
            for model_id, other in ((a, b), (b, a)):
                findings.append(
                    Finding(
                        code="probable-copy",
                        severity=WARNING,
                        model_id=model_id,
                        fields=tuple(same),
                        observed={f: by_model[model_id][f]["text"] for f in same},
                        expected=f"facts of {model_id} differ from those of {other}",
                        message=(
                            f"{model_id} and {other} have identical "
                            + ", ".join(f"{f} {by_model[model_id][f]['text']}" for f in same)
                            + f" in the {table} table: probably a row copied and not "
                            "edited; check each value against the model's paper"
                        ),
                        sources=tuple(sorted(by_model[m][f]["at"] for m in (a, b) for f in same)),
                    )
                )
    return findings
