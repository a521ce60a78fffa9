"""A newcomer's path: clone the repository, then run README.md's and CONTRIBUTING.md's
commands and snippets in order, as pasted (issue 17).

`sh` blocks run in bash after `source .venv/bin/activate` (the one way the README gives);
`python` blocks run in the clone's environment, each top-level expression followed by a
one-line `# result` comment checked against its repr (or what it prints); a command followed
by an unlabeled block has that block as its expected output. The README's opening
`make repro` / `make test` are the only commands not run as written: the build is taken from
the session's `built_repo` through the default remote the test fills (the README's `dvc pull`
route), and `make test` would run this test again. A block preceded by
`<!-- readme-test: skip (...) -->` says why it is not run (an S3 bucket, your own file).
Loading `v0.1.0` really rebuilds the recorded commit and verifies it against its dvc.lock.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import BIN, REPO, run

pytestmark = [pytest.mark.slow, pytest.mark.rebuilds]

FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)
SKIP = "<!-- readme-test: skip"

RUNNER = r"""
import ast, contextlib, io, json, sys
src = open(sys.argv[1], encoding="utf-8").read()
ns = {"__name__": "__main__"}
out = {}
for node in ast.parse(src).body:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        if isinstance(node, ast.Expr):
            value = eval(compile(ast.Expression(node.value), "<readme>", "eval"), ns)
        else:
            exec(compile(ast.Module([node], []), "<readme>", "exec"), ns)
            value = None
    out[node.end_lineno] = buf.getvalue().rstrip("\n") if value is None else repr(value)
print(json.dumps(out))
"""


def blocks(path: Path) -> list[tuple[str, str, str | None]]:
    """(language, code, expected output) of each runnable block, in order."""
    text = path.read_text(encoding="utf-8")
    found = list(FENCE.finditer(text))
    out = []
    for i, m in enumerate(found):
        lang, code = m.group(1), m.group(2)
        if lang not in ("sh", "python"):
            continue
        before = text[: m.start()].rstrip().splitlines()[-1:] or [""]
        if before[0].startswith(SKIP):
            continue
        expected = None
        nxt = found[i + 1] if i + 1 < len(found) else None
        if lang == "sh" and nxt and nxt.group(1) == "":
            between = text[m.end() : nxt.start()]
            if between.count("\n") <= 4:
                expected = nxt.group(2)
        out.append((lang, code, expected))
    return out


def expectations(code: str) -> dict[int, str]:
    """Line number of an expression -> its one-line `# result` comment."""
    lines = code.splitlines()
    found = {}
    for n, line in enumerate(lines, 1):
        if n < len(lines) and lines[n].startswith("# ") and not line.startswith("#"):
            after = lines[n + 1] if n + 1 < len(lines) else ""
            if not after.startswith("#"):
                found[n] = lines[n][2:]
    return found


@pytest.fixture
def clone(built_repo, tmp_path) -> Path:
    """A git clone of this repository (full history), its default remote filled with the
    session's build, and this run's environment as its .venv."""
    dest = tmp_path / "memwall"
    run(["git", "clone", "-q", str(REPO), str(dest)], tmp_path)
    (dest / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    remote = tmp_path / "memwall-dvc-remote"  # the README's default remote, beside the clone
    shutil.copytree(built_repo / ".dvc" / "cache" / "files", remote / "files")
    return dest


def test_readme_and_contributing_as_pasted(clone, tmp_path):
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(clone / "pipeline"),
        "DVC_NO_ANALYTICS": "1",
    }
    script = tmp_path / "runner.py"
    script.write_text(RUNNER, encoding="utf-8")
    done = []
    for doc in ("README.md", "CONTRIBUTING.md"):
        for n, (lang, code, expected) in enumerate(blocks(clone / doc)):
            where = f"{doc} block {n}:\n{code}"
            if lang == "sh" and code.startswith("make repro"):
                code = "dvc pull\n"  # the README's no-build route (see the module docstring)
            if lang == "sh":
                cmd = ["bash", "-e", "-c", f"source .venv/bin/activate\n{code}"]
                result = subprocess.run(cmd, cwd=clone, env=env, capture_output=True, text=True)
                if expected is not None:
                    assert result.stdout == expected, where + result.stderr
                    assert result.returncode in (0, 1), where + result.stderr
                else:
                    assert result.returncode == 0, where + result.stdout + result.stderr
            else:
                block = tmp_path / f"block{len(done)}.py"
                block.write_text(code, encoding="utf-8")
                result = subprocess.run(
                    [str(clone / ".venv/bin/python"), str(script), str(block)],
                    cwd=clone,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                assert result.returncode == 0, where + result.stderr
                values = json.loads(result.stdout.splitlines()[-1])
                for line, want in expectations(code).items():
                    assert values[str(line)] == want, f"{where}\nline {line}"
            done.append((doc, lang))
    assert ("CONTRIBUTING.md", "sh") in done and sum(lang == "python" for _, lang in done) >= 4
