"""Running `memwall validate` as a contributor does: the installed console script."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from support import BIN, FIXTURES, REPO, run

CONTRIB = FIXTURES / "contrib"
TODAY = "2026-11-24"


@dataclass
class Result:
    """Exit code, raw streams, and the parsed `--format json` document."""

    returncode: int
    stdout: str
    stderr: str
    problems: list[dict]
    summary: dict | None


def validate_cli(*args, cwd: Path = REPO, stdin: bytes | None = None, fmt: str = "json"):
    """`memwall validate --today TODAY --format FMT ARGS...`, run in `cwd`."""
    cmd = [str(BIN / "memwall"), "validate", "--today", TODAY, "--format", fmt, *map(str, args)]
    if stdin is not None:
        done = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True)
        out, err = done.stdout.decode(), done.stderr.decode()
        code = done.returncode
    else:
        done = run(cmd, cwd, check=False)
        out, err, code = done.stdout, done.stderr, done.returncode
    problems, summary = [], None
    if fmt == "json" and code != 2:
        doc = json.loads(out)
        problems, summary = doc["problems"], doc["summary"]
    return Result(code, out, err, problems, summary)


def located(problems: list[dict], severity: str) -> list[tuple[int, int, str]]:
    """(line, column, code) of the problems of one severity, sorted."""
    return sorted(
        (p["line"], p["column"], p["code"]) for p in problems if p["severity"] == severity
    )
