"""Acceptances mark findings without hiding them; rounding half-units of printed values."""

import math

import pytest
from cellrows import PARAMS, cell, frame

from memwall.acceptances import Acceptance, apply_acceptances
from memwall.checks.base import half_unit
from memwall.checks.physics import inference_flops


def albert():
    return frame(
        [
            cell("models", "albert-xxl", "params", "235M", 235_000_000),
            cell("models", "albert-xxl", "input_tokens", "512", 512),
            cell("models", "albert-xxl", "inference_flop", "2,500", 2.5e12),
        ]
    )


SHARED = Acceptance(
    "inference-flops", "albert-xxl", {"inference_flop": "2,500"}, "shared weights", "paper"
)


def test_accepted_finding_stays_in_the_report_marked_accepted():
    found, unused = apply_acceptances(inference_flops(albert(), PARAMS), [SHARED])
    assert [f.accepted["reason"] for f in found] == ["shared weights"]
    assert unused == []


def test_acceptance_stops_applying_when_the_value_changes():
    changed = Acceptance("inference-flops", "albert-xxl", {"inference_flop": "2,400"}, "r", "e")
    found, unused = apply_acceptances(inference_flops(albert(), PARAMS), [changed])
    assert found[0].accepted is None
    assert unused == [changed]


@pytest.mark.parametrize(
    ("text", "value", "half"),
    [
        ("0.23 GB", 0.23 * 2**30, 0.005 * 2**30),
        ("1,500M", 1.5e9, 50e6),
        ("60.19M", 60.19e6, 0.005e6),
        ("512", 512, 0.5),
        ("23", 23e9, 0.5e9),
    ],
)
def test_half_unit_is_half_the_last_significant_printed_digit(text, value, half):
    assert math.isclose(half_unit(text, value), half)
