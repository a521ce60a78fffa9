"""The `history` stage on the shared built repository: what `dvc repro` publishes.

Expected values are counted from the raw snapshots by plain scans, not by the parser.
"""

from __future__ import annotations

import json

import polars as pl
from historyrows import ROOT
from test_rows_accounted import data_rows_by_plain_scan

from memwall.history_parse import load_versions
from support import BIN, run

VERSIONS = load_versions(ROOT / "raw" / "upstream" / "index.csv", "raw/upstream")


def _history(built_repo) -> pl.DataFrame:
    return pl.read_parquet(built_repo / "processed" / "history.parquet")


def test_every_data_row_of_every_version_is_in_the_built_history_or_its_rejects(built_repo):
    history = _history(built_repo).filter(pl.col("change") != "removed")
    rejects = pl.read_parquet(built_repo / "interim" / "history_rejects.parquet")
    total = 0
    for version in VERSIONS:
        expected = data_rows_by_plain_scan((ROOT / version.path).read_text(encoding="utf-8"))
        total += len(expected)
        stated = set(history.filter(pl.col("version") == version.number)["line"].to_list())
        rejected = set(rejects.filter(pl.col("version") == version.number)["line"].to_list())
        assert not expected - stated - rejected, (version.number, sorted(expected - stated))
        assert stated <= expected, (version.number, sorted(stated - expected))
    assert total == 675  # counted by hand from the diffs (see test_rows_accounted)


def test_history_rows_exist_for_all_26_versions_with_their_commit(built_repo):
    history = _history(built_repo)
    by_version = dict(history.select("version", "commit").unique().iter_rows())
    assert by_version == {v.number: v.commit for v in VERSIONS}
    assert sorted(by_version) == list(range(1, 27))


def _token_cell_by_plain_scan(text: str) -> str | None:
    """The third cell of GPT-2's row in the NLP table (Date | Model | tokens | ...)."""
    for line in text.split("\n"):
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 4 and cells[2] == "GPT-2" and "/" in cells[1]:
            return cells[3]
    return None


def test_gpt2_token_size_history_matches_the_raw_text(built_repo):
    tokens = _history(built_repo).filter(
        (pl.col("model_id") == "gpt-2")
        & (pl.col("table") == "nlp-models")
        & (pl.col("field") == "input_tokens")
    )
    got = {r["version"]: (r["raw"], r["change"]) for r in tokens.iter_rows(named=True)}
    expected: dict[int, tuple[str, str]] = {}
    previous = None
    for v in VERSIONS:
        raw = _token_cell_by_plain_scan((ROOT / v.path).read_text(encoding="utf-8"))
        if raw:  # a blank states nothing
            expected[v.number] = (raw, "added" if previous is None else "same")
            previous = raw
    assert got == expected
    assert min(got) == 6 and got[6] == ("1024", "added")  # blank in versions 1-5


def test_the_version_7_unit_shift_is_found_and_explained(built_repo):
    area = json.loads((built_repo / "interim" / "history_findings.json").read_text())
    shifts = [f for f in area["findings"] if f["code"] == "history-unit-shift"]
    assert len(shifts) == 1
    (shift,) = shifts
    assert shift["fields"] == ["inference_flop"]
    # the NLP table's header row in versions 6 and 7
    assert [w.rsplit(":", 2)[0] for w in shift["sources"]] == [VERSIONS[5].path, VERSIONS[6].path]
    for where in shift["sources"]:
        path, line, _ = where.rsplit(":", 2)
        header = (ROOT / path).read_text(encoding="utf-8").split("\n")[int(line) - 1]
        assert "Token Size" in header and "GFLOPs" in header
    assert "explained by unit convention nlp-inference-macs-before-v7" in shift["message"]
    published = json.loads((built_repo / "reports" / "findings.json").read_text())
    assert any(f["code"] == "history-unit-shift" for f in published["findings"])
    # the converted cells carry the convention: GPT-2 printed 1,700 (GMACs) in version 6
    gpt2 = _history(built_repo).filter(
        (pl.col("model_id") == "gpt-2") & (pl.col("field") == "inference_flop")
    )
    v6 = gpt2.filter(pl.col("version") == 6).row(0, named=True)
    assert (v6["raw"], v6["value"], v6["conventions"]) == (
        "1,700",
        3.4e12,
        "nlp-inference-macs-before-v7",
    )
    assert gpt2.filter(pl.col("version") == 7)["change"].item() == "same"


def test_renamed_resnext_rows_are_no_models_of_their_own(built_repo):
    models = pl.read_parquet(built_repo / "processed" / "models.parquet")
    ids = set(models["model_id"])
    assert "resnext101-64x4d" in ids
    assert not ids & {"resnext101-32x8d", "resnext101-32x4d"}
    params = _history(built_repo).filter(
        (pl.col("model_id") == "resnext101-64x4d")
        & (pl.col("table") == "cv-models")
        & (pl.col("field") == "params")
    )
    # 78M under the names 32x8d (v13) and 32x4d (v14-17), 83M from version 18
    assert params.select("version", "raw", "change").rows()[:2] == [
        (13, "78M", "added"),
        (14, "78M", "same"),
    ]
    assert params.filter(pl.col("version") == 18).select("raw", "change").row(0) == (
        "83M",
        "changed",
    )


def test_history_is_in_lineage_and_metadata(built_repo):
    processed = built_repo / "processed"
    lineage = (processed / "lineage.json").read_text()
    for fmt in ("parquet", "json", "csv"):
        assert f"history.{fmt}" in lineage
    package = json.loads((processed / "datapackage.json").read_text())
    assert "history" in [r["name"] for r in package["resources"]]
    croissant = (processed / "croissant.json").read_text()
    assert "history.parquet" in croissant


def test_cli_history_prints_a_timeline(built_repo):
    done = run([str(BIN / "memwall"), "history", "GPT-2", "input_tokens"], built_repo)
    lines = done.stdout.splitlines()
    nlp = [ln for ln in lines if "nlp-models.input_tokens" in ln]
    assert len(nlp) == 1
    assert nlp[0].startswith("v6-v26") and "b557163" in nlp[0] and "'1024'" in nlp[0]
    assert "@line 10:" in nlp[0]  # line of GPT-2's row in version 6
    missing = run([str(BIN / "memwall"), "history", "no-such-model"], built_repo, check=False)
    assert missing.returncode == 2 and "no model" in missing.stderr


def test_load_history_reads_the_published_table(built_repo, monkeypatch):
    import memwall

    monkeypatch.chdir(built_repo)
    assert memwall.load("history").equals(_history(built_repo))
