"""One model, one set of facts: every statement of a field must agree, in any table or snapshot.

Reads every observation, superseded ones too, so a value an older snapshot stated and a newer
one changed is still compared. Numbers agree when they are equal to the rounding of both
printed texts ("23" and "23.05" GFLOPs agree, "55M" and "60.19M" do not).

Whether some two statements of a (model, field) disagree is decided without comparing every
pair: n statements are n log n, not n squared (a contribution may state one model thousands
of times). The answer is the pairwise one exactly (`_disagree`, tested against all pairs).
"""

from __future__ import annotations

import polars as pl

from memwall.checks.base import MARGIN, WARNING, Finding, declared_finding
from memwall.listing import first_and_more

# Fields that are identity, not facts about the model, or derived from the table itself.
_SKIP = ("model_id", "model", "domain")
# Statements a message lists; the rest are counted (every one stays in `sources`).
SHOWN = 10
# Up to this many distinct statements, every pair is compared.
_PAIRWISE = 16


def _agree(a: dict, b: dict) -> bool:
    if a["status"] != b["status"]:
        return False
    if a["number"] is not None and b["number"] is not None:
        slack = (a["half"] or 0.0) + (b["half"] or 0.0)
        return abs(a["number"] - b["number"]) <= slack
    return a["value"] == b["value"]


def _all_pairs_disagree(rows: list[dict]) -> bool:
    return any(not _agree(a, b) for i, a in enumerate(rows) for b in rows[i + 1 :])


def _disagree(rows: list[dict]) -> bool:
    """Whether some two of `rows` do not `_agree`, in n log n.

    Equal statements agree, so only distinct ones count. Statements of different statuses
    disagree. Where one has no number, `_agree` compares texts between it and every other:
    they agree iff every value is the same. Numbers all agree iff their rounding intervals
    [number - half, number + half] meet pairwise, iff the highest low end is at most the
    lowest high end; away from a tie (by `MARGIN`) floats decide that as exactly as
    `_agree` does, and a near tie is settled pair by pair.
    """
    distinct = list({(r["status"], r["number"], r["half"], r["value"]): r for r in rows}.values())
    if len(distinct) <= _PAIRWISE:
        return _all_pairs_disagree(distinct)
    if len({r["status"] for r in distinct}) > 1:
        return True
    if any(r["number"] is None for r in distinct):
        return len({r["value"] for r in distinct}) > 1
    low = max(r["number"] - (r["half"] or 0.0) for r in distinct)
    high = min(r["number"] + (r["half"] or 0.0) for r in distinct)
    scale = max(abs(r["number"]) + (r["half"] or 0.0) for r in distinct)
    if low > high + MARGIN * scale:
        return True
    if low < high - MARGIN * scale:
        return False
    return _all_pairs_disagree(distinct)


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
        if not _disagree(rows):
            continue
        chosen = [r for r in rows if r["published"]]
        # Two published statements that disagree: some pair of the published ones does.
        both_published = _disagree(chosen)
        texts = [f"{r['text'] or r['status']} ({r['table']}, {r['at']})" for r in rows]
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
                stated=first_and_more(texts, SHOWN),
                published=first_and_more([f"{r['text']} ({r['table']})" for r in chosen], SHOWN),
            )
        )
    return findings
