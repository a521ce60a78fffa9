"""Contributed hardware rows checked as the pipeline checks the hardware table, and against
the published one.

- `repeated_devices`: a device (by the slug of its name) given twice in one run.
- `compare_devices`: a device the published table already holds: `conflict` for a figure it
  states differently, `duplicate` for a row that adds nothing (the model rows' codes), and
  `hardware-blank-drops-figure` for a blank where it states a figure (the `hardware` stage
  replaces a device whole with a later source's row).
- `check_devices`: the hardware stage's checks (`checks.hardware.run_hardware_checks`, with
  params.yaml's `hardware:` section, the one rule definition) over the published table with
  the contributed devices on top (a contributed device replaces the published one of the same
  name); only findings that involve a contributed cell are reported, at that cell.
The published table is read from processed/provenance.parquet (its `hardware` cells), the one
file the validator loads, so nothing else must be built. Everything here is joins, group-bys
and filters over frames of a few hundred rows.
"""

from __future__ import annotations

import polars as pl

from memwall import codes
from memwall.checks.hardware import run_hardware_checks
from memwall.contrib.dataset import Dataset
from memwall.contrib.hardware_rows import TABLE, HardwareDocument
from memwall.contrib.problems import ERROR, NOTE, WARNING, Problem
from memwall.fields import HARDWARE
from memwall.hardware import PROVENANCE_SCHEMA, RIDGE, HardwareTables, slug_expr
from memwall.hardware_cells import INVALID, UNKNOWN, VALUE
from memwall.hardware_forms import HARDWARE_ID
from memwall.merge import polars_dtype

_SCHEMA = {f.name: polars_dtype(f) for f in HARDWARE}
# Fields that name a device, and the one whose differences are not a conflict (more links).
_NAMING = ("name", HARDWARE_ID, RIDGE)
_ADDITIVE = "datasheet_url"
_SEVERITY = {"error": ERROR, "warning": WARNING}


def contributed(documents: list[HardwareDocument]) -> HardwareTables | None:
    """The devices of every document read, in run order (`order` column on provenance)."""
    parts = [(i, d.tables) for i, d in enumerate(documents) if d.tables is not None]
    if not parts:
        return None
    return HardwareTables(
        pl.concat([t.hardware for _, t in parts]),
        pl.concat([t.provenance.with_columns(order=pl.lit(i)) for i, t in parts]),
        pl.concat([t.rejects for _, t in parts]),
    )


def published(dataset: Dataset | None) -> HardwareTables | None:
    """The published hardware table and its provenance, rebuilt from the dataset's
    provenance (None when the dataset holds no hardware cell)."""
    if dataset is None or "table" not in dataset.provenance.columns:
        return None
    cells = dataset.provenance.filter(pl.col("table") == TABLE)
    if cells.is_empty():
        return None
    provenance = cells.rename({"model_id": HARDWARE_ID}).select(
        pl.col(c).cast(t) for c, t in PROVENANCE_SCHEMA.items()
    )
    hardware = _wide(provenance)
    empty = pl.DataFrame(schema={"source": pl.String, "line": pl.Int64})
    return HardwareTables(hardware, provenance, empty)


def _names(provenance: pl.DataFrame) -> pl.DataFrame:
    """One row per device: its key (slug of the name) and its name cell."""
    return provenance.filter(pl.col("field") == "name").select(
        "source",
        HARDWARE_ID,
        key=slug_expr("value"),
        name=pl.col("value"),
        name_line=pl.col("line"),
        name_char=pl.col("char"),
    )


def repeated_devices(mine: HardwareTables) -> list[Problem]:
    """`hardware-repeated-device` at the name cell of every device named again."""
    names = (
        _names(mine.provenance.sort("order", "line"))
        .with_columns(first=pl.struct("key").is_first_distinct())
        .with_columns(
            first_at=pl.when(pl.col("first"))
            .then(pl.format("{}:{}", "source", "name_line"))
            .forward_fill()
            .over("key")
        )
    )
    declared = codes.get("hardware-repeated-device")
    return [
        Problem(path, line, char, ERROR, declared.code, declared.message(name=name, at=at))
        for path, line, char, name, at in names.filter(~pl.col("first"))
        .select("source", "name_line", "name_char", "name", "first_at")
        .iter_rows()
    ]


def _same() -> pl.Expr:
    """The contributed value equals the published one (numbers to 1e-9 relative)."""
    a = pl.col("value").cast(pl.Float64, strict=False)
    b = pl.col("known_value").cast(pl.Float64, strict=False)
    close = (a - b).abs() <= 1e-9 * pl.max_horizontal(a.abs(), b.abs())
    return (pl.col("value") == pl.col("known_value")) | close.fill_null(False)


def compare_devices(mine: HardwareTables, known: HardwareTables) -> list[Problem]:
    """`conflict` for a figure the published table states differently (a datasheet link that
    differs is no conflict); `duplicate` for a device whose every stated figure is published
    as it is."""
    known_names = _names(known.provenance).select(
        "key",
        known_id=HARDWARE_ID,
        known_source="source",
        known_name_line="name_line",
    )
    devices = _names(mine.provenance).join(known_names, on="key", how="inner")
    # The published row itself (a file the dataset was built from) is neither.
    devices = devices.filter(
        ~(
            (pl.col("source") == pl.col("known_source"))
            & (pl.col("name_line") == pl.col("known_name_line"))
        )
    )
    if devices.is_empty():
        return []
    stated = mine.provenance.filter(
        (pl.col("status") == VALUE) & ~pl.col("field").is_in(_NAMING)
    ).join(devices, on=["source", HARDWARE_ID], how="inner")
    published_cells = known.provenance.filter(pl.col("status") == VALUE).select(
        known_id=HARDWARE_ID,
        field="field",
        known_value="value",
        known_raw="raw",
        known_at=pl.format("{}:{}", "source", "line"),
    )
    compared = stated.join(
        published_cells, on=["known_id", "field"], how="left", maintain_order="left"
    ).with_columns(has=pl.col("known_value").is_not_null(), same=_same().fill_null(False))
    problems = []
    differ = compared.filter(pl.col("has") & ~pl.col("same") & (pl.col("field") != _ADDITIVE))
    for row in differ.sort("source", "line", "char").iter_rows(named=True):
        problems.append(
            Problem(
                row["source"],
                row["line"],
                row["char"],
                ERROR,
                "conflict",
                f"{row['name']} {row['field']} '{row['raw']}' ({row['value']}) differs from the "
                f"dataset's '{row['known_raw']}' ({row['known_value']}) at {row['known_at']}; "
                "fix the row, or cite the evidence that the dataset is wrong in the pull "
                "request",
            )
        )
    problems += _dropped(mine, devices, published_cells)
    counts = compared.group_by("source", HARDWARE_ID).agg(
        stated=pl.len(), same=(pl.col("has") & pl.col("same")).sum()
    )
    adds_nothing = devices.join(counts, on=["source", HARDWARE_ID], how="left").filter(
        pl.col("same").fill_null(0) == pl.col("stated").fill_null(0)
    )
    problems += [
        Problem(
            path,
            line,
            char,
            WARNING,
            "duplicate",
            f"{name} is already in the hardware table ({known_id}) with these values; the "
            "row adds nothing",
        )
        for path, line, char, name, known_id in adds_nothing.select(
            "source", "name_line", "name_char", "name", "known_id"
        ).iter_rows()
    ]
    return problems


def _dropped(
    mine: HardwareTables, devices: pl.DataFrame, published_cells: pl.DataFrame
) -> list[Problem]:
    """`hardware-blank-drops-figure` at each blank cell of a published device's row where
    the published table states a value (the stage replaces a device whole)."""
    blank = mine.provenance.filter(
        (pl.col("status") == UNKNOWN) & ~pl.col("field").is_in(_NAMING)
    ).join(devices, on=["source", HARDWARE_ID], how="inner")
    lost = blank.join(published_cells, on=["known_id", "field"], how="inner").sort(
        "source", "line", "char"
    )
    declared = codes.get("hardware-blank-drops-figure")
    return [
        Problem(
            path,
            line,
            char,
            declared.severity,
            declared.code,
            declared.message(name=name, field=field, known=known, at=at),
        )
        for path, line, char, name, field, known, at in lost.select(
            "source", "line", "char", "name", "field", "known_raw", "known_at"
        ).iter_rows()
    ]


def _first_of_each_device(mine: HardwareTables) -> HardwareTables:
    """Each device once (its first row in run order), ids unique across files."""
    firsts = (
        _names(mine.provenance.sort("order", "line"))
        .filter(pl.struct("key").is_first_distinct())
        .select("source", HARDWARE_ID, "key")
    )
    provenance = mine.provenance.join(firsts, on=["source", HARDWARE_ID], how="semi")
    provenance = (
        provenance.join(firsts, on=["source", HARDWARE_ID])
        .with_columns(pl.col("key").alias(HARDWARE_ID))
        .select(list(PROVENANCE_SCHEMA))
    )
    return HardwareTables(_wide(provenance), provenance, mine.rejects)


def _wide(provenance: pl.DataFrame) -> pl.DataFrame:
    """The typed hardware rows of provenance cells (values as the stage published them)."""
    frame = provenance.pivot(
        on="field", index=HARDWARE_ID, values="value", aggregate_function="first"
    )
    typed = []
    for name, dtype in _SCHEMA.items():
        text = pl.col(name) if name in frame.columns else pl.lit(None, pl.String)
        if dtype == pl.Date:
            typed.append(text.str.to_date("%Y-%m-%d", strict=False).alias(name))
        else:
            typed.append(text.cast(dtype, strict=False).alias(name))
    return frame.with_columns(typed).select(list(_SCHEMA)).sort(HARDWARE_ID)


def check_devices(
    mine: HardwareTables, known: HardwareTables | None, params: dict
) -> list[Problem]:
    """The hardware stage's checks over the published devices with the contributed ones on
    top; each finding that involves a contributed cell, at the first such cell. Cells the
    stage would publish as invalid are reported by the reader (`unit`), not again here
    (`hardware-invalid-cell`, a date that is missing because it is unreadable)."""
    checked = _first_of_each_device(mine)
    hardware, provenance = checked.hardware, checked.provenance
    if known is not None:
        replaced = hardware.select(HARDWARE_ID)
        known_keys = _names(known.provenance).select(HARDWARE_ID, "key")
        dropped = known_keys.join(replaced, left_on="key", right_on=HARDWARE_ID, how="semi").select(
            HARDWARE_ID
        )
        dropped = pl.concat([dropped, replaced]).unique()
        hardware = pl.concat([known.hardware.join(dropped, on=HARDWARE_ID, how="anti"), hardware])
        provenance = pl.concat(
            [known.provenance.join(dropped, on=HARDWARE_ID, how="anti"), provenance]
        )
    findings = run_hardware_checks(hardware.sort(HARDWARE_ID), provenance, params)
    located = mine.provenance.filter(pl.col("line").is_not_null())
    places = set(located.select("source", "line", "char").iter_rows())
    # A cell the reader reported as unreadable (`unit`) is not reported again (a date
    # written 08/08/2023 is also a missing date to the checks).
    unreadable = set(
        located.filter(pl.col("status") == INVALID).select("source", "line", "char").iter_rows()
    )
    problems = []
    for f in findings:
        at = [s.rsplit(":", 2) for s in f.sources]
        located = [(p, int(n), int(c)) for p, n, c in at if n.isdigit() and c.isdigit()]
        mine_at = [where for where in located if where in places]
        if not mine_at:
            continue
        if mine_at[0] in unreadable:
            continue
        path, line, char = mine_at[0]
        others = [s for s in f.sources if s.rsplit(":", 2)[0] != path]
        also = f" (with {', '.join(others)})" if others else ""
        severity = _SEVERITY.get(f.severity, NOTE)
        problems.append(Problem(path, line, char, severity, f.code, f"{f.message}{also}"))
    return problems
