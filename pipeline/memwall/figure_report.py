"""reports/figure_crosscheck.md: what each series of upstream's figures measures, with evidence.

Rendered from a `figure_crosscheck.CrossCheck`: per series, the datasheet metric whose
device ratios match the plotted ratios, the implied normalization base (datasheet value per
plotted unit), how many devices fit it and how far apart their bases are; then every device
point against that metric, the findings, the figures that could not be read and the legends'
own claims. Every data value is escaped for markdown tables.
"""

from __future__ import annotations

import polars as pl

from memwall.checks.base import Finding
from memwall.fields import HARDWARE
from memwall.markdown import escape_cell, table_row

_UNITS = {f.name: f.unit for f in HARDWARE}
_KEY = ("vintage", "figure", "series")


def _num(value: float | None, digits: int = 4) -> str:
    return "" if value is None else f"{value:.{digits}g}"


def _best(fits: pl.DataFrame) -> dict | None:
    """The metric most devices fit (then the smallest spread among them)."""
    ranked = fits.sort(["devices_fitting", "devices", "metric"], descending=[True, False, False])
    row = ranked.row(0, named=True) if ranked.height else None
    return row if row and row["devices_fitting"] > 0 else None


def series_verdicts(result_fits: pl.DataFrame, matches: pl.DataFrame) -> list[dict]:
    """One verdict per (vintage, figure, series): the best metric, its base, fitting devices,
    the spread of their bases (decades) and whether it is conclusive."""
    out = []
    for key, fits in sorted(result_fits.group_by(*_KEY), key=lambda kv: tuple(map(str, kv[0]))):
        best = _best(fits)
        verdict = dict(zip(_KEY, key, strict=True)) | {"metric": None, "conclusive": False}
        if best is not None:
            fitting = matches.filter(
                (pl.col("vintage") == key[0])
                & (pl.col("figure") == key[1])
                & (pl.col("series") == key[2])
                & (pl.col("metric") == best["metric"])
                & pl.col("fits")
            )["log10_base"]
            verdict |= {
                "metric": best["metric"],
                "unit": _UNITS.get(best["metric"], ""),
                "base": 10 ** best["consensus_log10_base"],
                "devices": best["devices"],
                "devices_fitting": best["devices_fitting"],
                "spread_log10": float(fitting.max() - fitting.min()),
                "fitting_points": best["fitting_points"],
                "conclusive": bool(best["conclusive"]),
            }
        out.append(verdict)
    return out


def _sentence(v: dict) -> str:
    if v["metric"] is None:
        return "no datasheet metric fits any labelled device."
    word = "measures" if v["conclusive"] else "inconclusive; closest:"
    return (
        f"{word} `{v['metric']}` normalized to {_num(v['base'])} {v['unit']} "
        f"({v['devices_fitting']} of {v['devices']} devices fit, spread of their bases "
        f"{v['spread_log10']:.2g} decades: {v['fitting_points']})"
    )


def render_crosscheck(
    fits: pl.DataFrame,
    matches: pl.DataFrame,
    findings: list[Finding],
    claims: pl.DataFrame,
    rejects: pl.DataFrame,
    params: dict,
) -> str:
    """The markdown report (deterministic: sorted, no timestamps)."""
    verdicts = series_verdicts(fits, matches)
    lines = [
        "# Cross-check: upstream's figure points against the hardware datasheets",
        "",
        "For each labelled device point (labels mapped by hand in "
        "`pipeline/memwall/data/figure_labels.yaml`), every datasheet metric of "
        "processed/hardware (Epoch AI, CC BY 4.0) implies a normalization base "
        "(datasheet value / plotted value). A metric fits a series when its devices agree on "
        f"one base within {params['tolerance_log10']} decades; it is conclusive with at least "
        f"{params['min_devices']} devices. Plotted dates further than "
        f"{params['date_tolerance_days']} days from the release date are findings.",
        "",
        "## What each series measures",
        "",
        "| vintage | figure | series | verdict |",
        "|---|---|---|---|",
    ]
    for v in verdicts:
        lines.append(table_row((v["vintage"][:7], v["figure"], v["series"], _sentence(v))))
    lines += ["", "## Evidence per series and metric", ""]
    for key, group in sorted(fits.group_by(*_KEY), key=lambda kv: tuple(map(str, kv[0]))):
        lines += [
            f"### {escape_cell(key[1])} / {escape_cell(key[2])} ({key[0][:7]})",
            "",
            "| metric | devices | fitting | median base | spread (decades) | conclusive "
            "| fitting points |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in group.sort("devices_fitting", "metric", descending=[True, False]).iter_rows(
            named=True
        ):
            lines.append(
                table_row(
                    (
                        f"`{r['metric']}`",
                        r["devices"],
                        r["devices_fitting"],
                        f"{_num(10 ** r['median_log10_base'])} {_UNITS.get(r['metric'], '')}",
                        f"{r['spread_log10']:.2g}",
                        "yes" if r["conclusive"] else "no",
                        r["fitting_points"] or "",
                    )
                )
            )
        best = next(v for v in verdicts if tuple(v[k] for k in _KEY) == tuple(key))
        if best["metric"] is not None:
            rows = matches.filter(
                (pl.col("vintage") == key[0])
                & (pl.col("figure") == key[1])
                & (pl.col("series") == key[2])
                & (pl.col("metric") == best["metric"])
            ).sort("point")
            lines += [
                "",
                f"Points against `{best['metric']}`:",
                "",
                "| point | hardware_id | plotted | datasheet | implied base | deviation "
                "(decades) | fits |",
                "|---|---|---|---|---|---|---|",
            ]
            for r in rows.iter_rows(named=True):
                lines.append(
                    table_row(
                        (
                            r["point"],
                            r["hardware_id"],
                            _num(r["value"]),
                            _num(r["metric_value"]),
                            _num(10 ** r["log10_base"]),
                            f"{r['deviation_log10']:+.3f}",
                            "yes" if r["fits"] else "no",
                        )
                    )
                )
        lines.append("")
    lines += ["## Findings", ""]
    if not findings:
        lines.append("None.")
    for f in findings:
        lines.append(
            f"- {f.severity} `{f.code}` {escape_cell(f.model_id)}: {escape_cell(f.message)}"
        )
    lines += ["", "## Figures not read", ""]
    if rejects.is_empty():
        lines.append("None.")
    for r in rejects.sort("vintage", "figure").iter_rows(named=True):
        lines.append(
            f"- {r['vintage'][:7]} {r['figure']}: `{r['code']}`: {escape_cell(r['reason'])}"
        )
    lines += [
        "",
        "## The figures' own claims (legends)",
        "",
        "| vintage | figure | series | legend | per 2 years | per 20 years |",
        "|---|---|---|---|---|---|",
    ]
    for r in claims.sort("vintage", "figure", "legend_text").iter_rows(named=True):
        lines.append(
            table_row(
                (
                    r["vintage"][:7],
                    r["figure"],
                    r["series"] or "",
                    r["legend_text"],
                    r["factor_per_2_years_text"] or "",
                    r["factor_per_20_years_text"] or "",
                )
            )
        )
    return "\n".join(lines) + "\n"
