"""The trends stage's outputs as data: the JSON document, DVC metrics rows, markdown, CSVs.

`reports/trends.json` keeps the `fits` list for programs and the site, and `metrics_files`
gives one small flat JSON per fit (`reports/trends/fits/`). Neither is a DVC metrics file:
`dvc metrics show` prints all metrics files as one table, one column per key of any file, so
the metrics are the few headline rates of `memwall.metrics` (`reports/growth/`).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from memwall.trends import MIN_RESAMPLES, format_factor

FIT_KEYS = (
    "id", "series", "source", "n", "start", "end", "per_2_years", "per_2_years_low",
    "per_2_years_high", "doubling_years",
)  # fmt: skip
METRIC_KEYS = (
    "n", "start", "end", "per_2_years", "per_2_years_low", "per_2_years_high",
    "doubling_years", "claim_per_2_years", "agrees", "claim_in_interval",
)  # fmt: skip


def trends_document(fits: Sequence[dict], *, resamples: int, seed: int, level: float) -> dict:
    """The `reports/trends.json` document: `{"fits": [...]}`, checked to share one bootstrap."""
    if resamples < MIN_RESAMPLES:
        raise ValueError(f"at least {MIN_RESAMPLES} resamples, got {resamples}")
    # Only the list: each fit states its interval method, resamples and seed.
    for fit in fits:
        expected = (
            f"{level:.0%} percentile bootstrap over points, {resamples} resamples, seed {seed}"
        )
        if fit.get("interval") != expected:
            raise ValueError(f"fit '{fit['id']}' was not made with {expected}")
    return {"fits": [dict(fit) for fit in fits]}


def metrics_files(fits: Sequence[dict]) -> dict[str, dict]:
    """One flat metrics dict per fit, keyed by file name (`<id>.json`, '@' kept)."""
    files = {}
    for fit in fits:
        name = fit["id"].replace("/", "_") + ".json"
        files[name] = {k: fit[k] for k in METRIC_KEYS if k in fit}
    return dict(sorted(files.items()))


def _rate(fit: dict | None) -> str:
    if fit is None:
        return "-"
    return (
        f"{format_factor(fit['per_2_years'])}x ({format_factor(fit['per_2_years_low'])}-"
        f"{format_factor(fit['per_2_years_high'])}), "
        f"n={fit['n']}, {fit['start'][:4]}-{fit['end'][:4]}"
    )


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


# How trends.md words each verdict of `memwall.trend_claims.verdict`.
CLAIM_WORDING = {
    "agrees": "agrees with the claimed {claim} (rounds to it; claim inside the interval)",
    "rounds-only": "rounds to the claimed {claim}, but the claim is outside the interval",
    "within-interval": "does not round to the claimed {claim}, but the claim is inside the "
    "interval",
    "disagrees": "disagrees with the claimed {claim} (does not round to it; claim outside the "
    "interval)",
}


def _claim_check(fit: dict) -> str:
    if "agrees" not in fit:
        return ""
    claim = f"{fit['claim_per_2_years']:.{max(fit['claim_decimals'], 0)}f}x"
    return "; " + CLAIM_WORDING[fit["verdict"]].format(claim=claim)


def _fit_lines(ids: object, by_id: dict, with_series: bool, missing: set | None = None) -> str:
    ids = [ids] if isinstance(ids, str) else list(ids or [])
    cells = []
    for fit_id in ids:
        fit = by_id.get(fit_id)
        if fit is None:
            series = fit_id.split("@", 1)[0]
            if fit_id in (missing or {}) or series in (missing or {}):
                cells.append(f"{_cell(fit_id)}: not fitted (see below)")
            continue
        name = f"{_cell(fit['series'])} [{fit['devices']}]: " if with_series else ""
        cells.append(f"{name}{_rate(fit)}{_claim_check(fit)}")
    return "<br>".join(cells) or "-"


def trends_markdown(fits: Sequence[dict], rows: Sequence[dict], findings: Sequence = ()) -> str:
    """reports/trends.md: one table, the paper's claim against its reproduction against data.

    `rows` are the `compare` entries of data/trends.yaml: {quantity, claim (as the paper prints
    it), reproduction (fit id or list of ids fitted on the figure's own points), independent
    (fit ids on other data)}. Rates are growth factors per 2 years with their 95% bootstrap
    interval, the number of points and the years covered. `findings` (of `run_trends`) name
    the series that were declared but not fitted, and why; they are listed under the table.
    """
    by_id = {fit["id"]: fit for fit in fits}
    not_fitted = [f for f in findings if f.code != "trend-claim-disagrees"]
    missing = {f.model_id for f in not_fitted if f.code != "trend-claim-missing"}
    lines = [
        "# Growth rates: the paper's claims, reproduced and measured again",
        "",
        "Each rate is how many times a quantity grows every 2 years, from a straight-line fit "
        "of log10(value) against time. In brackets: a 95% interval from a percentile bootstrap "
        "over points (points resampled with replacement, fixed seed); n is the number of "
        'points. "Claim" is the rate the paper prints (figure legends, text); '
        '"reproduction" fits the points recovered from the paper\'s own figure and says '
        'whether it rounds to the legend\'s printed value; "independent data" fits other '
        "sources (device datasheets via Epoch AI's hardware data, model tables). "
        "[top_per_year] keeps the largest value of each year (the frontier), [all] every "
        "device or model.",
        "",
        "| quantity | claim | reproduction from the figure's points | independent data |",
        "|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {_cell(row['quantity'])} | {_cell(row.get('claim') or '-')} "
            f"| {_fit_lines(row.get('reproduction'), by_id, True, missing)} "
            f"| {_fit_lines(row.get('independent'), by_id, True, missing)} |"
        )
    if not_fitted:
        lines += ["", "Declared but not fitted, or compared with no claim:", ""]
        lines += [f"- `{f.code}` {_cell(f.model_id)}: {_cell(f.message)}" for f in not_fitted]
    lines += [
        "",
        'Sources: paper figures by Gholami et al., "AI and Memory Wall" (IEEE Micro 2024), '
        "points recovered from upstream's PDFs; hardware and notable-model data by Epoch AI "
        "(CC BY 4.0).",
        "",
    ]
    return "\n".join(lines)


CLAIM_ROW_KEYS = (
    "id", "series", "source", "devices", "n", "start", "end", "per_2_years", "per_2_years_low",
    "per_2_years_high", "claim_per_2_years", "agrees", "claim_in_interval", "verdict",
)  # fmt: skip


def claims_rows(fits: Sequence[dict], rows: Sequence[dict]) -> list[dict]:
    """The comparison table as data (for the site): per `compare` row, the quantity,
    the claim as printed, and the fits of its reproduction and independent data, each a dict
    of `CLAIM_ROW_KEYS`, or `{"id": ..., "fitted": False}` for a declared fit that is absent."""
    by_id = {fit["id"]: fit for fit in fits}

    def shown(ids: object) -> list[dict]:
        ids = [ids] if isinstance(ids, str) else list(ids or [])
        return [
            {k: by_id[i][k] for k in CLAIM_ROW_KEYS if k in by_id[i]} | {"fitted": True}
            if i in by_id
            else {"id": i, "fitted": False}
            for i in ids
        ]

    return [
        {
            "quantity": row["quantity"],
            "claim": row.get("claim"),
            "reproduction": shown(row.get("reproduction")),
            "independent": shown(row.get("independent")),
        }
        for row in rows
    ]


def plot_frame(points: pl.DataFrame, lines: pl.DataFrame, fit_ids: Sequence[str]) -> pl.DataFrame:
    """One CSV frame for a DVC plot: the points and fitted-line ends of `fit_ids`.

    Long form (fit_id, kind, year, value, label), `kind` being `point` or `fit`, which the
    template pipeline/web/growth.vega.json draws as dots and lines coloured by fit. Sorted
    (fit, kind, year, label) so the file is byte-stable; values stay in their units.
    """
    wanted = pl.col("fit_id").is_in(list(fit_ids))
    dots = points.filter(wanted).select(
        "fit_id", pl.lit("point").alias("kind"), "year", "value", "label"
    )
    ends = lines.filter(wanted).select(
        "fit_id",
        pl.lit("fit").alias("kind"),
        "year",
        "value",
        pl.lit(None, pl.String).alias("label"),
    )
    return pl.concat([dots, ends]).sort(["fit_id", "kind", "year", "label"], nulls_last=True)
