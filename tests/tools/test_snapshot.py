"""The snapshot tool adds raw files with their origin: values in sources.yaml are computed
from the file and the upstream index, the same command gives the same bytes, and raw files
are never silently replaced or written outside raw/."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from memwall.tools.snapshot import main

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests/fixtures/snapshot"
V11 = "11_20210322T050806Z_faaa886.md"
V26 = "26_20240323T042938Z_a1f1d67.md"


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A repo root holding the hand-typed sources.yaml and the two upstream snapshots, and
    beside it an `upstream/` directory with the index and the versions to add."""
    root = tmp_path / "repo"
    others = [p.name for p in (REPO / "raw/upstream").glob("*.md") if p.name not in (V11, V26)]
    shutil.copytree(REPO / "raw/upstream", root / "raw/upstream", ignore=lambda *_: others)
    shutil.copy(FIXTURES / "sources_typed_by_hand.yaml", root / "raw/sources.yaml")
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    shutil.copy(FIXTURES / "upstream_index_11_12_26.csv", upstream / "index.csv")
    for name in (V11, V26):
        shutil.copy(REPO / "raw/upstream" / name, upstream / name)
    # Stand-in bytes for version 12 (only its place in the list is tested).
    (upstream / "12_20210326T144124Z_7370773.md").write_text("version 12\n")
    return root


def snapshot(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def upstream(root: Path, *seqs: int) -> int:
    index = root.parent / "upstream/index.csv"
    return snapshot(root, "upstream", "--index", str(index), *(f"--seq={s}" for s in seqs))


def catalog(root: Path) -> dict:
    return yaml.safe_load((root / "raw/sources.yaml").read_text())


def test_regenerating_the_typed_entries_changes_no_typed_value(checkout):
    typed = catalog(checkout)
    assert upstream(checkout, 11, 26) == 0
    written = catalog(checkout)
    assert written["licence"] == typed["licence"] and written["citation"] == typed["citation"]
    assert [s["id"] for s in written["sources"]] == ["upstream-v11", "upstream-v26"]
    for before, after in zip(typed["sources"], written["sources"], strict=True):
        assert {k: after[k] for k in before} == before
        assert after["licence"] == {"id": "MIT", "file": "raw/upstream/LICENSE.upstream"}
        assert "arXiv:2403.14123" in after["citation"] and after["retrieved"]


def test_the_same_command_writes_the_same_bytes(checkout):
    upstream(checkout, 11, 26)
    first = (checkout / "raw/sources.yaml").read_bytes()
    upstream(checkout, 26, 11)
    assert (checkout / "raw/sources.yaml").read_bytes() == first


def test_the_repository_sources_yaml_is_the_tools_output(checkout):
    shutil.copy(REPO / "raw/sources.yaml", checkout / "raw/sources.yaml")
    upstream(checkout, 11, 26)
    assert (checkout / "raw/sources.yaml").read_bytes() == (REPO / "raw/sources.yaml").read_bytes()


def test_a_new_version_goes_between_older_and_newer_ones_with_its_origin(checkout):
    assert upstream(checkout, 12) == 0
    written = catalog(checkout)
    assert [s["id"] for s in written["sources"]] == ["upstream-v11", "upstream-v12", "upstream-v26"]
    v12 = written["sources"][1]
    commit = "73707737d5c42a88c505f334558693f6dde2f188"  # from the index, by hand
    assert (v12["commit"], v12["committed"]) == (commit, "2021-03-26T14:41:24Z")
    assert (
        v12["url"] == f"https://github.com/amirgholami/ai_and_memory_wall/blob/{commit}/README.md"
    )
    assert v12["sha256"] == hashlib.sha256(b"version 12\n").hexdigest()
    assert (
        checkout / "raw/upstream/12_20210326T144124Z_7370773.md"
    ).read_bytes() == b"version 12\n"


def test_a_raw_file_with_other_bytes_is_refused_unless_forced(checkout, capsys):
    (checkout.parent / "upstream" / V26).write_bytes(b"edited\n")
    before = (checkout / "raw/sources.yaml").read_bytes()
    assert upstream(checkout, 26) == 2
    assert "already holds different bytes" in capsys.readouterr().err
    assert (checkout / "raw/sources.yaml").read_bytes() == before
    assert (checkout / "raw/upstream" / V26).read_bytes() == (
        REPO / "raw/upstream" / V26
    ).read_bytes()
    assert (
        snapshot(
            checkout,
            "--force",
            "upstream",
            "--index",
            str(checkout.parent / "upstream/index.csv"),
            "--seq=26",
        )
        == 0
    )
    [v26] = [s for s in catalog(checkout)["sources"] if s["id"] == "upstream-v26"]
    assert v26["sha256"] == hashlib.sha256(b"edited\n").hexdigest()


EPOCH = [
    "--id=epoch-ml-hardware",
    "--kind=reference",
    "--repository=https://github.com/sr3-k/data",
    "--repo-path=ml_hardware.csv",
    "--commit=d62de22b9128a2598b039c06346e350f918b3810",
    "--committed=2025-12-14",
    "--licence-id=CC-BY-4.0",
    "--citation=Epoch AI, 'Data on Machine Learning Hardware' (2024)",
    "--retrieved=ml_hardware.csv at the commit, byte for byte",
]


@pytest.mark.parametrize(
    "dest",
    [
        "../ml_hardware.csv",
        "raw/../ml_hardware.csv",
        "/tmp/ml_hardware.csv",
        "data/x.csv",
        "raw/epoch/ml hardware.csv",
        "raw/epoch/.hidden.csv",
        "raw/epoch/x;rm.csv",
        "raw/-x.csv",
    ],
)
def test_unsafe_destinations_are_refused_and_nothing_is_written(checkout, dest, capsys):
    before = (checkout / "raw/sources.yaml").read_bytes()
    assert snapshot(checkout, "add", str(FIXTURES / "epoch_like.csv"), dest, *EPOCH) == 2
    assert "snapshot: error: " in capsys.readouterr().err
    assert (checkout / "raw/sources.yaml").read_bytes() == before
    assert (
        not (checkout / "raw/epoch").exists() and not (checkout.parent / "ml_hardware.csv").exists()
    )


def test_an_epoch_file_is_added_with_its_origin_after_the_upstream_versions(checkout):
    dest = "raw/epoch/ml_hardware.csv"
    assert snapshot(checkout, "add", str(FIXTURES / "epoch_like.csv"), dest, *EPOCH) == 0
    added = catalog(checkout)["sources"][-1]
    data = (FIXTURES / "epoch_like.csv").read_bytes()
    assert (checkout / dest).read_bytes() == data
    assert added == {
        "id": "epoch-ml-hardware",
        "path": dest,
        "kind": "reference",
        "repository": "https://github.com/sr3-k/data",
        "commit": "d62de22b9128a2598b039c06346e350f918b3810",
        "committed": "2025-12-14",
        "url": "https://github.com/sr3-k/data/blob/d62de22b9128a2598b039c06346e350f918b3810/ml_hardware.csv",
        "licence": {"id": "CC-BY-4.0"},
        "citation": "Epoch AI, 'Data on Machine Learning Hardware' (2024)",
        "sha256": hashlib.sha256(data).hexdigest(),
        "retrieved": "ml_hardware.csv at the commit, byte for byte",
    }


def test_an_origin_the_schema_refuses_writes_nothing(checkout, capsys):
    bad = [a if not a.startswith("--commit=") else "--commit=d62de22" for a in EPOCH]
    assert snapshot(checkout, "add", str(FIXTURES / "epoch_like.csv"), "raw/epoch/x.csv", *bad) == 2
    assert "commit" in capsys.readouterr().err
    assert not (checkout / "raw/epoch").exists()


def test_the_tool_runs_as_a_module():
    done = subprocess.run(
        [sys.executable, "-m", "memwall.tools.snapshot", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0 and "upstream" in done.stdout


def test_a_symlink_out_of_raw_is_refused(checkout, capsys):
    outside = checkout.parent / "outside"
    outside.mkdir()
    (checkout / "raw/link").symlink_to(outside)
    dest = "raw/link/ml_hardware.csv"
    assert snapshot(checkout, "add", str(FIXTURES / "epoch_like.csv"), dest, *EPOCH) == 2
    assert "outside raw/" in capsys.readouterr().err
    assert list(outside.iterdir()) == []
