"""Cross-reference: our published values beside Epoch AI's Notable AI Models, and findings.

`build_crossref` lines up, for each model the reviewed registry matches, every field the
reference states (`published`, `params`, `training_flop`; `year` for memory-table-only
models) with our value, its provenance and the reference's note, confidence, link and line.
`crossref_findings` turns disagreements beyond the tolerances into findings;
`crossref_markdown` renders both for a reviewer. Reference data: Epoch AI, CC BY 4.0.
"""

from __future__ import annotations

import html
from datetime import date

import polars as pl

from memwall import codes
from memwall.checks.base import Finding, half_unit

# Our field -> the reference frame's value column and its note column.
REFERENCE_FIELDS = {
    "published": ("published", None),
    "year": ("published", None),
    "params": ("params", "params_notes"),
    "training_flop": ("training_flop", "training_flop_notes"),
}
_OURS = {"published": "models", "params": "models", "training_flop": "models", "year": "memory"}
_STATED = ("value", "estimate")

SCHEMA = {
    "model_id": pl.String,
    "field": pl.String,
    "ours_value": pl.String,  # canonical text, null when our cell is blank
    "ours_number": pl.Float64,  # number (dates: days since 1970-01-01)
    "ours_raw": pl.String,
    "ours_at": pl.String,  # source:line:char
    "ours_corrections": pl.String,
    "reference_model": pl.String,
    "reference_text": pl.String,
    "reference_number": pl.Float64,
    "ratio": pl.Float64,  # ours / reference, numbers only
    "days_apart": pl.Int64,  # ours - reference, dates; years for `year`
    "reference_note": pl.String,
    "reference_confidence": pl.String,
    "reference_link": pl.String,
    "reference_at": pl.String,  # reference file:line:1 (a record starts at its line's start)
    "match_reason": pl.String,
}


def _ordinal(value: date | None) -> float | None:
    return None if value is None else float((value - date(1970, 1, 1)).days)


def build_crossref(
    provenance: pl.DataFrame,
    reference: pl.DataFrame,
    names: pl.DataFrame,
    reference_path: str,
) -> pl.DataFrame:
    """One row per matched model and field the reference states, sorted by model and field.

    `provenance` is the published provenance frame (table, model_id, field, value, status,
    raw, source, line, char, corrections); `reference` comes from `load_reference`; `names`
    from `load_reference_names`. Rows where our cell is blank are kept (ours_value null):
    they are the reference-only values. Memory-table models get a `year` row only when the
    models table has no row for them.
    """
    matched = names.filter(pl.col("reference").is_not_null())
    mine = pl.col("field").is_in(list(_OURS)) & pl.col("model_id").is_in(
        matched["model_id"].to_list()
    )
    cells = {
        (r["table"], r["model_id"], r["field"]): r
        for r in provenance.filter(mine).iter_rows(named=True)
    }
    in_models = {m for (t, m, _f) in cells if t == "models"}
    ref_by_name = {r["model"]: r for r in reference.iter_rows(named=True)}
    rows = []
    for entry in matched.iter_rows(named=True):
        ref = ref_by_name[entry["reference"]]
        for field in entry["fields"]:
            if field == "year" and entry["model_id"] in in_models:
                continue
            ours = cells.get((_OURS[field], entry["model_id"], field))
            if ours is None:
                continue
            value_column, note_column = REFERENCE_FIELDS[field]
            ref_value = ref[value_column]
            if ref_value is None:
                continue
            stated = ours["status"] in _STATED and ours["value"] is not None
            row = {
                "model_id": entry["model_id"],
                "field": field,
                "ours_value": ours["value"] if stated else None,
                "ours_raw": ours["raw"],
                "ours_at": f"{ours['source']}:{ours['line']}:{ours['char']}",
                "ours_corrections": ours["corrections"] or None,
                "reference_model": entry["reference"],
                "reference_note": (ref[note_column] or None) if note_column else None,
                "reference_confidence": ref["confidence"] or None,
                "reference_link": ref["link"] or None,
                "reference_at": f"{reference_path}:{ref['line']}:1",
                "match_reason": entry["reason"],
                "ratio": None,
                "days_apart": None,
            }
            if field == "published":
                ours_date = date.fromisoformat(ours["value"]) if stated else None
                row |= {
                    "ours_number": _ordinal(ours_date),
                    "reference_text": ref["published_text"],
                    "reference_number": _ordinal(ref_value),
                    "days_apart": (ours_date - ref_value).days if ours_date else None,
                }
            elif field == "year":
                ours_year = int(ours["value"]) if stated else None
                row |= {
                    "ours_number": float(ours_year) if stated else None,
                    "reference_text": ref["published_text"],
                    "reference_number": float(ref_value.year),
                    "days_apart": ours_year - ref_value.year if stated else None,
                }
            else:
                number = float(ours["value"]) if stated else None
                row |= {
                    "ours_number": number,
                    "reference_text": ref[f"{value_column}_text"],
                    "reference_number": ref_value,
                    "ratio": number / ref_value if number is not None and ref_value else None,
                }
            rows.append(row)
    return pl.DataFrame(rows, schema=SCHEMA, orient="row").sort("model_id", "field")


def swapped(ours: date, reference: date) -> bool:
    """True when our date with day and month exchanged is the reference's date."""
    if ours.day > 12 or ours.day == ours.month:
        return False
    return date(ours.year, ours.day, ours.month) == reference


def _verdict(row: dict, tolerances: dict) -> str:
    """agrees, disagrees, day/month swap or reference only."""
    if row["ours_value"] is None:
        return "reference only"
    field = row["field"]
    if field == "published":
        if abs(row["days_apart"]) <= int(tolerances["published_days"]):
            return "agrees"
        ours = date.fromisoformat(row["ours_value"])
        return (
            "day/month swap"
            if swapped(ours, date.fromisoformat(row["reference_text"]))
            else ("disagrees")
        )
    if field == "year":
        ok = abs(row["days_apart"]) <= int(tolerances["year"])
        return "agrees" if ok else "disagrees"
    ours, ref = row["ours_number"], row["reference_number"]
    # Our printed rounding ("24M" is 23.5M to 24.5M) widens every band.
    half = half_unit(row["ours_raw"], ours) or 0.0
    if field == "params":
        ok = abs(ours - ref) <= half + float(tolerances["params_relative"]) * ref
    else:
        factor = float(tolerances["training_flop_factor"])
        ok = ref / factor - half <= ours <= ref * factor + half
    return "agrees" if ok else "disagrees"


def with_verdicts(frame: pl.DataFrame, tolerances: dict) -> pl.DataFrame:
    """`frame` with a `verdict` column under `tolerances` (see `crossref_findings`)."""
    verdicts = [_verdict(r, tolerances) for r in frame.iter_rows(named=True)]
    return frame.with_columns(pl.Series("verdict", verdicts, dtype=pl.String))


def typed_tolerances(section: dict) -> dict:
    """The `crossref:` params section, typed (see `crossref_findings` for the keys)."""
    return {
        "published_days": int(section["published_days"]),
        "year": int(section["year"]),
        "params_relative": float(section["params_relative"]),
        "training_flop_factor": float(section["training_flop_factor"]),
    }


def annotate(frame: pl.DataFrame, tolerances: dict, findings: list[Finding]) -> pl.DataFrame:
    """`frame` with `verdict`, `finding` (the code about the row, null when it agrees) and
    `accepted` (the acceptance's reason, when one covers the finding)."""
    about = {(f.model_id, f.fields[0]): f for f in findings}
    out = with_verdicts(frame, tolerances)
    keys = list(zip(out["model_id"], out["field"], strict=True))
    found = [about.get(k) for k in keys]
    return out.with_columns(
        pl.Series("finding", [f.code if f else None for f in found], dtype=pl.String),
        pl.Series(
            "accepted",
            [f.accepted["reason"] if f and f.accepted else None for f in found],
            dtype=pl.String,
        ),
    )


def _shown(row: dict) -> str:
    if row["field"] == "published":
        return f"{row['days_apart']:+d} days"
    if row["field"] == "year":
        return f"{row['days_apart']:+d} years"
    return f"ratio {row['ratio']:.3g}"


def crossref_findings(frame: pl.DataFrame, tolerances: dict) -> list[Finding]:
    """Findings for every row that does not agree, sorted.

    `tolerances`: `published_days` (days apart allowed), `year` (years apart),
    `params_relative` (|ours - reference| / reference allowed beyond our rounding) and
    `training_flop_factor` (ours within reference / k .. reference x k, beyond our rounding).
    Codes: crossref-disagreement (warning), crossref-date-swap (error: explains a date
    disagreement and replaces it; a correction resolves it), crossref-reference-only (info:
    the reference states a value where ours is blank).
    """
    code_of = {
        "disagrees": "crossref-disagreement",
        "day/month swap": "crossref-date-swap",
        "reference only": "crossref-reference-only",
    }
    findings = []
    for row in with_verdicts(frame, tolerances).iter_rows(named=True):
        if row["verdict"] == "agrees":
            continue
        code = codes.get(code_of[row["verdict"]])
        field = row["field"]
        ours_text = row["ours_raw"] if row["ours_value"] is None else row["ours_value"]
        message = code.message(
            model_id=row["model_id"],
            field=field,
            ours=row["ours_value"] or "(blank)",
            ours_raw=row["ours_raw"] or "",
            ours_at=row["ours_at"],
            reference=row["reference_text"],
            reference_model=row["reference_model"],
            reference_at=row["reference_at"],
            difference="" if row["ours_value"] is None else _shown(row),
            note=" ".join((row["reference_note"] or "none").split())[:300],
        )
        findings.append(
            Finding(
                code=code.code,
                severity=code.severity,
                model_id=row["model_id"],
                fields=(field,),
                observed={field: ours_text or "", f"reference_{field}": row["reference_text"]},
                expected=f"{field} close to the reference's {row['reference_text']}",
                message=message,
                sources=(row["ours_at"], row["reference_at"]),
            )
        )
    return sorted(findings, key=Finding.sort_key)


def _cell(text: object) -> str:
    """Escape a value for a markdown table cell: HTML, pipes and line breaks."""
    out = html.escape("" if text is None else str(text), quote=False)
    return out.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _ratio(row: dict) -> str:
    if row["ours_value"] is None:
        return ""
    if row["field"] in ("published", "year"):
        unit = "days" if row["field"] == "published" else "years"
        return f"{row['days_apart']:+d} {unit}"
    return f"{row['ratio']:.3g}"


def crossref_markdown(frame: pl.DataFrame, findings: list[Finding]) -> str:
    """A reviewer's table: model, field, ours, reference, ratio (or days apart), verdict.

    The verdict comes from the findings: `agrees` when none is about the row, else the
    finding's code, with `(accepted)` when an acceptance covers it. Every cell is escaped.
    """
    status = {}
    for f in findings:
        status[(f.model_id, f.fields[0])] = f.code + (" (accepted)" if f.accepted else "")
    lines = [
        "# Cross-reference with Epoch AI's Notable AI Models",
        "",
        'Our published values beside Epoch AI\'s (CC BY 4.0, Epoch AI, "Notable AI Models",',
        "https://epoch.ai/data/notable-ai-models); matches are reviewed data",
        "(`pipeline/memwall/data/reference_names.yaml`).",
        "",
        f"{frame['model_id'].n_unique()} models matched, {frame.height} values compared, "
        f"{len(findings)} findings ({sum(1 for f in findings if f.accepted)} accepted).",
        "",
        "| model | field | ours | reference | ratio | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for row in frame.sort("model_id", "field").iter_rows(named=True):
        verdict = status.get((row["model_id"], row["field"]), "agrees")
        cells = [
            row["model_id"],
            row["field"],
            row["ours_value"] if row["ours_value"] is not None else "(blank)",
            f"{row['reference_text']} ({row['reference_model']})",
            _ratio(row),
            verdict,
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
