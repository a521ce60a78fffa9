"""History-aware checks on the real 26 versions, and their thresholds on small frames."""

from __future__ import annotations

import polars as pl

from memwall import codes
from memwall.conventions import Convention
from memwall.history_checks import (
    flip_flop_check,
    history_findings,
    old_version_only_check,
    published_differences,
    row_shift_check,
    unit_shift_check,
)


def test_unit_shift_finds_only_the_version_7_nlp_doubling_explained_by_the_registry(
    built, conventions
):
    history, _, _ = built
    found = unit_shift_check(history, conventions)
    assert found.select("table", "field", "previous_version", "version").rows() == [
        ("nlp-models", "inference_flop", 6, 7)
    ]
    row = found.row(0, named=True)
    # 7 models printed a number in versions 6 and 7 (ELMO blank, RecSys estimates)
    assert (row["models"], row["compared"]) == (7, 7)
    assert abs(row["factor"] - 2.0) < 1e-9
    assert row["explained_by"] == "nlp-inference-macs-before-v7"
    assert row["code"] == "history-unit-shift" and "explained by" in row["message"]


def test_unit_shift_without_a_registry_entry_says_nothing_explains_it(built):
    history, _, _ = built
    row = unit_shift_check(history, []).row(0, named=True)
    assert row["explained_by"] == "" and "no convention explains it" in row["message"]


def test_unit_shift_thresholds_are_arguments(built, conventions):
    history, _, _ = built
    assert unit_shift_check(history, conventions, min_models=8).is_empty()
    # a tolerance below Megatron's rounding (18,000 / 17,600 = 2.3%) leaves 6 of 7
    tight = unit_shift_check(history, conventions, rel_tol=0.01)
    assert tight["models"].to_list() == [6]


def test_a_convention_of_another_factor_does_not_explain_the_shift(built):
    history, _, _ = built
    wrong = Convention("x", "nlp-models", "inference_flop", 1, 6, ("value",), 10.0, "", "", {})
    assert unit_shift_check(history, [wrong])["explained_by"].to_list() == [""]


def test_row_shift_finds_inceptionv3s_82m_moved_to_inceptionv4(built):
    history, _, _ = built
    found = row_shift_check(history)
    assert found.select(
        "table", "field", "from_model", "to_model", "previous_version", "version"
    ).rows() == [("cv-models", "params", "inceptionv3", "inceptionv4", 13, 14)]
    row = found.row(0, named=True)
    # version 13 line 30 "InceptionV3 ... 82M"; version 14 line 32 "InceptionV4 ... 82M"
    assert (row["previous_line"], row["line"], row["raw"], row["from_new_raw"]) == (
        30,
        32,
        "82M",
        "24M",
    )


def test_flip_flop_finds_alexnets_memory_0_23_0_24_0_23(built):
    history, _, _ = built
    found = flip_flop_check(history)
    alexnet = found.filter(pl.col("model_id") == "alexnet")
    assert alexnet.select("field", "raw_a", "raw_b", "raw_c").rows() == [
        ("optimizer_memory_bytes", "0.23 GB", "0.24 GB", "0.23 GB"),
        ("params_memory_bytes", "0.23 GB", "0.24 GB", "0.23 GB"),
        ("total_memory_bytes", "1.71 GB", "1.73 GB", "1.71 GB"),
    ]
    assert set(alexnet["version_a"]) == {10} and set(alexnet["version_b"]) == {13}
    assert set(alexnet["version_c"]) == {14}


def test_old_version_only_names_the_cv_rows_upstream_dropped(built):
    history, _, tables = built
    found = old_version_only_check(history, tables)
    assert set(found["table"]) == {"cv-models"}
    dropped = {"resnet50", "densenet264", "resnext152-64x4d", "senet154-vd"}
    dropped |= {"fix-resnext101-32x48d-wsl"}  # ResNeXt101(32x8d)/(32x4d) are renames
    assert set(found["model_id"]) == dropped | {"resnet152"}
    assert found.filter(pl.col("model_id") == "resnet152")["field"].to_list() == ["top1_accuracy"]
    assert set(found["newest_version"]) == {26}
    assert codes.get("history-old-version-only").severity == codes.INFO


def test_published_differences_against_versions_11_and_26(built):
    history, _, _ = built
    diff = published_differences(history, [11, 26])
    # none: the two names upstream gave the ResNeXt101 row before settling on 64x4d (v18)
    # were the only difference, and the corrections registry reads them as renames
    assert diff.is_empty()


def test_findings_are_sorted_and_deterministic(built, conventions):
    history, _, tables = built
    shuffled = history.sample(fraction=1.0, shuffle=True, seed=7)
    for check in (row_shift_check, flip_flop_check):
        assert check(shuffled).equals(check(history))
    assert old_version_only_check(shuffled, tables).equals(old_version_only_check(history, tables))
    assert unit_shift_check(shuffled, conventions).equals(unit_shift_check(history, conventions))


def test_all_history_findings_in_one_frame_name_versions_and_lines(built, conventions):
    history, _, tables = built
    found = history_findings(history, tables, conventions)
    counts = dict(found.group_by("code").len().iter_rows())
    assert counts["history-unit-shift"] == 1 and counts["history-row-shift"] == 1
    shift = found.filter(pl.col("code") == "history-row-shift").row(0, named=True)
    assert shift["sources"] == "upstream-v13:30,upstream-v14:32"
    assert found["severity"].to_list()[0] == "warning"  # warnings before info
