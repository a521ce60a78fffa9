"""Fit every declared series and shape the results: the fits list, DVC metrics, markdown, CSVs.

`run_trends(config, tables, claims)` is what the trends stage calls: `config` is the trends
config (`memwall.config.trends_config`: params.yaml `trends:` and data/trends.yaml), `tables`
maps source names to polars frames, `claims` is the figure_claims table (or None). Everything
else here turns its result into output data; no function reads or writes files.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl

from memwall import codes
from memwall.checks.base import Finding
from memwall.metrics import check_headline
from memwall.trend_claims import compare_claim, verdict
from memwall.trend_series import check_spec, selections, series_points
from memwall.trends import INTERVAL_METHOD, MIN_POINTS, fit_trend, fitted_values

CLAIM_KEYS = ("vintage", "figure", "series")
# Columns of the figure_claims table this module reads.
CLAIM_COLUMNS = (*CLAIM_KEYS, "legend", "per_2_years", "decimals")
SIGNIFICANT = 6  # digits kept in JSON/CSV numbers: far below the bootstrap's uncertainty


@dataclass(frozen=True)
class TrendsResult:
    """The fits (one dict per series and selection), their points and fitted lines, problems."""

    fits: list[dict]
    points: pl.DataFrame
    lines: pl.DataFrame
    findings: list[Finding]


def _sig(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(f"{value:.{SIGNIFICANT}g}")


def fit_id(spec: Mapping, selection: str) -> str:
    """Id of one fit: the series id, with the selection when the series declares several."""
    devices = spec.get("devices") or ["all"]
    several = not isinstance(devices, str) and len(devices) > 1
    return f"{spec['id']}@{selection}" if several else spec["id"]


def source_text(spec: Mapping) -> str:
    """Where the points come from, for people: the table and its filter values."""
    parts = [str(spec["source"])]
    parts += [f"{k}={v}" for k, v in sorted((spec.get("filter") or {}).items())]
    return " ".join(parts)


def find_claim(claims: pl.DataFrame | None, key: Mapping | None) -> dict | None:
    """The one claim row matching `key` ({vintage, figure, series}), or None."""
    if claims is None or not key:
        return None
    rows = claims.filter(*(pl.col(k) == key[k] for k in CLAIM_KEYS)).to_dicts()
    return rows[0] if len(rows) == 1 else None


def _finding(code: str, subject: str, message: str, **observed: str) -> Finding:
    declared = codes.get(code)
    return Finding(
        code=code,
        severity=declared.severity,
        model_id=subject,
        fields=tuple(sorted(observed)),
        observed=observed,
        expected="",
        message=message,
        sources=(),
    )


def _fit_record(spec, selection, points, fit, claim) -> dict:
    dates = points["date"]
    record = {
        "id": fit_id(spec, selection),
        "series": spec.get("label", spec["id"]),
        "unit": spec.get("unit"),
        "source": source_text(spec),
        "devices": selection,
        "n": fit.n,
        "start": dates.min().isoformat(),
        "end": dates.max().isoformat(),
        "per_2_years": _sig(fit.per_2_years),
        "per_2_years_low": _sig(fit.per_2_years_low),
        "per_2_years_high": _sig(fit.per_2_years_high),
        "per_20_years": _sig(fit.per_20_years),
        "doubling_years": _sig(fit.doubling_years),
        "doubling_years_low": _sig(fit.doubling_years_low),
        "doubling_years_high": _sig(fit.doubling_years_high),
        "slope_log10_per_year": _sig(fit.slope_log10_per_year),
        "intercept_log10": _sig(fit.intercept_log10),
        "interval": (
            f"{fit.level:.0%} {INTERVAL_METHOD}, {fit.resamples} resamples, seed {fit.seed}"
        ),
    }
    if claim is not None:
        compared = compare_claim(
            fit.per_2_years, float(claim["per_2_years"]), int(claim["decimals"])
        )
        # Rounding to the legend is the test; the interval says whether the claimed
        # rate is consistent with the data's spread; the verdict weighs both.
        inside = fit.per_2_years_low <= compared.claim_per_2_years <= fit.per_2_years_high
        record |= {
            "claim": claim["legend"],
            "claim_per_2_years": compared.claim_per_2_years,
            "claim_decimals": compared.decimals,
            "agrees": compared.agrees,
            "difference": _sig(compared.difference),
            "claim_in_interval": inside,
            "verdict": verdict(compared.agrees, inside),
        }
    return record


def declared_fit_ids(config: Mapping) -> list[str]:
    """Every fit id the series of `config` can produce, in order."""
    return [fit_id(spec, sel) for spec in config["series"] for sel in selections(spec)]


def check_bootstrap(config: Mapping) -> list[str]:
    """Problems of the bootstrap settings (the params `resamples`, `seed`, `level`)."""
    problems = []
    resamples, seed, level = (config.get(k) for k in ("resamples", "seed", "level"))
    if not isinstance(resamples, int) or isinstance(resamples, bool) or resamples < 1000:
        problems.append(f"resamples must be a whole number of at least 1000, got {resamples!r}")
    if not isinstance(seed, int) or isinstance(seed, bool):
        problems.append(f"seed must be a whole number, got {seed!r}")
    if not isinstance(level, float) or not 0 < level < 1:
        problems.append(f"level must be a fraction between 0 and 1, got {level!r}")
    return problems


def check_config(config: Mapping) -> list[str]:
    """Problems of a trends config (`memwall.config.trends_config`), as messages (empty when
    it is sound).

    Checks every series spec (keys, selections), that series ids are unique, that the bootstrap
    has at least 1,000 resamples, and that every fit id named in `compare` rows and `plots`
    groups (and the `headline` metrics) is one the series produce, so a renamed series cannot
    silently empty a table row.
    """
    problems = []
    ids = [spec.get("id") for spec in config.get("series", [])]
    problems += [
        f"series id '{i}' is declared twice" for i in sorted({i for i in ids if ids.count(i) > 1})
    ]
    for spec in config.get("series", []):
        try:
            check_spec(spec)
            selections(spec)
        except ValueError as error:
            problems.append(str(error))
    problems += check_bootstrap(config)
    if problems:
        return problems
    known = set(declared_fit_ids(config))
    for row in config.get("compare", []):
        named = row.get("reproduction") or []
        named = [named] if isinstance(named, str) else list(named)
        for name in named + list(row.get("independent") or []):
            if name not in known:
                problems.append(f"compare row '{row.get('quantity')}': no fit '{name}'")
    for group, names in (config.get("plots") or {}).items():
        problems += [f"plots group '{group}': no fit '{n}'" for n in names if n not in known]
    problems += check_headline(config.get("headline") or {}, known)
    return problems


def run_trends(
    config: Mapping, tables: Mapping[str, pl.DataFrame], claims: pl.DataFrame | None = None
) -> TrendsResult:
    """Fit every series of `config['series']` on `tables`; compare with `claims` where declared.

    `config` also holds `resamples`, `seed` and `level` of the bootstrap. A series whose
    source table is not in `tables` (its stage not built), with fewer than 3 points, or whose
    declared claim is not in `claims`, gives a finding instead of (or beside) a fit.
    Fits keep the order of `config['series']`, selections in declared order.
    """
    fits, all_points, lines, findings = [], [], [], []
    for spec in config["series"]:
        if spec["source"] not in tables:
            message = codes.get("trend-source-missing").message(
                series=spec["id"], source=spec["source"]
            )
            findings.append(_finding("trend-source-missing", spec["id"], message))
            continue
        points = series_points(spec, tables)
        claim = find_claim(claims, spec.get("claim"))
        if spec.get("claim") and claim is None:
            key = ", ".join(f"{k}={spec['claim'].get(k)}" for k in CLAIM_KEYS)
            findings.append(
                _finding(
                    "trend-claim-missing",
                    spec["id"],
                    codes.get("trend-claim-missing").message(series=spec["id"], key=key),
                )
            )
        for selection, chosen in points.partition_by(
            "selection", as_dict=True, maintain_order=True
        ).items():
            selection = selection[0]
            this_id = fit_id(spec, selection)
            if chosen.height < MIN_POINTS:
                findings.append(
                    _finding(
                        "trend-too-few-points",
                        this_id,
                        codes.get("trend-too-few-points").message(
                            series=this_id, n=chosen.height, minimum=MIN_POINTS
                        ),
                    )
                )
                continue
            fit = fit_trend(
                chosen["year"].to_numpy(),
                chosen["value"].to_numpy(),
                resamples=int(config.get("resamples", 2000)),
                seed=int(config.get("seed", 0)),
                level=float(config.get("level", 0.95)),
            )
            record = _fit_record(spec, selection, chosen, fit, claim)
            fits.append(record)
            if record.get("agrees") is False:
                message = codes.get("trend-claim-disagrees").message(
                    series=this_id, fitted=record["per_2_years"], claim=record["claim"]
                )
                findings.append(_finding("trend-claim-disagrees", this_id, message))
            all_points.append(chosen.with_columns(pl.lit(this_id).alias("fit_id")))
            ends = np.array([fit.start, fit.end])
            lines.append(
                pl.DataFrame(
                    {
                        "fit_id": [this_id] * 2,
                        "year": ends,
                        "value": fitted_values(fit, ends),
                    }
                )
            )
    empty_points = pl.DataFrame(
        schema={
            "series_id": pl.String,
            "selection": pl.String,
            "date": pl.Date,
            "year": pl.Float64,
            "value": pl.Float64,
            "label": pl.String,
            "fit_id": pl.String,
        }
    )
    empty_lines = pl.DataFrame(
        schema={"fit_id": pl.String, "year": pl.Float64, "value": pl.Float64}
    )
    return TrendsResult(
        fits=fits,
        points=pl.concat(all_points) if all_points else empty_points,
        lines=pl.concat(lines) if lines else empty_lines,
        findings=sorted(findings, key=Finding.sort_key),
    )
