"""Cells become a value, unknown or invalid with a reason: never a crash, never a silent zero."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from memwall.hardware_cells import parse_cell


@pytest.mark.parametrize(
    ("raw", "parser", "factor", "value"),
    [
        ("183000000000000.0", "float", 1, 1.83e14),
        ("1.25e+14", "float", 1, 1.25e14),
        (" 700.0 ", "float", 1, 700.0),
        ("400000000000.0", "float", Fraction(1, 8), 5e10),
        ("80000000000.0", "integer", 1, 80_000_000_000),
        ("2022-09-20", "date", 1, dt.date(2022, 9, 20)),
        ("  NVIDIA ", "string", 1, "NVIDIA"),
        (
            "https://a.example/x; https://b.example/y",
            "url",
            1,
            "https://a.example/x https://b.example/y",
        ),
    ],
)
def test_good_cells_are_values_in_output_units(raw, parser, factor, value):
    parsed = parse_cell(raw, parser, Fraction(factor))
    assert (parsed.value, parsed.status, parsed.reason) == (value, "value", None)


@pytest.mark.parametrize("parser", ["float", "integer", "date", "string", "url"])
@pytest.mark.parametrize("raw", ["", "   ", "\n"])
def test_blank_cells_are_unknown_not_zero(raw, parser):
    parsed = parse_cell(raw, parser)
    assert (parsed.value, parsed.status) == (None, "unknown")
    assert "not zero" in parsed.reason


@pytest.mark.parametrize(
    ("raw", "parser", "reason"),
    [
        ("inf", "float", "not a finite number ('inf')"),
        ("-Infinity", "float", "not a finite number"),
        ("nan", "integer", "not a finite number"),
        ("12,5", "float", "not a number ('12,5')"),
        ("1_000", "float", "not a number"),
        ("312 TFLOPS", "float", "not a number"),
        ("0.0", "float", "'0.0' is not positive; a blank would mean unknown"),
        ("-5", "float", "not positive"),
        ("1.5", "integer", "'1.5' is not a whole number"),
        ("2019-02-30", "date", "not a calendar date ('2019-02-30'"),
        ("20/09/2022", "date", "not a date written YYYY-MM-DD"),
        ("2022-9-20", "date", "not a date written YYYY-MM-DD"),
        ("techpowerup.com/gpu", "url", "no link starting with http:// or https://"),
    ],
)
def test_bad_cells_are_invalid_with_a_reason(raw, parser, reason):
    parsed = parse_cell(raw, parser)
    assert (parsed.value, parsed.status) == (None, "invalid")
    assert reason in parsed.reason


def test_bits_to_bytes_is_exact_before_rounding_once():
    # 0.1 bit/s * 1/8 computed in decimal is 0.0125 exactly; float(0.1) / 8 rounds twice
    assert parse_cell("0.1", "float", Fraction(1, 8)).value == 0.0125


def test_link_cells_keep_only_links_and_say_what_text_was_dropped():
    parsed = parse_cell("https://a.example/x\n\nsources disagree", "url")
    assert parsed.value == "https://a.example/x"
    assert parsed.status == "value"
    assert parsed.reason == "kept 1 links; text that is not a link: 'sources disagree'"


def test_published_text_of_a_float_round_trips():
    assert parse_cell("1.25e+14", "float").text() == "125000000000000.0"
    assert parse_cell("2022-09-20", "date").text() == "2022-09-20"
