"""`memwall validate` on contributed hardware rows (issue 12, "Contributions"): files that each
carry one defect, in the raw snapshot's columns or the published table's, as CSV or markdown.

Every expected (line, column, code) is read off the fixture text itself (the 1-based character
column of the cell to fix); runs in the session's built copy, so conflicts and duplicates have
the published hardware table to compare with and params.yaml's `hardware:` bounds apply."""

from __future__ import annotations

import json

import pytest
from helpers import CONTRIB, located, validate_cli

from memwall.contrib.hardware_rows import _unit_hint
from memwall.hardware_forms import recognise


def column_of(name: str, line: int, marker) -> int:
    """1-based column of `marker` on `line` of the fixture: an int as is; a string where it
    first starts; ("last", s) where it last starts; (s, k) k characters after s starts."""
    text = (CONTRIB / name).read_text(encoding="utf-8").split("\n")[line - 1]
    if isinstance(marker, int):
        return marker
    if isinstance(marker, tuple) and marker[0] == "last":
        return text.rindex(marker[1]) + 1
    if isinstance(marker, tuple):
        return text.index(marker[0]) + marker[1] + 1
    assert text.count(marker) == 1, f"{marker!r} is not once on line {line} of {name}"
    return text.index(marker) + 1


ERRORS = {
    "hardware-renamed-column.csv": [
        (1, 1, "hardware-missing-column"),
        (1, "Memory bandwidth (GB/s)", "hardware-unknown-column"),
    ],
    "hardware-bits-column.csv": [
        (1, 1, "hardware-missing-column"),
        (1, "internode_bandwidth_bits_per_s", "hardware-unknown-column"),
    ],
    "hardware-bits-not-bytes.md": [(5, "6912 Gbit/s", "unit")],
    "hardware-inf-in-a-figure.csv": [(2, "inf,", "unit")],
    "hardware-date-month-first.csv": [(2, "08/08/2023", "unit")],
    "hardware-implausible-bandwidth.csv": [(2, "8.64e17", "hardware-implausible-figure")],
    "hardware-date-out-of-range.md": [(5, "2027-01-15", "hardware-date-out-of-range")],
    "hardware-conflict-with-published.csv": [(2, "9.6e11", "conflict")],
    "hardware-same-device-twice.csv": [(3, "NVIDIA L40S", "hardware-repeated-device")],
    "hardware-id-not-the-slug.csv": [(2, "l40s,", "hardware-id")],
    "hardware-ridge-not-the-formula.csv": [(2, "838.08", "derived")],
    "hardware-ragged-row.md": [(5, ("last", "350"), "hardware-ragged-record")],
    "hardware-unterminated-quote.csv": [(2, '"NVIDIA', "csv")],
}

WARNINGS = {
    "hardware-tensor-below-fp32.csv": [(2, "9.16e13", "hardware-tensor-below-fp32")],
    "hardware-date-missing.csv": [(2, ("GPU,,", 4), "hardware-date-missing")],
    "hardware-duplicate-of-published.md": [(5, "NVIDIA L4", "duplicate")],
    # the row restates L4 but leaves its TDP blank: the stage would replace the device whole
    "hardware-blank-where-published-states.csv": [
        (2, ("1.21e14,,24000000000,3.001e11,,,", 32), "hardware-blank-drops-figure"),
        (2, "NVIDIA L4", "duplicate"),
    ],
    "hardware-identical-figures-to-published.csv": [
        (2, "NVIDIA L4 24GB", "hardware-duplicate-figures")
    ],
}


def expected(name: str, table: dict) -> list[tuple[int, int, str]]:
    return sorted((line, column_of(name, line, m), code) for line, m, code in table[name])


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_each_hardware_defect_is_an_error_at_the_cell_to_fix(name, built_repo):
    result = validate_cli(CONTRIB / name, cwd=built_repo)
    assert located(result.problems, "error") == expected(name, ERRORS), result.stdout
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_each_hardware_doubt_is_a_warning_at_its_cell_and_exits_0(name, built_repo):
    result = validate_cli(CONTRIB / name, cwd=built_repo)
    assert located(result.problems, "error") == []
    assert located(result.problems, "warning") == expected(name, WARNINGS), result.stdout
    assert result.returncode == 0


@pytest.mark.parametrize(
    "name",
    [
        "hardware-valid-published.csv",
        "hardware-valid-published.md",
        "hardware-valid-epoch.csv",
    ],
)
def test_a_new_device_in_either_column_set_passes_clean(name, built_repo):
    result = validate_cli(CONTRIB / name, cwd=built_repo)
    assert result.problems == [] and result.returncode == 0, result.stdout
    assert result.summary == {
        "files": 1,
        "rows_read": 1,
        "rows_valid": 1,
        "errors": 0,
        "warnings": 0,
    }


def test_text_output_is_path_line_col_severity_code(built_repo):
    name = CONTRIB / "hardware-bits-not-bytes.md"
    result = validate_cli(name, cwd=built_repo, fmt="text")
    column = column_of("hardware-bits-not-bytes.md", 5, "6912 Gbit/s")
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{name}:5:{column}: error[unit]: memory_bandwidth_bytes_per_s: ")
    assert result.returncode == 1


def test_a_bit_rate_written_with_its_unit_is_converted_to_bytes_in_the_hint(built_repo):
    result = validate_cli(CONTRIB / "hardware-bits-not-bytes.md", cwd=built_repo)
    # 6912 Gbit/s = 6912e9 / 8 bytes/s = 864 GB/s
    assert "write 8.64e+11 (bytes/s" in result.problems[0]["message"]


def test_a_renamed_column_is_named_with_the_column_it_replaced(built_repo):
    result = validate_cli(CONTRIB / "hardware-renamed-column.csv", cwd=built_repo)
    messages = " ".join(p["message"] for p in result.problems)
    assert "'Memory bandwidth (GB/s)'" in messages and "'Memory bandwidth (byte/s)'" in messages


def test_a_conflict_names_the_published_value_and_its_raw_line(built_repo):
    snapshot = (built_repo / "raw/epoch/ml_hardware.csv").read_text(encoding="utf-8")
    line = next(n for n, t in enumerate(snapshot.split("\n"), 1) if t.startswith("NVIDIA L40,"))
    result = validate_cli(CONTRIB / "hardware-conflict-with-published.csv", cwd=built_repo)
    [message] = [p["message"] for p in result.problems if p["code"] == "conflict"]
    assert f"raw/epoch/ml_hardware.csv:{line}" in message and "864000000000.0" in message


def test_the_snapshot_itself_gives_the_hardware_stages_findings(built_repo):
    """Validating raw/epoch/ml_hardware.csv as a contribution runs the stage's own reader and
    checks: the same findings at the same cells (the invalid link as a `unit` error), and no
    conflict or duplicate with the table built from it."""
    result = validate_cli("raw/epoch/ml_hardware.csv", "--max-per-code", "0", cwd=built_repo)
    doc = json.loads((built_repo / "interim/hardware_findings.json").read_text())
    renamed = {"hardware-invalid-cell": "unit"}
    stage = sorted(
        (int(f["sources"][0].split(":")[1]), renamed.get(f["code"], f["code"]))
        for f in doc["findings"]
    )
    mine = sorted((p["line"], p["code"]) for p in result.problems)
    assert mine == stage
    assert result.summary["rows_read"] == 170


def test_model_and_hardware_files_are_checked_in_one_run(built_repo):
    result = validate_cli(
        CONTRIB / "valid_new_model.md", CONTRIB / "hardware-valid-published.csv", cwd=built_repo
    )
    assert result.problems == [] and result.returncode == 0
    assert result.summary["rows_read"] == 2 and result.summary["rows_valid"] == 2


def test_a_device_in_two_files_is_one_repeated_device_problem(built_repo):
    result = validate_cli(
        CONTRIB / "hardware-valid-published.csv",
        CONTRIB / "hardware-valid-published.md",
        cwd=built_repo,
    )
    assert [p["code"] for p in result.problems] == ["hardware-repeated-device"]
    assert result.problems[0]["path"].endswith("hardware-valid-published.md")


def test_outside_a_checkout_the_checks_that_need_params_are_said_to_be_skipped(tmp_path):
    target = tmp_path / "hardware-tensor-below-fp32.csv"
    target.write_bytes((CONTRIB / target.name).read_bytes())
    result = validate_cli(target, cwd=tmp_path, fmt="text")
    assert "params.yaml" in result.stdout and result.returncode == 0
    strict = validate_cli(target, "--strict", cwd=tmp_path)
    assert strict.returncode == 1


@pytest.mark.parametrize(
    ("raw", "field", "hint"),
    [
        # expected values worked by hand: prefix x 10^k, bits / 8, Gi = 2^30
        ("3.35 TB/s", "memory_bandwidth_bytes_per_s", "write 3.35e+12 (bytes/s"),
        ("400 Gb/s", "internode_bandwidth_bytes_per_s", "write 5e+10 (bytes/s"),
        ("80 GB", "memory_bytes", "write 8e+10 (bytes"),
        ("80 GiB", "memory_bytes", "write 8.58993e+10 (bytes"),
        ("989.4 TFLOPS", "peak_tensor_16bit_flop_per_s", "write 9.894e+14 (FLOP/s"),
        ("700 W", "tdp_watts", "write 700 (W"),
        ("80 GB", "memory_bandwidth_bytes_per_s", "this column is in bytes/s, not bytes"),
        ("fast", "memory_bytes", ""),
    ],
)
def test_a_number_with_a_unit_gets_the_number_to_write(raw, field, hint):
    found = _unit_hint(raw, field)
    assert (hint in found) if hint else found == ""


def test_a_model_header_is_not_taken_for_hardware():
    assert recognise(["model", "params", "published"]) is None
    assert recognise(["Date", "Model", "#Params", "Inference GFLOPs"]) is None
    assert recognise(["name", "release_date", "tdp_watts"]).name == "published"
    assert recognise(["Hardware name", "TDP (W)"]).name == "epoch"


def test_params_without_a_hardware_section_say_the_hardware_checks_were_skipped(
    built_repo, tmp_path
):
    import yaml

    params = yaml.safe_load((built_repo / "params.yaml").read_text(encoding="utf-8"))
    del params["hardware"]
    given = tmp_path / "params.yaml"
    given.write_text(yaml.safe_dump(params), encoding="utf-8")
    name = CONTRIB / "hardware-tensor-below-fp32.csv"
    result = validate_cli(name, "--params", given, cwd=built_repo)
    skipped = json.loads(result.stdout)["skipped"]
    assert result.problems == [] and any("hardware:" in s for s in skipped)
    assert validate_cli(name, "--params", given, "--strict", cwd=built_repo).returncode == 1
