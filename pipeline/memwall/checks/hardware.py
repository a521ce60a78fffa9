"""Consistency checks over the hardware table: what a reviewer of datasheet figures looks for.

Plain functions of the hardware frame, its provenance frame (for `source:line:char`) and
bounds passed in as arguments (params.yaml's `hardware` section), each returning sorted
`Finding`s whose `model_id` holds the hardware_id. Every check costs at most n log n.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from memwall import codes
from memwall.checks.base import Finding

FP32, TENSOR = "peak_fp32_flop_per_s", "peak_tensor_16bit_flop_per_s"
# The figures compared when looking for two devices with the same datasheet.
FIGURES = (
    "peak_fp32_flop_per_s",
    "peak_fp16_flop_per_s",
    "peak_tensor_16bit_flop_per_s",
    "peak_fp8_flop_per_s",
    "memory_bytes",
    "memory_bandwidth_bytes_per_s",
    "intranode_bandwidth_bytes_per_s",
    "internode_bandwidth_bytes_per_s",
    "tdp_watts",
)


@dataclass(frozen=True)
class Envelope:
    """Plausible range of one figure: at least `minimum`, at most an exponential envelope.

    The ceiling in year y is `max_at_reference * growth_per_2y ** ((y - reference_year) / 2)`.
    """

    minimum: float
    max_at_reference: float
    growth_per_2y: float
    reference_year: int = 2008

    def ceiling(self, year: int) -> float:
        """Largest plausible value for a device released in `year`."""
        return self.max_at_reference * self.growth_per_2y ** ((year - self.reference_year) / 2)


def envelopes_from_params(section: dict) -> dict[str, Envelope]:
    """`{field: Envelope}` from a params `plausibility` section (`fields: {name: {...}}`)."""
    reference = int(section.get("reference_year", 2008))
    return {
        name: Envelope(
            float(spec["minimum"]),
            float(spec["max_at_reference"]),
            float(spec["growth_per_2y"]),
            reference,
        )
        for name, spec in section["fields"].items()
    }


def _locations(provenance: pl.DataFrame) -> dict[tuple[str, str], str]:
    located = provenance.filter(pl.col("line").is_not_null())
    return {
        (r["hardware_id"], r["field"]): f"{r['source']}:{r['line']}:{r['char']}"
        for r in located.iter_rows(named=True)
    }


def _finding(code: str, hardware_id: str, fields, observed, expected, sources, **kw) -> Finding:
    declared = codes.get(code)
    return Finding(
        code=code,
        severity=declared.severity,
        model_id=hardware_id,
        fields=tuple(fields),
        observed=observed,
        expected=expected,
        message=declared.message(**kw),
        sources=tuple(s for s in sources if s),
    )


def tensor_below_fp32(hardware: pl.DataFrame, provenance: pl.DataFrame) -> list[Finding]:
    """`hardware-tensor-below-fp32`: a dense 16-bit tensor peak lower than the FP32 peak.

    Tensor units exist to beat the general FP32 path; a lower figure usually means a sparse
    or per-core number in the wrong column, or a unit slip.
    """
    at = _locations(provenance)
    rows = hardware.filter(pl.col(TENSOR) < pl.col(FP32)).sort("hardware_id")
    return [
        _finding(
            "hardware-tensor-below-fp32",
            r["hardware_id"],
            (FP32, TENSOR),
            {FP32: repr(r[FP32]), TENSOR: repr(r[TENSOR])},
            f"{TENSOR} >= {FP32}",
            (at.get((r["hardware_id"], FP32)), at.get((r["hardware_id"], TENSOR))),
            name=r["name"],
            tensor=r[TENSOR],
            fp32=r[FP32],
        )
        for r in rows.iter_rows(named=True)
    ]


def implausible_figures(
    hardware: pl.DataFrame, provenance: pl.DataFrame, envelopes: dict[str, Envelope]
) -> list[Finding]:
    """`hardware-implausible-figure`: a figure below its minimum or above its year's ceiling.

    Devices without a release date are checked against the minimum only (the date check
    reports the missing date).
    """
    at = _locations(provenance)
    findings = []
    for field, envelope in sorted(envelopes.items()):
        rows = hardware.filter(pl.col(field).is_not_null()).sort("hardware_id")
        for r in rows.iter_rows(named=True):
            value, date = r[field], r["release_date"]
            high = envelope.ceiling(date.year) if date else float("inf")
            if envelope.minimum <= value <= high:
                continue
            findings.append(
                _finding(
                    "hardware-implausible-figure",
                    r["hardware_id"],
                    (field,),
                    {field: repr(value)},
                    f"{field} in [{envelope.minimum:.4g}, {high:.4g}]",
                    (at.get((r["hardware_id"], field)),),
                    name=r["name"],
                    field=field,
                    value=value,
                    low=envelope.minimum,
                    high=high,
                    year=date.year if date else "an unknown year",
                )
            )
    return findings


def duplicate_figures(
    hardware: pl.DataFrame, provenance: pl.DataFrame, min_columns: int
) -> list[Finding]:
    """`hardware-duplicate-figures`: devices whose figures are identical in every column.

    Groups devices by the tuple of all figure columns (null included, so a known figure never
    matches an unknown one) and reports groups of two or more that share at least
    `min_columns` known figures: one finding per group, on its first hardware_id.
    """
    at = _locations(provenance)
    known = pl.sum_horizontal(pl.col(f).is_not_null().cast(pl.Int64) for f in FIGURES)
    groups = (
        hardware.filter(known >= min_columns)
        .group_by(list(FIGURES))
        .agg(pl.col("hardware_id").sort(), pl.col("name").sort_by("hardware_id"))
        .filter(pl.col("hardware_id").list.len() > 1)
    )
    findings = []
    for g in groups.iter_rows(named=True):
        shared = [f for f in FIGURES if g[f] is not None]
        ids = g["hardware_id"]
        findings.append(
            _finding(
                "hardware-duplicate-figures",
                ids[0],
                shared,
                {f: repr(g[f]) for f in shared},
                "distinct devices differ in at least one figure (or are one device)",
                [at.get((i, "name")) for i in ids],
                count=len(ids),
                columns=", ".join(shared),
                names=", ".join(g["name"]),
            )
        )
    return sorted(findings, key=Finding.sort_key)


def release_dates(
    hardware: pl.DataFrame,
    provenance: pl.DataFrame,
    earliest: dt.date,
    latest: dt.date,
    snapshot_dates: Mapping[str, dt.date] | None = None,
) -> list[Finding]:
    """`hardware-date-missing` (blank or invalid) and `hardware-date-out-of-range`.

    A device's newest accepted date is `latest`, or the date its source was taken when
    `snapshot_dates` names that source (raw path -> date): no device in a snapshot can have
    been released after it. A contributed device is held to `latest` only.
    """
    at = _locations(provenance)
    dated = provenance.filter(pl.col("field") == "release_date")
    status = dict(dated.select("hardware_id", "status").iter_rows())
    source = dict(dated.select("hardware_id", "source").iter_rows())
    taken = dict(snapshot_dates or {})
    findings = []
    for r in hardware.sort("hardware_id").iter_rows(named=True):
        date, hid = r["release_date"], r["hardware_id"]
        bound = taken.get(source.get(hid), latest)
        where = (at.get((hid, "release_date")),)
        if date is None:
            findings.append(
                _finding(
                    "hardware-date-missing",
                    hid,
                    ("release_date",),
                    {"release_date": ""},
                    "a release date",
                    where,
                    name=r["name"],
                    status=status.get(hid, "unknown"),
                )
            )
        elif not earliest <= date <= bound:
            findings.append(
                _finding(
                    "hardware-date-out-of-range",
                    hid,
                    ("release_date",),
                    {"release_date": date.isoformat()},
                    f"release_date between {earliest} and {bound}",
                    where,
                    name=r["name"],
                    date=date.isoformat(),
                    earliest=earliest,
                    latest=bound,
                )
            )
    return findings


def invalid_cells(hardware: pl.DataFrame, provenance: pl.DataFrame) -> list[Finding]:
    """`hardware-invalid-cell`: a cell that is neither a value nor blank (published as null)."""
    names = dict(hardware.select("hardware_id", "name").iter_rows())
    rows = provenance.filter(pl.col("status") == "invalid").sort("hardware_id", "line", "char")
    return [
        _finding(
            "hardware-invalid-cell",
            r["hardware_id"],
            (r["field"],),
            {r["field"]: r["raw"]},
            f"a {r['field']} value or a blank cell",
            (f"{r['source']}:{r['line']}:{r['char']}",),
            at=f"{r['source']}:{r['line']}:{r['char']}",
            column=r["column"],
            reason=r["reason"],
        )
        for r in rows.iter_rows(named=True)
        if r["hardware_id"] in names
    ]


def run_hardware_checks(
    hardware: pl.DataFrame, provenance: pl.DataFrame, params: dict
) -> list[Finding]:
    """Every hardware check with bounds from a params section, findings sorted.

    `params`: `earliest_date`, `latest_date` (ISO), optionally `snapshot_dates` (raw path ->
    ISO date the snapshot was taken), `duplicate_min_columns`, and `plausibility` (see
    `envelopes_from_params`).
    """
    findings = (
        invalid_cells(hardware, provenance)
        + tensor_below_fp32(hardware, provenance)
        + implausible_figures(hardware, provenance, envelopes_from_params(params["plausibility"]))
        + duplicate_figures(hardware, provenance, int(params["duplicate_min_columns"]))
        + release_dates(
            hardware,
            provenance,
            dt.date.fromisoformat(str(params["earliest_date"])),
            dt.date.fromisoformat(str(params["latest_date"])),
            {
                str(path): dt.date.fromisoformat(str(day))
                for path, day in (params.get("snapshot_dates") or {}).items()
            },
        )
    )
    return sorted(findings, key=Finding.sort_key)
