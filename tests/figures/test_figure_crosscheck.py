"""The cross-check finds the metric a normalized series plots, on a tiny hand-made frame.

Three devices; the figure plots tensor-16bit peak / 1e12 for two of them and FP32 / 1e12
for the old one (values computed here by hand), plus one device whose value fits nothing
and one whose date is a year off.
"""

import datetime as dt
import json
from pathlib import Path

import jsonschema
import polars as pl
import pytest
import yaml

from memwall.figure_crosscheck import crosscheck, label_map
from memwall.figure_points import POINTS_SCHEMA

DATA = Path(__file__).resolve().parents[2] / "pipeline" / "memwall" / "data"
HW_COLUMNS = {
    "hardware_id": pl.String,
    "release_date": pl.Date,
    "peak_fp32_flop_per_s": pl.Float64,
    "peak_fp16_flop_per_s": pl.Float64,
    "peak_tensor_16bit_flop_per_s": pl.Float64,
    "peak_fp8_flop_per_s": pl.Float64,
    "memory_bytes": pl.Int64,
    "memory_bandwidth_bytes_per_s": pl.Float64,
    "intranode_bandwidth_bytes_per_s": pl.Float64,
    "internode_bandwidth_bytes_per_s": pl.Float64,
}


def _hardware():
    rows = [
        # id, release, fp32, fp16, tensor16, fp8, mem, mem bw, intra, inter
        ("old-gpu", dt.date(2010, 1, 1), 1e12, None, None, None, 2**30, 1e11, None, None),
        ("new-gpu", dt.date(2020, 5, 1), 2e13, 8e13, 3e14, None, 4 * 10**10, 2e12, 6e11, 2.5e10),
        ("tpu", dt.date(2018, 5, 1), None, None, 1.2e14, None, 32 * 10**9, 9e11, None, None),
        ("odd", dt.date(2016, 1, 1), 7e12, 1.4e13, None, None, 16 * 10**9, 7e11, None, None),
    ]
    return pl.DataFrame(rows, schema=HW_COLUMNS, orient="row")


def _point(label, date, value):
    row = dict.fromkeys(POINTS_SCHEMA) | {
        "vintage": "v1",
        "figure": "hw",
        "series": "HW FLOPS",
        "label": label,
        "date": date,
        "value": value,
    }
    return row


def _points():
    return pl.DataFrame(
        [
            _point("Old", dt.date(2010, 1, 1), 1.0),  # 1e12 fp32 / 1e12
            _point("New", dt.date(2020, 5, 14), 300.0),  # 3e14 tensor / 1e12
            _point("TPU", dt.date(2019, 5, 1), 120.0),  # right value, a year late
            _point("Odd", dt.date(2016, 1, 1), 50.0),  # 5e13 fits no metric of 'odd'
            _point(None, dt.date(2012, 1, 1), 3.0),  # unlabelled: not cross-checked
        ],
        schema=POINTS_SCHEMA,
        orient="row",
    )


LABELS = [
    {"figure": "hw", "label": "Old", "kind": "device", "hardware_id": "old-gpu", "reason": "t"},
    {"figure": "hw", "label": "New", "kind": "device", "hardware_id": "new-gpu", "reason": "t"},
    {"figure": "hw", "label": "TPU", "kind": "device", "hardware_id": "tpu", "reason": "t"},
    {"figure": "hw", "label": "Odd", "kind": "device", "hardware_id": "odd", "reason": "t"},
]


@pytest.fixture
def result():
    return crosscheck(_points(), _hardware(), label_map(LABELS), 0.02, 92)


def test_the_series_base_is_the_one_most_devices_agree_on(result):
    bases = result.fits["consensus_log10_base"].unique().to_list()
    assert bases == [pytest.approx(12.0)]


def test_each_metric_reports_which_devices_it_explains(result):
    fits = {r["metric"]: r for r in result.fits.iter_rows(named=True)}
    assert fits["peak_tensor_16bit_flop_per_s"]["fitting_points"] == "New, TPU"
    assert fits["peak_tensor_16bit_flop_per_s"]["spread_log10"] == pytest.approx(0.0, abs=1e-12)
    assert fits["peak_fp32_flop_per_s"]["fitting_points"] == "Old"
    assert fits["memory_bandwidth_bytes_per_s"]["devices_fitting"] == 0


def test_a_value_fitting_no_metric_and_a_late_date_are_findings(result):
    got = sorted((f.code, f.model_id) for f in result.findings)
    assert got == [("figure-date-mismatch", "tpu"), ("figure-value-unmatched", "odd")]
    late = next(f for f in result.findings if f.code == "figure-date-mismatch")
    assert "+365 days" in late.message


def test_an_unlabelled_point_is_matched_by_series_and_plotted_date():
    labels = label_map(
        [
            *LABELS,
            {
                "figure": "hw",
                "series": "HW FLOPS",
                "date": "2012-01-01",
                "kind": "device",
                "hardware_id": "new-gpu",
                "reason": "t",
            },
        ]
    )
    result = crosscheck(_points(), _hardware(), labels, 0.02, 92)
    points = set(result.matches["point"])
    assert "unlabelled 2012-01-01" in points
    # 3.0 plotted for a 3e14 device implies 1e14, far from 1e12: a finding, and a date one
    codes_for_it = sorted(f.code for f in result.findings if "2012-01-01" in f.sources[0])
    assert codes_for_it == ["figure-date-mismatch", "figure-value-unmatched"]


def test_a_metric_needs_three_fitting_devices_to_be_conclusive(result):
    conclusive = result.fits.filter(pl.col("conclusive"))
    assert conclusive.height == 0  # tensor fits 2 devices, fp32 1: nothing conclusive here


def test_a_label_listed_twice_is_refused():
    with pytest.raises(ValueError, match="more than once"):
        label_map(LABELS + LABELS[:1])


def test_the_label_registry_matches_its_schema_and_names_each_label_once():
    doc = yaml.safe_load((DATA / "figure_labels.yaml").read_text(encoding="utf-8"))
    schema = json.loads((DATA / "figure_labels.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    frame = label_map(doc["entries"])
    assert frame.filter(pl.col("label") == "H100")["hardware_id"].to_list() == [
        "nvidia-h100-sxm5-80gb"
    ]
