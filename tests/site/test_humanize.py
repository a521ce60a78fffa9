"""Numbers for people: expected texts worked out by hand from the values."""

from __future__ import annotations

import datetime as dt

import pytest

from memwall.site.humanize import exact, human, sort_key, unit_from_name


@pytest.mark.parametrize(
    ("value", "unit", "binary", "text"),
    [
        (175_000_000_000, "parameters", False, "175B"),  # GPT-3
        (1_500_000_000, "parameters", False, "1.5B"),  # GPT-2: "1,500M" upstream
        (60_190_000, "parameters", False, "60.2M"),  # three significant digits
        (999_999, "parameters", False, "1M"),  # rounds up to the next suffix, not "1000K"
        (7.4e14, "FLOP", False, "7.4e14"),  # GPT-3 inference: 740,000 GFLOPs
        (3.1e23, "FLOP", False, "3.1e23"),  # GPT-3 training: 310,000,000 PFLOPs
        (1_256_277_934, "bytes", True, "1.17 GiB"),  # AlexNet total: upstream "1.17 GB"
        (80_000_000_000, "bytes", False, "80 GB"),  # an H100's 80 GB datasheet figure
        (3.35e12, "bytes/s", False, "3.35 TB/s"),
        (9.89e14, "FLOP/s", False, "989 TFLOP/s"),
        (78.3, "percent", False, "78.3%"),
        (1024, "tokens", False, "1,024"),
        (2012, "year", False, "2012"),
        (700.0, "W", False, "700 W"),
        (None, "parameters", False, ""),
        (dt.date(2020, 5, 28), "date", False, "2020-05-28"),
        ("GPT-3", "", False, "GPT-3"),
    ],
)
def test_values_read_the_way_people_write_them(value, unit, binary, text):
    assert human(value, unit, binary) == text


def test_exact_values_are_whole_numbers_when_they_are_whole():
    assert exact(175_000_000_000) == "175000000000"
    assert exact(7.4e14) == "740000000000000"
    assert exact(78.3) == "78.3"
    assert exact(None) == ""


def test_sort_keys_of_numbers_compare_as_numbers_once_parsed():
    keys = [sort_key(v) for v in (61_000_000, 175_000_000_000, 2)]
    assert sorted(keys, key=float) == [sort_key(2), sort_key(61_000_000), sort_key(175e9)]


@pytest.mark.parametrize(
    ("column", "unit"),
    [
        ("memory_bandwidth_bytes_per_s", "bytes/s"),
        ("peak_tensor_16bit_flop_per_s", "FLOP/s"),
        ("ridge_point_flop_per_byte", "FLOP/byte"),
        ("memory_bytes", "bytes"),
        ("tdp_watts", "W"),
        ("name", ""),
    ],
)
def test_hardware_columns_get_their_unit_from_their_name(column, unit):
    assert unit_from_name(column) == unit
