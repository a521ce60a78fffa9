"""Reading the reference, the reviewed name registry, the cross-reference frame and findings."""

import hashlib
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import yaml

from memwall.crossref import build_crossref, crossref_findings, crossref_markdown, swapped
from memwall.csvrecords import read_csv_records
from memwall.reference import load_columns, load_reference
from memwall.refnames import ReferenceNamesError, load_reference_names, suggest_candidates
from memwall.textio import InputError

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "crossref"
SCHEMA = ROOT / "pipeline" / "memwall" / "data" / "reference_names.schema.json"
TOL = {"published_days": 30, "year": 0, "params_relative": 0.1, "training_flop_factor": 3}


def test_raw_reference_is_the_shared_snapshot_byte_for_byte():
    data = (ROOT / "raw" / "epoch" / "notable_ai_models.csv").read_bytes()
    assert hashlib.sha256(data).hexdigest() == (
        "c94a4e13082f8f42b60e831ab6d604f3afe33fde54e9e0f3b751c997b3d4bf0c"
    )


def test_a_multiline_quoted_note_is_one_record_and_the_next_keeps_its_line():
    frame = read_csv_records(FIX / "multiline_note.csv")
    assert frame["Model"].to_list() == ["Alpha", "Beta"]
    assert frame["line"].to_list() == [2, 5]  # Alpha's note spans lines 2-4
    assert frame["Parameters notes"][0] == "a note\nthat spans\nthree lines"


def test_a_ragged_record_names_its_line():
    with pytest.raises(InputError) as err:
        read_csv_records(FIX / "ragged_record.csv")
    assert err.value.line == 3 and "2 cells" in err.value.message


def test_a_snapshot_with_renamed_columns_fails_naming_them():
    with pytest.raises(InputError, match="Parameters"):
        load_reference(FIX / "renamed_columns.csv")


def test_reference_numbers_and_dates_are_typed_and_blanks_stay_null():
    ref = load_reference(FIX / "multiline_note.csv")
    beta = ref.filter(pl.col("model") == "Beta").row(0, named=True)
    assert beta["params"] == 1.5e9 and beta["training_flop"] is None
    assert beta["published"] == date(2019, 2, 14) and beta["line"] == 5


def test_the_real_snapshot_reads_895_models_with_the_transformer_at_its_line():
    ref = load_reference(ROOT / "raw" / "epoch" / "notable_ai_models.csv")
    assert ref.height == 895
    row = ref.filter(pl.col("model") == "Transformer").row(0, named=True)
    # `grep -n '^Transformer,' raw/epoch/notable_ai_models.csv` -> 5059
    assert (row["line"], row["params"]) == (5059, 213e6)


def _names(tmp_path, entries):
    path = tmp_path / "reference_names.yaml"
    path.write_text(yaml.safe_dump(entries), encoding="utf-8")
    return path


def test_a_named_reference_model_missing_from_the_snapshot_fails_clearly(tmp_path):
    path = _names(
        tmp_path, [{"model_id": "gpt-2", "reference": "GPT-2", "reason": "the same model"}]
    )
    with pytest.raises(ReferenceNamesError, match="'GPT-2' is not in the reference snapshot"):
        load_reference_names(path, SCHEMA, ["GPT-2 (1.5B)"], ["gpt-2"])


def test_a_published_model_without_an_entry_fails(tmp_path):
    path = _names(
        tmp_path, [{"model_id": "a", "reference": "no match", "reason": "not in the reference"}]
    )
    with pytest.raises(ReferenceNamesError, match="no entry for published model_id"):
        load_reference_names(path, SCHEMA, [], ["a", "b"])


def test_the_registry_covers_every_published_model_of_both_tables():
    ref = load_reference(ROOT / "raw" / "epoch" / "notable_ai_models.csv")
    names = yaml.safe_load((SCHEMA.parent / "reference_names.yaml").read_text())
    ids = sorted(e["model_id"] for e in names)
    frame = load_reference_names(
        SCHEMA.parent / "reference_names.yaml", SCHEMA, ref["model"].to_list(), ids
    )
    by_id = dict(zip(frame["model_id"], frame["reference"], strict=True))
    # a base vs big variant and a dense 2.3B vs 600B MoE only share the paper's date
    assert frame.filter(pl.col("model_id") == "gshard")["fields"][0].to_list() == ["published"]
    assert by_id["transformer-big-wmt"] == "Transformer" and by_id["baidu-recsys-c"] is None


def _provenance(rows):
    cols = ["table", "model_id", "field", "value", "status", "raw", "source", "line", "char"]
    return pl.DataFrame(
        [dict(zip(cols, r, strict=True)) | {"corrections": ""} for r in rows],
        schema={c: (pl.Int64 if c in ("line", "char") else pl.String) for c in cols}
        | {"corrections": pl.String},
    )


def _crossref(prov_rows, names_rows):
    ref = load_reference(FIX / "multiline_note.csv")
    names = pl.DataFrame(
        names_rows,
        schema={
            "model_id": pl.String,
            "reference": pl.String,
            "fields": pl.List(pl.String),
            "reason": pl.String,
        },
        orient="row",
    )
    return build_crossref(_provenance(prov_rows), ref, names, "ref.csv")


ALL = ["published", "year", "params", "training_flop"]


def test_a_date_written_day_first_is_a_swap_not_a_plain_disagreement():
    frame = _crossref(
        [("models", "t", "published", "2017-12-06", "value", "12/06/2017", "up.md", 15, 3)],
        [("t", "Alpha", ALL, "same paper")],
    )
    assert frame["days_apart"].to_list() == [177]  # 2017-12-06 minus 2017-06-12, by hand
    (f,) = crossref_findings(frame, TOL)
    assert f.code == "crossref-date-swap"
    assert f.sources == ("up.md:15:3", "ref.csv:2:1")
    assert swapped(date(2017, 12, 6), date(2017, 6, 12))
    assert not swapped(date(2017, 6, 6), date(2017, 6, 6))


def test_params_outside_tolerance_disagree_and_the_finding_shows_both_and_the_note():
    frame = _crossref(
        [
            ("models", "t", "params", "65000000", "value", "65M", "up.md", 15, 47),
            ("models", "t", "training_flop", "7.4e+18", "value", "7,400", "up.md", 15, 92),
        ],
        [("t", "Alpha", ALL, "same model")],
    )
    assert frame["ratio"].round(4).to_list() == [0.3052, 1.0]  # 65/213, 7.4/7.4
    (f,) = crossref_findings(frame, TOL)
    assert (f.code, f.fields) == ("crossref-disagreement", ("params",))
    assert f.observed == {"params": "65000000", "reference_params": "213000000.0"}
    assert "a note that spans three lines" in f.message and "'65M'" in f.message


def _params_findings(printed, number, tolerances):
    rows = [("models", "t", "params", str(number), "value", printed, "up.md", 1, 1)]
    return crossref_findings(_crossref(rows, [("t", "Alpha", ALL, "the same model")]), tolerances)


def test_params_band_is_relative_tolerance_plus_our_printed_rounding():
    # Reference 213M. "185M" is +-0.5M: |185 - 213| = 28M > 0.5M + 10% x 213M = 21.8M.
    assert len(_params_findings("185M", 185_000_000, TOL)) == 1
    # With no relative tolerance, rounding alone: "205M" (+-0.5M) is 8M off -> finding;
    # "210M" is read as +-5M (trailing zero not significant): 3M off -> agrees.
    exact = TOL | {"params_relative": 0.0}
    assert len(_params_findings("205M", 205_000_000, exact)) == 1
    assert _params_findings("210M", 210_000_000, exact) == []


def test_a_reference_value_where_ours_is_blank_is_info():
    frame = _crossref(
        [("models", "b", "training_flop", None, "unknown", "", "up.md", 19, 91)],
        [("b", "Alpha", ALL, "same model")],
    )
    (f,) = crossref_findings(frame, TOL)
    assert (f.code, f.severity) == ("crossref-reference-only", "info")


def test_a_field_limited_match_compares_only_that_field():
    frame = _crossref(
        [
            ("models", "g", "published", "2017-06-12", "value", "06/12/2017", "up.md", 1, 1),
            ("models", "g", "params", "600000000000", "value", "600,000M", "up.md", 1, 2),
        ],
        [("g", "Alpha", ["published"], "same paper, other variant")],
    )
    assert frame["field"].to_list() == ["published"]


def test_markdown_escapes_pipes_and_html_in_data():
    frame = _crossref(
        [("models", "<b>x|y</b>", "params", "213000000", "value", "213M", "up.md", 1, 1)],
        [("<b>x|y</b>", "Alpha", ALL, "hostile name")],
    )
    text = crossref_markdown(frame, crossref_findings(frame, TOL))
    row = next(line for line in text.splitlines() if "x\\|y" in line)
    assert "&lt;b&gt;x\\|y&lt;/b&gt;" in row and "<b>" not in text
    assert row.endswith("| 1 | agrees |")


def test_suggestions_rank_shared_name_tokens_and_are_only_suggestions():
    reference = pl.DataFrame({"model": ["GPT-2 (1.5B)", "GPT-3 175B (davinci)", "BERT-Large"]})
    out = suggest_candidates({"gpt-2": "GPT-2", "bert-large": "BERT Large"}, reference)
    top = {r["model_id"]: r["candidate"] for r in out.filter(pl.col("rank") == 1).to_dicts()}
    # "gpt" and "2" are both in "GPT-2 (1.5B)"; "bert" and "large" both in "BERT-Large".
    assert top == {"gpt-2": "GPT-2 (1.5B)", "bert-large": "BERT-Large"}


def test_a_renamed_column_is_named_both_as_missing_and_as_unknown():
    # The real header with "Parameters" renamed "Parameter count".
    with pytest.raises(InputError) as err:
        load_reference(FIX / "parameters_column_renamed.csv")
    message = str(err.value)
    assert "lacks column 'Parameters' (read as params)" in message
    assert "has column 'Parameter count'" in message
    assert message.startswith(f"{FIX / 'parameters_column_renamed.csv'}:1:")


def test_a_new_column_the_mapping_does_not_know_is_refused(tmp_path):
    real = (ROOT / "raw" / "epoch" / "notable_ai_models.csv").read_text(encoding="utf-8")
    header = real.splitlines()[0]
    path = tmp_path / "new_column.csv"
    path.write_text(f"{header},Shiny new column\nAlpha{',' * 42}\n", encoding="utf-8")
    with pytest.raises(InputError, match="'Shiny new column' that the mapping neither reads"):
        load_reference(path)


def test_the_column_mapping_covers_every_column_of_the_real_snapshot():
    header = (ROOT / "raw" / "epoch" / "notable_ai_models.csv").open().readline().strip()
    mapping = load_columns()
    assert set(header.split(",")) == set(mapping.columns) | set(mapping.ignored)
    assert mapping.columns["Parameters"] == "params"


def test_a_mapping_with_an_unknown_output_fails_naming_the_file(tmp_path):
    path = tmp_path / "reference_columns.yaml"
    doc = yaml.safe_load((SCHEMA.parent / "reference_columns.yaml").read_text())
    doc["columns"][0]["output"] = "modle"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(InputError, match=f"{path}: columns/0/output"):
        load_columns(path, SCHEMA.parent / "reference_columns.schema.json")
