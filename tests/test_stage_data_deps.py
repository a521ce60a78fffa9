"""dvc.yaml's deps cover every file each stage reads, as traced during the shared build: a
stage that reads a file DVC does not know of would not re-run when that file changes. A
stage's code is covered by its manifest interim/code/<stage>.sha256 (the files listed in it)."""

from __future__ import annotations

import re

import pytest
import yaml

from stagereads import PTRACE_FORBIDDEN, stage_reads

# Not the stage's input: the environment and the repositories' own bookkeeping.
NOT_DATA = (".venv/", ".git/", ".dvc/")
CODE_FILES = ("pipeline/run-stage",)  # the stage command itself
INSTALLED = (".egg-info/", ".dist-info/")  # package metadata importlib reads, not data
_PYC = re.compile(r"^(.*)/__pycache__/(\w+)\.[\w-]+\.pyc$")


def source_of(path: str) -> str:
    """The module a cached bytecode file was compiled from (a/__pycache__/b.cpython-311.pyc
    -> a/b.py): reading it is reading that module; any other path is itself."""
    match = _PYC.match(path)
    return f"{match.group(1)}/{match.group(2)}.py" if match else path


def _paths(entries: list) -> list[str]:
    """Paths of a dvc.yaml deps/outs/metrics/plots list (entries are strings or one-key maps)."""
    return [str(next(iter(e))) if isinstance(e, dict) else str(e) for e in entries or []]


def _covered(path: str, entries: list[str]) -> bool:
    return any(path == e or path.startswith(e.rstrip("/") + "/") for e in entries)


def undeclared_reads(
    reads: dict[str, set[str]], dvc_yaml: dict, manifests: dict[str, str] | None = None
) -> list[str]:
    """'stage: path' for every file a stage read that is none of its deps or outputs, nor a
    file listed in a code manifest it depends on (`manifests`: dep path -> its text)."""
    missing = []
    for stage, files in sorted(reads.items()):
        spec = dvc_yaml["stages"][stage]
        deps = _paths(spec.get("deps"))
        declared = deps + [p for key in ("outs", "metrics", "plots") for p in _paths(spec.get(key))]
        declared += [
            line.split("  ", 1)[1]
            for dep in deps
            for line in (manifests or {}).get(dep, "").splitlines()
        ]
        for path in sorted(files):
            path = source_of(path)
            if path.startswith(NOT_DATA) or path in CODE_FILES:
                continue
            if any(part in path for part in INSTALLED):
                continue
            if path == "params.yaml" and spec.get("params"):
                continue
            if not _covered(path, declared):
                missing.append(f"{stage}: {path}")
    return missing


@pytest.mark.slow
def test_every_file_a_stage_reads_is_declared_in_its_deps(build_trace):
    repo, log = build_trace
    if isinstance(log, str):
        if log.startswith(PTRACE_FORBIDDEN):
            pytest.skip(log)
        pytest.fail(log, pytrace=False)
    dvc_yaml = yaml.safe_load((repo / "dvc.yaml").read_text(encoding="utf-8"))
    reads = stage_reads(log, repo)
    assert set(reads) == set(dvc_yaml["stages"]), "every stage ran under the trace"
    assert "interim/cells.parquet" in reads["normalize"], "reads in polars' Rust are seen"
    assert "pipeline/memwall/normalize.py" in {source_of(p) for p in reads["normalize"]}, (
        "the stage's code is seen, as source or bytecode"
    )
    manifests = {
        f"interim/code/{m.name}": m.read_text(encoding="utf-8")
        for m in (repo / "interim/code").glob("*.sha256")
    }
    assert undeclared_reads(reads, dvc_yaml, manifests) == []


def test_a_read_by_a_stage_thread_is_charged_to_the_stage_and_failed_opens_are_not(tmp_path):
    log = tmp_path / "repro.strace"
    log.write_text(
        '100 execve("/bin/sh", ["sh", "pipeline/run-stage", "gate"], 0x1) = 0\n'
        '100 execve("/venv/bin/python", ["python", "-m", "memwall.stages.gate"], 0x2) = 0\n'
        "100 clone3({flags=CLONE_VM|CLONE_THREAD, ...}, 88 <unfinished ...>\n"
        "100 <... clone3 resumed>) = 101\n"
        '101 openat(AT_FDCWD, "interim/rows.parquet", O_RDONLY|O_CLOEXEC <unfinished ...>\n'
        "101 <... openat resumed>) = 7\n"
        '100 openat(AT_FDCWD, "raw/missing.md", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file)\n'
        '100 openat(AT_FDCWD, "processed/out.json", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 8\n'
        f'100 openat(AT_FDCWD, "{tmp_path}/raw/a.md", O_RDONLY|O_CLOEXEC) = 9\n'
        '100 openat(AT_FDCWD, "pipeline/memwall/rules.py", O_RDONLY|O_CLOEXEC) = 10\n'
        '100 openat(AT_FDCWD, "pipeline/memwall/other.py", O_RDONLY|O_CLOEXEC) = 11\n'
        '100 openat(AT_FDCWD, "pipeline/memwall/__pycache__/rules.cpython-311.pyc", '
        "O_RDONLY) = 12\n"
        '100 openat(AT_FDCWD, "pipeline/memwall/__pycache__/units.cpython-311.pyc", '
        "O_RDONLY) = 13\n"
        '200 openat(AT_FDCWD, "raw/b.md", O_RDONLY) = 3\n'
    )
    reads = stage_reads(log, tmp_path)
    assert reads == {
        "gate": {
            "interim/rows.parquet",
            "raw/a.md",
            "pipeline/memwall/rules.py",
            "pipeline/memwall/other.py",
            "pipeline/memwall/__pycache__/rules.cpython-311.pyc",
            "pipeline/memwall/__pycache__/units.cpython-311.pyc",
        }
    }
    dvc_yaml = {
        "stages": {
            "gate": {"deps": ["interim/code/gate.sha256", "raw"], "outs": ["processed/out.json"]}
        }
    }
    manifests = {"interim/code/gate.sha256": f"{'0' * 64}  pipeline/memwall/rules.py\n"}
    assert undeclared_reads(reads, dvc_yaml, manifests) == [
        "gate: interim/rows.parquet",
        "gate: pipeline/memwall/units.py",
        "gate: pipeline/memwall/other.py",
    ]
