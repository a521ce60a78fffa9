"""Reading cell text: counts, scaled FLOPs, bytes, sizes, dates, and the four statuses."""

from __future__ import annotations

import datetime as dt

import pytest

from memwall import units
from memwall.units import ESTIMATE, NOT_APPLICABLE, UNKNOWN, VALUE, UnitError

GIB = 2**30


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,500M", 1_500_000_000),
        ("65M", 65_000_000),
        ("25.56M", 25_560_000),
        ("2,000,000M", 2_000_000_000_000),
        ("175B", 175_000_000_000),
        ("512", 512),
    ],
)
def test_counts_with_suffixes_are_exact_integers(text, value):
    parsed = units.parse_count(text)
    assert parsed == units.Parsed(value, VALUE)
    assert isinstance(parsed.value, int)


@pytest.mark.parametrize(
    ("text", "scale", "value"),
    [
        ("3,400", 10**9, 3.4e12),
        ("1.4", 10**9, 1.4e9),
        ("740,000", 10**9, 7.4e14),
        ("310,000,000", 10**15, 3.1e23),
        ("24.6", 10**9, 2.46e10),
    ],
)
def test_scaled_numbers_land_in_base_units(text, scale, value):
    assert units.parse_scaled(text, scale, "x", "1") == units.Parsed(value, VALUE)


def test_order_of_magnitude_is_an_estimate_not_a_value():
    assert units.parse_scaled("~O(0.1)", 10**9, "x", "1") == units.Parsed(1e8, ESTIMATE)
    assert units.parse_scaled("~0.1", 10**9, "x", "1").status == ESTIMATE


@pytest.mark.parametrize(
    "reader",
    [
        units.parse_count,
        units.parse_date,
        units.parse_year,
        units.parse_resolution,
        lambda t: units.parse_bytes(t, GIB),
        lambda t: units.parse_scaled(t, 1, "x", "1"),
    ],
)
def test_na_and_blank_mean_different_things(reader):
    assert reader("N/A") == units.Parsed(None, NOT_APPLICABLE)
    assert reader("") == units.Parsed(None, UNKNOWN)


def test_gigabytes_follow_the_configured_basis():
    assert units.parse_bytes("0.23 GB", GIB).value == round(0.23 * GIB)
    assert units.parse_bytes("0.23 GB", 10**9).value == 230_000_000
    assert units.parse_bytes("1 GiB", 10**9).value == GIB


@pytest.mark.parametrize(
    ("text", "value"),
    [("227 x 227", (227, 227)), ("224x224", (224, 224)), ("320 X 240", (320, 240))],
)
def test_resolutions_give_height_and_width(text, value):
    assert units.parse_resolution(text).value == value


def test_input_size_is_a_resolution_or_a_sequence_length():
    assert units.parse_input_size("227 x 227").value == {"input_height": 227, "input_width": 227}
    assert units.parse_input_size("512").value == {"input_tokens": 512}


def test_dates_are_month_first_and_must_exist():
    assert units.parse_date("05/28/2020").value == dt.date(2020, 5, 28)
    with pytest.raises(UnitError, match="swapped"):
        units.parse_date("28/05/2020")
    with pytest.raises(UnitError):
        units.parse_date("02/30/2020")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: units.parse_count("3.2 TFLOPs"), "not a count"),
        (lambda: units.parse_count("0M"), "not a positive count"),
        (lambda: units.parse_count("1.5"), "not a whole number"),
        (
            lambda: units.parse_scaled("3.2 TFLOPs", 10**9, "inference GFLOPs", "3,200"),
            "'3.2 TFLOPs' is not a number of inference GFLOPs",
        ),
        (lambda: units.parse_scaled("1,50", 10**9, "x", "1"), "not a number"),
        (lambda: units.parse_bytes("0.23", GIB), "not an amount"),
        (lambda: units.parse_percent("101"), "between 0 and 100"),
        (lambda: units.parse_year("'19"), "not a year"),
    ],
)
def test_bad_text_raises_a_unit_error_with_an_example(call, message):
    with pytest.raises(UnitError, match=message) as info:
        call()
    assert info.value.expected.startswith("e.g.")
