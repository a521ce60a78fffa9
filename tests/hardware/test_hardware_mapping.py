"""The column mapping is data, covers the snapshot, and refuses a header it does not know."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from memwall.hardware import HardwareInputError, read_hardware
from memwall.hardware_columns import DEFAULT_MAPPING, MappingError, load_mapping, parse_mapping

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hardware"
SNAPSHOT = REPO / "raw" / "epoch" / "ml_hardware.csv"
AGREED = [
    "name",
    "manufacturer",
    "type",
    "release_date",
    "peak_fp32_flop_per_s",
    "peak_fp16_flop_per_s",
    "peak_tensor_16bit_flop_per_s",
    "peak_fp8_flop_per_s",
    "memory_bytes",
    "memory_bandwidth_bytes_per_s",
    "intranode_bandwidth_bytes_per_s",
    "internode_bandwidth_bytes_per_s",
    "tdp_watts",
    "datasheet_url",
]


def test_mapping_file_follows_its_json_schema():
    schema = json.loads(DEFAULT_MAPPING.with_suffix(".schema.json").read_text())
    jsonschema.validate(yaml.safe_load(DEFAULT_MAPPING.read_text()), schema)


def test_mapping_reads_the_agreed_columns_and_accounts_for_every_snapshot_column():
    mapping = load_mapping()
    assert [c.output for c in mapping.columns] == AGREED
    with SNAPSHOT.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert sorted(mapping.known()) == sorted(header)


def test_internode_bandwidth_is_converted_from_bits_to_bytes():
    rules = {c.output: c for c in load_mapping().columns}
    assert rules["internode_bandwidth_bytes_per_s"].source == "Internode bandwidth (bit/s)"
    assert rules["internode_bandwidth_bytes_per_s"].factor * 8 == 1
    assert rules["memory_bandwidth_bytes_per_s"].factor == 1


def test_a_renamed_column_is_refused_naming_both_the_new_and_the_missing_header():
    path = FIXTURES / "header_renames_memory_column.csv"
    text = path.read_text(encoding="utf-8")
    header_line = text.split("\n")[0]
    column = header_line.index("Memory (bytes)") + 1
    with pytest.raises(HardwareInputError) as error:
        read_hardware(text, "snap.csv", load_mapping())
    problems = error.value.problems
    assert len(problems) == 2
    assert problems[0].startswith(f"snap.csv:1:{column}: unknown column 'Memory (bytes)'; known: ")
    assert "'Memory size per board (Byte)'" in problems[0]
    assert problems[1].startswith(
        "snap.csv:1: missing column 'Memory size per board (Byte)' (read as memory_bytes)"
    )
    assert "'Memory (bytes)'" in problems[1]


def test_a_duplicated_header_is_refused():
    text = SNAPSHOT.read_text(encoding="utf-8").split("\n")[0] + ",Notes\n"
    with pytest.raises(HardwareInputError) as error:
        read_hardware(text, "snap.csv", load_mapping())
    column = text.rindex("Notes") + 1
    assert error.value.problems == [f"snap.csv:1:{column}: column 'Notes' appears twice"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"output": "x", "source": "X", "parser": "number"}, "parser 'number' is not one of"),
        ({"output": "x", "source": "X", "parser": "float", "factor": "1/0"}, "not a number"),
        ({"output": "x", "source": "X", "parser": "float", "factor": -2}, "must be positive"),
        ({"output": "x", "parser": "float"}, "needs output, source and parser"),
    ],
)
def test_a_broken_mapping_says_which_entry_is_wrong(entry, message):
    with pytest.raises(MappingError, match=r"m\.yaml: columns\[0\]: .*" + message):
        parse_mapping({"columns": [entry], "ignored": []}, "m.yaml")


def test_a_column_both_read_and_ignored_is_refused():
    data = {
        "columns": [{"output": "x", "source": "X", "parser": "float"}],
        "ignored": [{"source": "X", "reason": "r"}],
    }
    with pytest.raises(MappingError, match="column 'X' is mapped twice"):
        parse_mapping(data, "m.yaml")
