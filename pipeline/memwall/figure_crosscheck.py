"""Cross-check of plotted figure points against datasheet rows: which metric a series plots.

A figure normalizes each series to a base ("Normalized Scaling"), so a plotted value v of a
device is metric / base for the metric the authors used. For each labelled device and each
candidate metric, `implied base = metric / v`; the metric a series plots is the one whose
implied bases agree across devices. Labels map to hardware rows only through the reviewed
registry `data/figure_labels.yaml` (no fuzzy matching).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import polars as pl

from memwall import codes
from memwall.checks.base import Finding

METRICS = (
    "peak_fp32_flop_per_s",
    "peak_fp16_flop_per_s",
    "peak_tensor_16bit_flop_per_s",
    "peak_fp8_flop_per_s",
    "memory_bandwidth_bytes_per_s",
    "intranode_bandwidth_bytes_per_s",
    "internode_bandwidth_bytes_per_s",
    "memory_bytes",
)
_KEY = ("vintage", "figure", "series")


@dataclass(frozen=True)
class CrossCheck:
    """`matches`: one row per labelled device point and metric; `fits`: one row per series
    and metric; `findings`: value and date disagreements."""

    matches: pl.DataFrame
    fits: pl.DataFrame
    findings: list[Finding]


_LABEL_SCHEMA = {
    "figure": pl.String,
    "label": pl.String,
    "series": pl.String,
    "date": pl.Date,
    "kind": pl.String,
    "hardware_id": pl.String,
}


def label_map(entries: list[dict]) -> pl.DataFrame:
    """The registry's entries as a frame; an entry names a labelled point by (figure, label)
    or an unlabelled one by (figure, series, date). Duplicates fail."""
    keys = [(e["figure"], e.get("label"), e.get("series"), str(e.get("date"))) for e in entries]
    twice = sorted((k for k, n in Counter(keys).items() if n > 1), key=str)
    if twice:
        raise ValueError(f"figure_labels: listed more than once: {twice}")
    rows = [
        {k: e.get(k) for k in _LABEL_SCHEMA}
        | {"date": dt.date.fromisoformat(str(e["date"])) if e.get("date") else None}
        for e in entries
    ]
    return pl.DataFrame(rows, schema=_LABEL_SCHEMA)


def _device_points(points: pl.DataFrame, labels: pl.DataFrame) -> pl.DataFrame:
    """Points with the hardware_id the registry gives them; `point` names each one
    (its label, or "unlabelled <date>" / "<label> <date>" for a point named by date)."""
    devices = labels.filter((pl.col("kind") == "device") & pl.col("hardware_id").is_not_null())
    by_label = points.join(
        devices.filter(pl.col("label").is_not_null()).select("figure", "label", "hardware_id"),
        on=["figure", "label"],
    )
    # a point whose label names no device (a standard such as "NVLink 4.0", or no label at
    # all) may still be a device's point: the registry can name it by series and date
    by_date = points.join(
        by_label.select("figure", "label"), on=["figure", "label"], how="anti"
    ).join(
        devices.filter(pl.col("label").is_null()).select("figure", "series", "date", "hardware_id"),
        on=["figure", "series", "date"],
    )
    both = pl.concat(
        [
            by_label.with_columns(by_date=pl.lit(False)),
            by_date.select(by_label.columns).with_columns(by_date=pl.lit(True)),
        ]
    )
    return both.with_columns(
        pl.when(pl.col("by_date"))
        .then(
            pl.coalesce(pl.col("label"), pl.lit("unlabelled"))
            + " "
            + pl.col("date").cast(pl.String)
        )
        .otherwise(pl.col("label"))
        .alias("point")
    )


def _consensus(logs: list[tuple[str, float]], tolerance: float) -> float | None:
    """The log10 base agreed by the most devices: a sliding window of width 2*tolerance over
    sorted (device, log base) pairs, counting distinct devices; median of the best window."""
    ordered = sorted(logs, key=lambda t: (t[1], t[0]))
    best: tuple[int, float, float] | None = None  # (-devices, spread, median)
    counts: Counter = Counter()
    lo = 0
    for hi, (device, value) in enumerate(ordered):
        counts[device] += 1
        while value - ordered[lo][1] > 2 * tolerance:
            counts[ordered[lo][0]] -= 1
            if counts[ordered[lo][0]] == 0:
                del counts[ordered[lo][0]]
            lo += 1
        window = sorted(v for _, v in ordered[lo : hi + 1])
        median = window[len(window) // 2]
        key = (-len(counts), window[-1] - window[0], median)
        if best is None or key < best:
            best = key
    return None if best is None else best[2]


def crosscheck(
    points: pl.DataFrame,
    hardware: pl.DataFrame,
    labels: pl.DataFrame,
    tolerance_log10: float,
    date_tolerance_days: int,
    metrics: tuple[str, ...] = METRICS,
    min_devices: int = 3,
    pdf_paths: dict[tuple[str, str], str] | None = None,
) -> CrossCheck:
    """Match labelled device points to hardware rows and find the metric each series plots.

    `points` is figure_points, `hardware` has the agreed hardware columns, `labels` comes
    from `label_map`. A metric fits a point when its implied base lies within
    `tolerance_log10` decades of the series' consensus base (the base most devices agree on).
    A metric is `conclusive` for a series when at least `min_devices` devices fit it: two
    devices agree on some base for some metric by chance too often (8 metrics).
    """
    joined = (
        _device_points(points, labels)
        .join(hardware.select(["hardware_id", "release_date", *metrics]), on="hardware_id")
        .sort(*_KEY, "point")
    )
    long = (
        joined.unpivot(
            on=list(metrics),
            index=[*_KEY, "point", "hardware_id", "value", "date", "release_date"],
            variable_name="metric",
            value_name="metric_value",
        )
        .with_columns(pl.col("metric_value").cast(pl.Float64))
        .filter(pl.col("metric_value") > 0)
        .with_columns((pl.col("metric_value") / pl.col("value")).log10().alias("log10_base"))
    )
    bases = {}
    for key, group in long.group_by(*_KEY):
        pairs = list(zip(group["point"], group["log10_base"], strict=True))
        bases[tuple(key)] = _consensus(pairs, tolerance_log10)
    base_frame = pl.DataFrame(
        [dict(zip(_KEY, k, strict=True)) | {"consensus_log10_base": v} for k, v in bases.items()],
        schema={**{k: pl.String for k in _KEY}, "consensus_log10_base": pl.Float64},
    )
    matches = (
        long.join(base_frame, on=list(_KEY))
        .with_columns(
            (pl.col("log10_base") - pl.col("consensus_log10_base")).alias("deviation_log10")
        )
        .with_columns((pl.col("deviation_log10").abs() <= tolerance_log10).alias("fits"))
        .sort(*_KEY, "point", "metric")
    )
    fits = (
        matches.group_by(*_KEY, "metric")
        .agg(
            pl.col("point").n_unique().alias("devices"),
            pl.col("fits").sum().alias("devices_fitting"),
            pl.col("log10_base").median().alias("median_log10_base"),
            (pl.col("log10_base").max() - pl.col("log10_base").min()).alias("spread_log10"),
            pl.col("consensus_log10_base").first(),
            pl.col("point").filter(pl.col("fits")).sort().str.join(", ").alias("fitting_points"),
        )
        .with_columns((pl.col("devices_fitting") >= min_devices).alias("conclusive"))
        .sort(*_KEY, "metric")
    )
    where = _locator(pdf_paths or {})
    findings = _value_findings(matches, tolerance_log10, where) + _date_findings(
        joined, date_tolerance_days, where
    )
    return CrossCheck(matches, fits, sorted(findings, key=Finding.sort_key))


def _locator(pdf_paths: dict[tuple[str, str], str]):
    """`path:series:point` of a point, the path being the raw PDF's when known."""

    def where(r: dict) -> str:
        pdf = pdf_paths.get((r["vintage"], r["figure"]), f"{r['vintage']}/{r['figure']}")
        return f"{pdf}:{r['series']}:{r['point']}"

    return where


def _value_findings(matches: pl.DataFrame, tolerance: float, where) -> list[Finding]:
    code = codes.get("figure-value-unmatched")
    out = []
    per_point = matches.group_by(*_KEY, "point", "hardware_id").agg(
        pl.col("fits").any().alias("any_fit"),
        pl.col("value").first(),
        pl.col("consensus_log10_base").first(),
        pl.col("metric").sort_by(pl.col("deviation_log10").abs()).first().alias("closest"),
        pl.col("deviation_log10").sort_by(pl.col("deviation_log10").abs()).first(),
    )
    for r in per_point.filter(~pl.col("any_fit")).sort(*_KEY, "point").iter_rows(named=True):
        closest_text = f"closest {r['closest']}, off by {r['deviation_log10']:+.3f} decades"
        fields = dict(r) | {"base": 10 ** r["consensus_log10_base"], "tolerance": tolerance}
        out.append(
            Finding(
                code=code.code,
                severity=code.severity,
                model_id=r["hardware_id"],
                fields=("value",),
                observed={"value": f"{r['value']:.6g}", "point": r["point"]},
                expected=f"a metric / {10 ** r['consensus_log10_base']:.4g} within {tolerance}",
                message=code.message(**(fields | {"closest": closest_text})),
                sources=(where(r),),
            )
        )
    return out


def _date_findings(joined: pl.DataFrame, tolerance_days: int, where) -> list[Finding]:
    code = codes.get("figure-date-mismatch")
    out = []
    for r in joined.iter_rows(named=True):
        if r["date"] is None or r["release_date"] is None:
            continue
        days = (r["date"] - r["release_date"]).days
        if abs(days) > tolerance_days:
            out.append(
                Finding(
                    code=code.code,
                    severity=code.severity,
                    model_id=r["hardware_id"],
                    fields=("date",),
                    observed={"date": str(r["date"]), "release_date": str(r["release_date"])},
                    expected=f"within {tolerance_days} days of the release date",
                    message=code.message(**r, days=days, tolerance=tolerance_days),
                    sources=(where(r),),
                )
            )
    return out
