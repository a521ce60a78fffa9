"""Contributed hardware sources (raw/contrib/, `kind: contrib` in raw/sources.yaml) read by
the `hardware` stage's reader and put on top of the datasheet snapshot.

A contributed source is hardware when its header is one of `hardware_forms`' column sets (the
test `memwall validate` applies too); the `parse` stage leaves such sources to this module.
Each is read with `hardware.tables_from_records`, so its cells get the same values, statuses
and positions (its own path, line and column) as the snapshot's. Then sources are stacked in
the order of raw/sources.yaml, later winning, a device at a time: a device (by hardware_id,
the slug of its name) stated by a later source is that source's row, whole; the earlier
record of it goes to the rejects with code `hardware-superseded` and the later record's
place. So every raw record is one device or one reject, and every published cell names the
file it was read from.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from memwall import codes
from memwall.csvrecords import CsvSyntaxError, read_records
from memwall.fields import HARDWARE
from memwall.hardware import (
    REJECTS_SCHEMA,
    HardwareInputError,
    HardwareTables,
    tables_from_records,
)
from memwall.hardware_columns import header_problems
from memwall.hardware_forms import format_of, is_hardware, markdown_blocks, recognise
from memwall.sources import Catalog, sha256_file
from memwall.textio import InputError, read_text

CONTRIB = "contrib"


def contributed_hardware_paths(catalog: Catalog, root: Path) -> list[str]:
    """Paths (as registered) of the contributed sources that hold hardware, in order."""
    found = []
    for source in catalog.sources:
        if source.kind != CONTRIB:
            continue
        try:
            text, _ = read_text(root / source.path)
        except InputError:
            continue  # not text: the parse stage reports it
        if is_hardware(text, format_of(source.path)):
            found.append(source.path)
    return found


def read_contributed(root: Path, path: str, expected_sha256: str | None) -> HardwareTables:
    """One contributed hardware file; `HardwareInputError` (`path:line:col: message` lines)
    when its bytes are not the registered ones or it cannot be read as a hardware table."""
    file = root / path
    if expected_sha256 and sha256_file(file) != expected_sha256:
        raise HardwareInputError(
            [f"{path}: sha256 differs from raw/sources.yaml (run memwall.tools.snapshot again)"]
        )
    try:
        text, _ = read_text(file)
    except InputError as exc:
        raise HardwareInputError([f"{path}:{exc.line}:{exc.column}: {exc.message}"]) from None
    if format_of(path) == "markdown":
        blocks = [(h, b) for _, h, b in markdown_blocks(text)]
    else:
        try:
            records = read_records(text)
        except CsvSyntaxError as exc:
            raise HardwareInputError([f"{path}:{exc.line}:{exc.char}: {exc.message}"]) from None
        blocks = [(records[0], records[1:])]
    parts, problems = [], []
    for header, body in blocks:
        form = recognise([c.text for c in header.cells])
        if form is None:
            problems.append(f"{path}:{header.line}:1: not a hardware table")
            continue
        found = header_problems(header, form.mapping, path)
        problems += found
        if not found:
            parts.append(tables_from_records(header, body, path, form.mapping))
    if problems:
        raise HardwareInputError(problems)
    return stack([*parts])


def stack(layers: list[HardwareTables]) -> HardwareTables:
    """Sources in precedence order (later wins), one device per hardware_id: the last
    layer stating it keeps it; each earlier record of it becomes a `hardware-superseded`
    reject. Rows by hardware_id, provenance by hardware_id and field order, rejects by
    source (in layer order) and line."""
    if len(layers) == 1:
        return layers[0]
    if not layers:
        raise ValueError("stack needs at least one layer")
    ids = pl.concat(
        [
            t.hardware.select("hardware_id", "name").with_columns(layer=pl.lit(i, pl.Int32))
            for i, t in enumerate(layers)
        ]
    )
    winner = ids.group_by("hardware_id").agg(winner=pl.col("layer").max())
    starts = pl.concat(
        [
            t.provenance.group_by("hardware_id")
            .agg(pl.col("source").drop_nulls().first(), pl.col("line").min())
            .with_columns(layer=pl.lit(i, pl.Int32))
            for i, t in enumerate(layers)
        ]
    )
    placed = starts.join(winner, on="hardware_id")
    kept = placed.filter(pl.col("layer") == pl.col("winner")).select(
        "hardware_id", by_source="source", by_line="line"
    )
    superseded = (
        placed.filter(pl.col("layer") < pl.col("winner"))
        .join(kept, on="hardware_id")
        .join(ids, on=["hardware_id", "layer"])
        .sort("layer", "line")
    )
    declared = codes.get("hardware-superseded")
    rejects = pl.DataFrame(
        [
            {
                "source": source,
                "line": line,
                "name": name,
                "code": declared.code,
                "reason": declared.message(
                    at=f"{source}:{line}", name=name, by=f"{by_source}:{by_line}"
                ),
                "layer": layer,
            }
            for source, line, name, by_source, by_line, layer in superseded.select(
                "source", "line", "name", "by_source", "by_line", "layer"
            ).iter_rows()
        ],
        schema={**REJECTS_SCHEMA, "layer": pl.Int32},
        orient="row",
    )
    hardware = pl.concat(
        [
            t.hardware.join(winner.filter(pl.col("winner") == i), on="hardware_id", how="semi")
            for i, t in enumerate(layers)
        ]
    ).sort("hardware_id")
    provenance = pl.concat(
        [
            t.provenance.join(winner.filter(pl.col("winner") == i), on="hardware_id", how="semi")
            for i, t in enumerate(layers)
        ]
    )
    order = {f.name: i for i, f in enumerate(HARDWARE)}
    rank = pl.col("field").replace_strict(order, return_dtype=pl.Int64)
    all_rejects = pl.concat(
        [
            *(t.rejects.with_columns(layer=pl.lit(i, pl.Int32)) for i, t in enumerate(layers)),
            rejects,
        ]
    ).sort("layer", "line")
    return HardwareTables(
        hardware,
        provenance.sort(["hardware_id", rank]),
        all_rejects.select(list(REJECTS_SCHEMA)),
    )


def with_contributions(snapshot: HardwareTables, catalog: Catalog, root: Path) -> HardwareTables:
    """The snapshot's tables with every contributed hardware source stacked on top, in the
    order of raw/sources.yaml (unchanged when there is none)."""
    registered = {s.path: s for s in catalog.sources}
    layers = [snapshot]
    for path in contributed_hardware_paths(catalog, root):
        layers.append(read_contributed(root, path, registered[path].meta.get("sha256")))
    return stack(layers)
