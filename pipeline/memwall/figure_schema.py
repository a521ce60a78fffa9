"""pandera schemas (polars backend) for processed/figure_points and processed/figure_claims.

Built from `fields.FIGURE_POINTS` / `fields.FIGURE_CLAIMS` with the same pieces as the other
tables (`rules.field_rules`, `schemas.as_check`), plus what only these tables have: a
marker's position is unique within its figure, and a claim states at least one factor.
Imports pandera.
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl

from memwall.fields import FIGURE_CLAIMS, FIGURE_POINTS, REFERENCE_KEYS, Field
from memwall.rules import Rule, field_rules
from memwall.schemas import rules_schema


def _schema(
    name: str, fields: tuple[Field, ...], latest: dt.date, row_rules: list[Rule]
) -> pa.DataFrameSchema:
    rules = [r for f in fields for r in field_rules(f, latest)] + row_rules
    return rules_schema(name, fields, rules, unique=REFERENCE_KEYS[name])


def figure_points_schema(latest: dt.date) -> pa.DataFrameSchema:
    """Schema of `processed/figure_points`; `latest` is the newest date a marker may read."""
    return _schema("figure_points", FIGURE_POINTS, latest, [])


def figure_claims_schema(latest: dt.date) -> pa.DataFrameSchema:
    """Schema of `processed/figure_claims`: every legend entry states some growth factor."""
    stated = Rule(
        "claim-stated",
        None,
        "a claim states a factor per 2 years or per 20 years",
        pl.col("factor_per_2_years").is_not_null() | pl.col("factor_per_20_years").is_not_null(),
    )
    return _schema("figure_claims", FIGURE_CLAIMS, latest, [stated])
