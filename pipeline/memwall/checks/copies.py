"""Probable copy-paste: different models whose numeric facts are identical.

Two models that share a sequence length or an image size are common; two that share their
parameter count, feature count and FLOPs are almost always a row copied and not edited.

Copies are grouped, not paired: models are grouped by their values on every combination of
`copy_min_identical` facts (a polars group-by each, n log n in rows), groups that share a
model are joined (union-find), and each group of two or more models gives one finding. A
thousand identical rows are one finding, not half a million pairs.
"""

from __future__ import annotations

import itertools

import polars as pl

from memwall.checks.base import Finding, declared_finding
from memwall.listing import first_and_more

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
# Models named in a finding's message; the rest are counted.
NAMED = 5


def _find(parent: dict[str, str], model: str) -> str:
    root = model
    while parent[root] != root:
        root = parent[root]
    while parent[model] != root:
        parent[model], model = root, parent[model]
    return root


def copy_groups(wide: pl.DataFrame, facts: tuple[str, ...], need: int) -> list[list[str]]:
    """Groups (sorted, each of two or more models) of models sharing `need` facts' values,
    joined when they share a model. `wide` has one row per model: model_id and the facts."""
    # Only models that share values with another enter the union-find: a 100,000-model
    # table with no copies costs its group-bys, not a Python step per model.
    parent: dict[str, str] = {}
    for combo in itertools.combinations([f for f in facts if f in wide.columns], need):
        grouped = (
            wide.drop_nulls(list(combo))
            .group_by(list(combo))
            .agg(pl.col("model_id").sort())
            .filter(pl.col("model_id").list.len() > 1)
        )
        for members in grouped["model_id"].to_list():
            for m in members:
                parent.setdefault(m, m)
            root = _find(parent, members[0])
            for m in members[1:]:
                other = _find(parent, m)
                if other != root:
                    parent[other] = root
    groups: dict[str, list[str]] = {}
    for m in sorted(parent):
        groups.setdefault(_find(parent, m), []).append(m)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def probable_copy(cells: pl.DataFrame, params: dict) -> list[Finding]:
    """`probable-copy`: one finding per group of models identical in at least
    `copy_min_identical` facts, at the group's first model, naming the others."""
    need = int(params["copy_min_identical"])
    findings = []
    for table, facts in FACTS.items():
        rows = cells.filter(
            (pl.col("table") == table)
            & pl.col("published")
            & pl.col("field").is_in(facts)
            & pl.col("status").is_in(["value", "estimate"])
        ).unique(["model_id", "field"], keep="first", maintain_order=True)
        if rows.is_empty():
            continue
        wide = rows.pivot(on="field", index="model_id", values="value")
        groups = copy_groups(wide, facts, need)
        if not groups:
            continue
        in_group = {m: g for g in groups for m in g}
        by_model: dict[str, dict[str, dict]] = {}
        for r in rows.filter(pl.col("model_id").is_in(list(in_group))).iter_rows(named=True):
            by_model.setdefault(r["model_id"], {})[r["field"]] = r
        for group in groups:
            first, others = group[0], group[1:]
            mine = by_model[first]
            same = tuple(
                f
                for f in facts
                if f in mine
                and all(mine[f]["value"] == by_model[m].get(f, {}).get("value") for m in others)
            )
            shown = same or tuple(f for f in facts if f in mine)
            findings.append(
                declared_finding(
                    "probable-copy",
                    variant="same-values" if same else None,
                    model_id=first,
                    fields=shown,
                    observed={f: mine[f]["text"] for f in shown},
                    expected=f"facts of {len(group):,} models differ",
                    sources=tuple(
                        sorted(
                            by_model[m][f]["at"]
                            for m in group
                            for f in same or shown
                            if f in by_model[m]
                        )
                    ),
                    count=len(group),
                    need=need,
                    table=table,
                    first=first,
                    others=first_and_more(others, NAMED),
                    same=", ".join(f"{f} {mine[f]['text']}" for f in same),
                )
            )
    return findings
