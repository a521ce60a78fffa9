"""Stage `hardware`: Epoch AI's accelerator datasheets -> the hardware table and its checks.

Reads raw/epoch/ml_hardware.csv (Epoch AI, "Data on Machine Learning Hardware", CC BY 4.0)
through the column mapping pipeline/memwall/data/hardware_columns.yaml, the contributed
hardware tables of raw/contrib/ listed in raw/sources.yaml (stacked on top, later sources
winning a device at a time), and params `hardware` (date range, duplicate threshold,
plausibility envelopes). Writes
interim/hardware.parquet (one row per device), interim/hardware_provenance.parquet (one row
per cell: raw text, line, column, status, reason), interim/hardware_rejects.parquet (records
that are no device, with a reason) and interim/hardware_findings.json (the hardware checks,
for the findings stage). Exits 2 with `path:line:col: message` lines when the snapshot
cannot be read (not CSV, unknown or renamed columns).
Library: `memwall.hardware`, `memwall.hardware_sources`, `memwall.checks.hardware`.
"""

from __future__ import annotations

import sys

from memwall import config, stagerun
from memwall.checks.hardware import run_hardware_checks
from memwall.hardware import HardwareInputError, read_snapshot
from memwall.hardware_columns import MappingError, load_mapping
from memwall.hardware_sources import with_contributions
from memwall.registry import RegistryError
from memwall.report import write_area_findings


@stagerun.guarded("hardware")
def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    params = config.stage_params("hardware")
    snapshot = paths.hardware_snapshot
    try:
        mapping = load_mapping(paths.hardware_columns)
        tables = read_snapshot(snapshot, snapshot.relative_to(paths.root).as_posix(), mapping)
        tables = with_contributions(tables, config.catalog(), paths.root)
    except (MappingError, RegistryError) as exc:
        print(f"hardware: error: {exc}", file=sys.stderr)
        return 2
    except HardwareInputError as exc:
        for problem in exc.problems:
            print(f"{problem}", file=sys.stderr)
        print(f"hardware: {snapshot} cannot be read; nothing written", file=sys.stderr)
        return 2
    paths.interim.mkdir(parents=True, exist_ok=True)
    tables.hardware.write_parquet(paths.interim / "hardware.parquet")
    tables.provenance.write_parquet(paths.interim / "hardware_provenance.parquet")
    tables.rejects.write_parquet(paths.interim / "hardware_rejects.parquet")
    findings = run_hardware_checks(tables.hardware, tables.provenance, params)
    write_area_findings(findings, paths.interim / "hardware_findings.json")
    print(
        f"hardware: {tables.hardware.height} devices, {tables.provenance.height} cells, "
        f"{tables.rejects.height} rejected, {len(findings)} findings",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
