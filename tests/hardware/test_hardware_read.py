"""Reading a snapshot: one row per device, provenance per cell, every record accounted for."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest

from memwall.hardware import HardwareInputError, hardware_ids, read_hardware, read_snapshot, slug
from memwall.hardware_columns import load_mapping
from memwall.textio import decode

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hardware"
SNAPSHOT = REPO / "raw" / "epoch" / "ml_hardware.csv"


def read(path: Path, name: str = "snap.csv"):
    text, _ = decode(path.read_bytes())
    return read_hardware(text, name, load_mapping())


def cell(tables, hardware_id: str, field: str) -> dict:
    rows = tables.provenance.filter(
        (pl.col("hardware_id") == hardware_id) & (pl.col("field") == field)
    )
    assert rows.height == 1
    return rows.row(0, named=True)


def test_fixture_devices_become_rows_with_values_in_base_units():
    tables = read(FIXTURES / "multiline_notes_and_quotes.csv")
    hardware = tables.hardware
    assert hardware["hardware_id"].to_list() == ["alpha-x1", "beta-y2"]
    alpha = hardware.row(0, named=True)
    assert alpha["name"] == "Alpha X1"
    assert alpha["peak_tensor_16bit_flop_per_s"] == 3.12e14
    assert alpha["memory_bytes"] == 40_000_000_000
    assert alpha["internode_bandwidth_bytes_per_s"] == 200e9 / 8  # the CSV says bit/s
    assert alpha["ridge_point_flop_per_byte"] == pytest.approx(312e12 / 1555e9)
    assert hardware.row(1, named=True)["name"] == 'Beta, "Y2"'
    assert tables.rejects.is_empty()


def test_provenance_locates_each_cell_after_a_multiline_note():
    tables = read(FIXTURES / "multiline_notes_and_quotes.csv")
    date = cell(tables, "alpha-x1", "release_date")
    assert (date["line"], date["char"], date["raw"], date["status"]) == (
        4,
        16,
        "2020-05-14",
        "value",
    )
    assert date["column"] == "Release date" and date["source"] == "snap.csv"
    inter = cell(tables, "alpha-x1", "internode_bandwidth_bytes_per_s")
    assert (inter["raw"], inter["value"]) == ("200000000000.0", "25000000000.0")
    ridge = cell(tables, "alpha-x1", "ridge_point_flop_per_byte")
    assert ridge["status"] == "derived" and ridge["line"] is None
    beta_ridge = cell(tables, "beta-y2", "ridge_point_flop_per_byte")
    assert beta_ridge["status"] == "unknown"
    assert beta_ridge["reason"] == (
        "needs peak_tensor_16bit_flop_per_s and memory_bandwidth_bytes_per_s"
    )
    # one provenance row per published cell: 15 per device (hardware_id is the key)
    assert tables.provenance.height == 2 * 15


def test_bad_cells_are_invalid_with_reasons_and_null_in_the_table():
    tables = read(FIXTURES / "crlf_line_ends_and_bom.csv")
    gamma = tables.hardware.filter(pl.col("hardware_id") == "gamma").row(0, named=True)
    fields = [
        "release_date",
        "peak_fp32_flop_per_s",
        "peak_tensor_16bit_flop_per_s",
        "memory_bandwidth_bytes_per_s",
        "memory_bytes",
    ]
    assert all(gamma[f] is None for f in fields)
    statuses = {f: cell(tables, "gamma", f) for f in fields}
    assert {f: c["status"] for f, c in statuses.items()} == dict.fromkeys(fields, "invalid")
    assert statuses["peak_fp32_flop_per_s"]["reason"] == "not a finite number ('inf')"
    assert statuses["peak_tensor_16bit_flop_per_s"]["raw"] == "12,5"
    assert "2019-02-30" in statuses["release_date"]["reason"]
    # CRLF file: the second device starts on line 4 (the note of the first spans two lines)
    assert statuses["memory_bytes"]["line"] == 4


def test_every_record_ends_in_hardware_or_rejects_with_a_reason():
    path = FIXTURES / "ragged_and_nameless_records.csv"
    tables = read(path)
    records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    assert tables.hardware.height + tables.rejects.height == len(records) - 1
    assert tables.hardware["name"].to_list() == ["Alpha X1"]
    rejects = tables.rejects.select("line", "code").rows()
    assert rejects == [
        (3, "hardware-no-name"),
        (4, "hardware-ragged-record"),
        (5, "hardware-no-id"),
    ]
    assert tables.rejects["reason"][1] == "snap.csv:4: record has 37 cells; the header has 39"


def test_colliding_slugs_get_deterministic_suffixes():
    tables = read(FIXTURES / "names_with_the_same_slug.csv")
    ids = dict(zip(tables.hardware["name"], tables.hardware["hardware_id"], strict=True))
    # sorted by name: 'ZETA Z_1' < 'Zeta Z 1' < 'Zeta Z-1' (code points); 'zeta z-1-2' is its own
    assert ids == {
        "ZETA Z_1": "zeta-z-1",
        "Zeta Z 1": "zeta-z-1-3",
        "Zeta Z-1": "zeta-z-1-4",
        "zeta z-1-2": "zeta-z-1-2",
    }
    assert tables.hardware["hardware_id"].is_unique().all()


def test_ids_do_not_depend_on_record_order():
    names = [("B x", 2), ("b-x", 3), ("A", 4), ("b_x", 5)]
    forward = dict(zip(names, hardware_ids(names), strict=True))
    backward = dict(zip(names[::-1], hardware_ids(names[::-1]), strict=True))
    assert forward == backward
    assert slug("NVIDIA H100 SXM5 80GB") == "nvidia-h100-sxm5-80gb"


def test_unterminated_quote_is_an_input_error_with_position():
    text = SNAPSHOT.read_text(encoding="utf-8").split("\n")[0] + '\n"Alpha,\n'
    with pytest.raises(HardwareInputError) as error:
        read_hardware(text, "snap.csv", load_mapping())
    assert error.value.problems == ["snap.csv:2:1: unterminated quoted cell"]


def test_the_epoch_snapshot_reads_whole_and_matches_its_raw_text():
    tables = read(SNAPSHOT, "raw/epoch/ml_hardware.csv")
    assert tables.hardware.height == 170 and tables.rejects.is_empty()
    assert tables.provenance.height == 170 * 15
    h100 = tables.hardware.filter(pl.col("name") == "NVIDIA H100 SXM5 80GB").row(0, named=True)
    # raw line 88: ...,989400000000000.0,...,3350000000000.0,900000000000.0,400000000000.0,...
    assert h100["peak_tensor_16bit_flop_per_s"] == 989.4e12
    assert h100["memory_bandwidth_bytes_per_s"] == 3.35e12
    assert h100["internode_bandwidth_bytes_per_s"] == 400e9 / 8
    assert h100["ridge_point_flop_per_byte"] == pytest.approx(989.4 / 3.35)
    located = tables.provenance.filter(pl.col("line").is_not_null())
    lines = SNAPSHOT.read_text(encoding="utf-8").split("\n")
    for row in located.filter(pl.col("raw") != "").iter_rows(named=True):
        start = lines[row["line"] - 1][row["char"] - 1 :]
        assert start.startswith(row["raw"].split("\n")[0]) or start.startswith('"'), row


def test_same_input_gives_identical_frames():
    first, second = read(SNAPSHOT), read(SNAPSHOT)
    assert first.hardware.equals(second.hardware)
    assert first.provenance.equals(second.provenance)


def test_a_file_that_is_not_utf8_is_an_input_error_with_position(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("Hardware name\nCaf\xe9 GPU\n".encode("latin-1"))
    with pytest.raises(HardwareInputError) as error:
        read_snapshot(path, "raw/epoch/latin1.csv", load_mapping())
    assert error.value.problems[0].startswith("raw/epoch/latin1.csv:2:4: not UTF-8: byte 0xe9")


def test_the_column_wise_slug_is_the_slug_the_stage_gives_ids_by():
    import polars as pl

    from memwall.hardware import slug, slug_expr

    names = ["NVIDIA H100 SXM5 80GB", "  TPU v4 ", "AMD Instinct MI300X (OAM)", "Ü-chip--x", "--"]
    by_column = pl.DataFrame({"name": names}).select(slug_expr("name"))["name"].to_list()
    assert by_column == [slug(n) for n in names]
