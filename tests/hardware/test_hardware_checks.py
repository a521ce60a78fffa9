"""Hardware checks: each fires on the defect it names, with the device and the raw location."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import yaml

from memwall.checks.hardware import (
    Envelope,
    duplicate_figures,
    implausible_figures,
    invalid_cells,
    release_dates,
    run_hardware_checks,
    tensor_below_fp32,
)
from memwall.hardware import PROVENANCE_SCHEMA, hardware_frame, read_hardware
from memwall.hardware_columns import load_mapping
from memwall.textio import read_text

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hardware"
NO_PROVENANCE = pl.DataFrame(schema=PROVENANCE_SCHEMA)


def device(hardware_id: str, **figures) -> dict:
    return {"hardware_id": hardware_id, "name": hardware_id.upper()} | figures


def test_tensor_peak_below_fp32_is_found_with_both_raw_locations():
    text = (FIXTURES / "multiline_notes_and_quotes.csv").read_text(encoding="utf-8")
    # swap the two figures of Alpha X1 so that the tensor peak is the smaller one
    text = text.replace("19500000000000.0", "TMP").replace("3.12e+14", "19500000000000.0")
    text = text.replace("TMP", "3.12e+14")
    tables = read_hardware(text, "snap.csv", load_mapping())
    findings = tensor_below_fp32(tables.hardware, tables.provenance)
    assert [(f.code, f.model_id) for f in findings] == [("hardware-tensor-below-fp32", "alpha-x1")]
    fp32_col = text.split("\n")[3].index("3.12e+14") + 1
    tensor_col = text.split("\n")[3].index("19500000000000.0") + 1
    assert findings[0].sources == (f"snap.csv:4:{fp32_col}", f"snap.csv:4:{tensor_col}")
    assert "1.95e+13 FLOP/s is below FP32 3.12e+14" in findings[0].message


def test_invalid_cells_are_findings_that_point_at_the_raw_cell():
    text, _ = read_text(FIXTURES / "crlf_line_ends_and_bom.csv")
    tables = read_hardware(text, "snap.csv", load_mapping())
    findings = invalid_cells(tables.hardware, tables.provenance)
    # Gamma (record on line 4) has five bad cells: date, inf, '12,5', '0.0' and '1.5' bytes
    assert {f.model_id for f in findings} == {"gamma"} and len(findings) == 5
    inf = next(f for f in findings if f.fields == ("peak_fp32_flop_per_s",))
    column = text.split("\n")[3].index(",inf,") + 2
    assert inf.message == (
        f"snap.csv:4:{column}: FP32 (single precision) performance (FLOP/s): "
        "not a finite number ('inf')"
    )


def test_figures_outside_the_year_envelope_or_below_the_floor_are_implausible():
    frame = hardware_frame(
        [
            device("ok", release_date=dt.date(2012, 1, 1), memory_bandwidth_bytes_per_s=3e11),
            # 2012: ceiling 1e12 * 2 ** 2 = 4e12; 5e12 is above it
            device("fast", release_date=dt.date(2012, 6, 1), memory_bandwidth_bytes_per_s=5e12),
            # written in GB/s instead of bytes/s
            device("slip", release_date=dt.date(2020, 1, 1), memory_bandwidth_bytes_per_s=900.0),
            # no date: only the floor applies, so a huge figure passes
            device("undated", memory_bandwidth_bytes_per_s=1e18),
        ]
    )
    envelope = {"memory_bandwidth_bytes_per_s": Envelope(1e9, 1e12, 2.0, 2008)}
    findings = implausible_figures(frame, NO_PROVENANCE, envelope)
    assert [f.model_id for f in findings] == ["fast", "slip"]
    assert findings[0].message == (
        "FAST: memory_bandwidth_bytes_per_s 5e+12 is outside [1e+09, 4e+12] for 2012"
    )


def test_devices_with_identical_figures_are_one_finding_per_group():
    same = {"peak_fp32_flop_per_s": 1e13, "memory_bytes": 16_000_000_000, "tdp_watts": 250.0}
    frame = hardware_frame(
        [
            device("b", **same),
            device("a", **same),
            device("c", **same),
            device("d", **(same | {"tdp_watts": 300.0})),
            # the same three figures but one more known: not the same datasheet
            device("e", **(same | {"peak_fp16_flop_per_s": 2e13})),
            device("x", tdp_watts=75.0),
            device("y", tdp_watts=75.0),  # one shared figure is below min_columns
        ]
    )
    findings = duplicate_figures(frame, NO_PROVENANCE, min_columns=3)
    assert len(findings) == 1
    assert findings[0].model_id == "a"
    assert findings[0].message == (
        "3 devices share peak_fp32_flop_per_s, memory_bytes, tdp_watts: A, B, C"
    )


def test_missing_and_out_of_range_release_dates():
    frame = hardware_frame(
        [
            device("old", release_date=dt.date(1985, 3, 1)),
            device("new", release_date=dt.date(2031, 1, 1)),
            device("fine", release_date=dt.date(2020, 1, 1)),
            device("none"),
        ]
    )
    findings = release_dates(frame, NO_PROVENANCE, dt.date(1996, 1, 1), dt.date(2025, 12, 14))
    assert [(f.code, f.model_id) for f in findings] == [
        ("hardware-date-out-of-range", "new"),
        ("hardware-date-missing", "none"),
        ("hardware-date-out-of-range", "old"),
    ]


def test_the_epoch_snapshot_with_the_proposed_params():
    text, _ = read_text(REPO / "raw" / "epoch" / "ml_hardware.csv")
    tables = read_hardware(text, "raw/epoch/ml_hardware.csv", load_mapping())
    params = yaml.safe_load((FIXTURES / "params_hardware.yaml").read_text())
    findings = run_hardware_checks(tables.hardware, tables.provenance, params)
    by_code: dict[str, list[str]] = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f.model_id)
    # 11 rows of the CSV have an empty 'Release date' cell (counted in the raw file)
    assert len(by_code["hardware-date-missing"]) == 11
    # rows 198 and 200: the V100 SXM2 16 GB and Epoch's generic 'NVIDIA V100' share 7 figures
    assert sorted(by_code["hardware-duplicate-figures"]) == [
        "cambricon-mlu370-s4",
        "nvidia-tesla-v100-sxm2-16-gb",
    ]
    # one invalid cell: RTX A4000's datasheet link has no scheme ('techpowerup.com/...')
    assert by_code["hardware-invalid-cell"] == ["nvidia-rtx-a4000"]
    assert set(by_code) == {
        "hardware-date-missing",
        "hardware-duplicate-figures",
        "hardware-invalid-cell",
    }


def test_a_snapshot_holds_its_devices_to_the_day_it_was_taken_and_a_contribution_to_latest():
    """Epoch's snapshot was taken 2025-12-14, so a device of it dated 2026-03-01 is a typo or a
    roadmap date; the same date in a contributed file is a device released since."""
    frame = hardware_frame(
        [
            device("from-snapshot", release_date=dt.date(2026, 3, 1)),
            device("contributed", release_date=dt.date(2026, 3, 1)),
            device("contributed-typo", release_date=dt.date(2062, 3, 1)),
        ]
    )
    where = {
        "from-snapshot": "raw/epoch/ml_hardware.csv",
        "contributed": "raw/contrib/new-device.csv",
        "contributed-typo": "raw/contrib/new-device.csv",
    }
    provenance = pl.DataFrame(
        [
            dict.fromkeys(PROVENANCE_SCHEMA)
            | {"hardware_id": hid, "field": "release_date", "status": "value", "source": src}
            for hid, src in where.items()
        ],
        schema=PROVENANCE_SCHEMA,
    )
    findings = release_dates(
        frame,
        provenance,
        dt.date(1996, 1, 1),
        dt.date(2026, 12, 31),
        {"raw/epoch/ml_hardware.csv": dt.date(2025, 12, 14)},
    )
    assert [(f.code, f.model_id) for f in findings] == [
        ("hardware-date-out-of-range", "contributed-typo"),
        ("hardware-date-out-of-range", "from-snapshot"),
    ]
    assert "[1996-01-01, 2025-12-14]" in findings[1].message
