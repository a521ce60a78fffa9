"""Tiny cells frames for the check tests: one published row per call, values as printed."""

from __future__ import annotations

from memwall.checks.base import make_cells

GIB = 2**30
PARAMS = {
    "gb_basis": GIB,
    "bytes_per_param": 4,
    "optimizer_ratios": [1, 2],
    "inference_ratio_min": 0.5,
    "inference_ratio_max": 2.0,
    "copy_min_identical": 3,
    "earliest_date": "1990-01-01",
    "latest_date": "2026-12-31",
    "year_tolerance": 0,
}


def cell(table, model_id, field, text, value, line=1, source="raw/t.md", published=True, **kw):
    """One cell dict as the findings stage builds it."""
    return {
        "table": table,
        "model_id": model_id,
        "field": field,
        "text": text,
        "value": None if value is None else str(value),
        "at": f"{source}:{line}:{kw.pop('char', 1)}",
        "published": published,
        **kw,
    }


def memory_row(model_id, params, optimizer, activation, total, line=1):
    """A memory-table row from printed GB texts ("0.23 GB")."""
    fields = ("params", "optimizer", "activation", "total")
    texts = (params, optimizer, activation, total)
    return [
        cell("memory", model_id, f"{f}_memory_bytes", t, round(float(t.split()[0]) * GIB), line)
        for f, t in zip(fields, texts, strict=True)
    ]


def frame(*groups):
    """A cells frame from lists of cell dicts."""
    return make_cells([c for g in groups for c in g])
