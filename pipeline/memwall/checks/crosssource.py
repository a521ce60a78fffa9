"""One model, one set of facts: every statement of a field must agree, in any table or snapshot.

Reads every observation, superseded ones too, so a value an older snapshot stated and a newer
one changed is still compared. Numbers agree when they are equal to the rounding of both
printed texts ("23" and "23.05" GFLOPs agree, "55M" and "60.19M" do not).
"""

from __future__ import annotations

import polars as pl

from memwall.checks.base import WARNING, Finding, declared_finding

# Fields that are identity, not facts about the model, or derived from the table itself.
_SKIP = ("model_id", "model", "domain")


def _agree(a: dict, b: dict) -> bool:
    if a["status"] != b["status"]:
        return False
    if a["number"] is not None and b["number"] is not None:
        slack = (a["half"] or 0.0) + (b["half"] or 0.0)
        return abs(a["number"] - b["number"]) <= slack
    return a["value"] == b["value"]


def cross_source_conflict(cells: pl.DataFrame, params: dict) -> list[Finding]:
    """`cross-source-conflict`: statements of one (model, field) that disagree.

    An error when two published values disagree (the dataset contradicts itself across
    tables); a warning when a superseded statement disagrees with the published one (a
    newer snapshot changed the value: a fix or a regression, someone has to say which).
    """
    stated = cells.filter(
        ~pl.col("field").is_in(_SKIP)
        & pl.col("status").is_in(["value", "estimate", "not_applicable"])
    )
    # Only (model, field) pairs stated more than once can disagree.
    stated = stated.filter(pl.len().over("model_id", "field") > 1).sort("model_id", "field", "at")
    findings = []
    for (model_id, field_name), group in stated.group_by(
        ["model_id", "field"], maintain_order=True
    ):
        rows = group.to_dicts()
        clashes = [(a, b) for i, a in enumerate(rows) for b in rows[i + 1 :] if not _agree(a, b)]
        if not clashes:
            continue
        both_published = any(a["published"] and b["published"] for a, b in clashes)
        chosen = [r for r in rows if r["published"]]
        texts = ", ".join(f"{r['text'] or r['status']} ({r['table']}, {r['at']})" for r in rows)
        findings.append(
            declared_finding(
                "cross-source-conflict",
                severity=None if both_published else WARNING,
                model_id=str(model_id),
                fields=(str(field_name),),
                observed={r["at"]: r["text"] or r["status"] for r in rows},
                expected="one value, stated the same (to rounding) everywhere",
                sources=tuple(r["at"] for r in rows),
                field=field_name,
                stated=texts,
                published=", ".join(f"{r['text']} ({r['table']})" for r in chosen),
            )
        )
    return findings
