"""Running `memwall validate` as a contributor does: the installed console script."""

from __future__ import annotations

import contextlib
import io
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


def validate_cli(
    *args, cwd: Path = REPO, stdin: bytes | None = None, fmt: str = "json", process: bool = False
):
    """`memwall validate --today TODAY --format FMT ARGS...`, run in `cwd`.

    As the installed console script in its own process when `process` (the command's
    contract: exit status, streams, no traceback; test_validate_command.py) or when reading
    stdin; else the same entry point, `memwall.tools.cli.main`, called in this process with
    its streams captured (the fixture tests: same code, no interpreter start per fixture)."""
    argv = ["validate", "--today", TODAY, "--format", fmt, *map(str, args)]
    if stdin is not None:
        done = subprocess.run(
            [str(BIN / "memwall"), *argv], cwd=cwd, input=stdin, capture_output=True
        )
        out, err = done.stdout.decode(), done.stderr.decode()
        code = done.returncode
    elif process:
        done = run([str(BIN / "memwall"), *argv], cwd, check=False)
        out, err, code = done.stdout, done.stderr, done.returncode
    else:
        code, out, err = _in_process(argv, cwd)
    problems, summary = [], None
    if fmt == "json" and code != 2:
        doc = json.loads(out)
        problems, summary = doc["problems"], doc["summary"]
    return Result(code, out, err, problems, summary)


def _in_process(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `memwall.tools.cli.main(argv)` run from `cwd`."""
    from memwall.tools import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse's own usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def located(problems: list[dict], severity: str) -> list[tuple[int, int, str]]:
    """(line, column, code) of the problems of one severity, sorted."""
    return sorted(
        (p["line"], p["column"], p["code"]) for p in problems if p["severity"] == severity
    )
