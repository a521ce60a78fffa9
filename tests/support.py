"""Shared test helpers: paths of this checkout, running commands, copying the repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BIN = Path(sys.executable).parent


def run(cmd: list[str], cwd: Path, check: bool = True, **kw) -> subprocess.CompletedProcess:
    """Run a command with the project's venv first on PATH and DVC analytics off."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "DVC_NO_ANALYTICS": "1"}
    env.update(kw.pop("env", {}))
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, **kw)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(cmd)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
    return result


def copy_repo(dest: Path) -> Path:
    """A fresh git repository holding this checkout's tracked files (as a clone would)."""
    files = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        src = REPO / name
        if src.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    # Stages run with the copy's .venv/bin/python (pipeline/run-stage): this run's environment.
    (dest / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    run(["git", "init", "-q", "-b", "main"], dest)
    run(["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", "add", "-A"], dest)
    run(
        ["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-qm", "copy"],
        dest,
    )
    return dest
