"""Which files each DVC stage read during a build: parsed from an strace log of `dvc repro`.

The build in tests/conftest.py runs under `strace -f` (file opens, process and thread
creation, program starts). Every thread or process descends from the one that started
`python -m memwall.stages.<name>` (the command `sh pipeline/run-stage <name>` execs), so
each successful read-only open is charged to the stage that caused it, whatever reads it:
Python, or polars and pyarrow in Rust and C++, which no Python audit hook would see.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

STRACE = shutil.which("strace")
MISSING_STRACE = (
    "strace is not installed: the data-deps test traces the build's file reads with it. "
    "Install it (Debian: apt-get install strace; .ci/run does so)."
)
TRACE_ARGS = [
    "-f",
    "-qq",
    "--seccomp-bpf",
    "-e",
    "trace=openat,execve,clone,clone3,fork,vfork",
    "-e",
    "signal=none",
]


def untraceable() -> str:
    """Why strace cannot trace a build here ("" when it can): not installed (a failure: CI
    installs it), or the container forbids ptrace (said, and the test skips with that)."""
    if STRACE is None:
        return MISSING_STRACE
    probe = subprocess.run(
        [STRACE, *TRACE_ARGS, "-o", "/dev/null", "true"], capture_output=True, text=True
    )
    if probe.returncode != 0:
        return f"{PTRACE_FORBIDDEN}: {probe.stderr.strip()[:200]}"
    return ""


PTRACE_FORBIDDEN = "strace cannot trace processes in this container (ptrace not permitted)"
_LINE = re.compile(r"^(\d+) +(.*)$")
_CALL = re.compile(r"^(\w+)\((.*)$")
_RESUMED = re.compile(r"^<\.\.\. (\w+) resumed>(.*)$")
_RESULT = re.compile(r"\) += (-?\d+)")
_STAGE = re.compile(r'"memwall\.stages\.(\w+)"')
_OPEN = re.compile(r'^AT_FDCWD, "((?:[^"\\]|\\.)*)", ([A-Z_|]+)')


def stage_reads(log: Path, repo: Path) -> dict[str, set[str]]:
    """Stage name -> the repo-relative paths of the files its processes opened for reading
    (successfully, not as directories), from an strace log written with `TRACE_ARGS`."""
    parent: dict[int, int] = {}
    stage_of: dict[int, str] = {}
    pending: dict[int, tuple[str, str]] = {}
    opened: list[tuple[int, str]] = []
    for raw in log.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _LINE.match(raw)
        if not match:
            continue
        tid, rest = int(match.group(1)), match.group(2)
        resumed = _RESUMED.match(rest)
        if resumed:
            if tid not in pending:
                continue
            name, args = pending.pop(tid)
            args += resumed.group(2)
        else:
            call = _CALL.match(rest)
            if not call:
                continue
            name, args = call.group(1), call.group(2)
            if args.endswith("<unfinished ...>"):
                pending[tid] = (name, args.removesuffix("<unfinished ...>"))
                continue
        result = _RESULT.search(args)
        if result is None or int(result.group(1)) < 0:
            continue
        if name in ("clone", "clone3", "fork", "vfork"):
            parent[int(result.group(1))] = tid
        elif name == "execve" and (stage := _STAGE.search(args)):
            stage_of[tid] = stage.group(1)
        elif name == "openat" and (target := _OPEN.match(args)):
            flags = target.group(2)
            if "O_DIRECTORY" not in flags and "O_WRONLY" not in flags and "O_CREAT" not in flags:
                opened.append((tid, target.group(1)))
    root = repo.resolve()
    reads: dict[str, set[str]] = {}
    for tid, name in opened:
        stage = _stage_of(tid, parent, stage_of)
        if stage is None:
            continue
        path = Path(name) if name.startswith("/") else root / name
        try:
            relative = path.relative_to(root).as_posix()
        except ValueError:
            continue
        reads.setdefault(stage, set()).add(relative)
    return reads


def _stage_of(tid: int, parent: dict[int, int], stage_of: dict[int, str]) -> str | None:
    seen = set()
    while tid not in stage_of and tid in parent and tid not in seen:
        seen.add(tid)
        tid = parent[tid]
    return stage_of.get(tid)
