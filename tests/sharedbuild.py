"""The test run's one build of the repo, started in the background as soon as collection
shows a test needs it, so the workers run the tests that need no build meanwhile.

`start(common)` spawns `python tests/sharedbuild.py COMMON` once per test run (the first
process to call it, under a file lock); `wait(common)` blocks until that build is done and
returns (repo, strace log or why the build ran untraced), or fails with the build's error.
Run as a script, this module makes the build: a copy of the repo under COMMON/build built by
the real `dvc repro`, under strace when it can trace here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

from filelock import FileLock

HERE = Path(__file__).resolve().parent
# A build takes about a minute on two cores; a build still running after this is stuck.
TIMEOUT_S = 30 * 60


def _files(common: Path) -> dict[str, Path]:
    return {name: common / f"build.{name}" for name in ("lock", "pid", "json", "error", "log")}


def start(common: Path) -> None:
    """Start the shared build in the background unless this test run already has."""
    files = _files(common)
    with FileLock(str(files["lock"])):
        if files["pid"].exists():
            return
        with files["log"].open("w") as log:
            proc = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), str(common)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        files["pid"].write_text(str(proc.pid), encoding="utf-8")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A finished child of this process stays a zombie until reaped: reap it if it is ours.
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True  # not our child: kill(pid, 0) succeeding means it runs
    return done == 0


def wait(common: Path) -> tuple[Path, Path | str]:
    """(repo, strace log or why none) of the shared build, once it is done."""
    files = _files(common)
    start(common)
    deadline = time.monotonic() + TIMEOUT_S
    pid = int(files["pid"].read_text(encoding="utf-8"))
    while True:
        if files["json"].is_file():
            repo, log = json.loads(files["json"].read_text(encoding="utf-8"))
            return Path(repo), (Path(log) if log.endswith(".strace") else log)
        if files["error"].is_file():
            raise RuntimeError("the shared build failed:\n" + files["error"].read_text())
        if not _alive(pid) and not files["json"].is_file() and not files["error"].is_file():
            log = files["log"].read_text(encoding="utf-8", errors="replace")[-3000:]
            raise RuntimeError(f"the shared build (pid {pid}) died without a result:\n{log}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the shared build (pid {pid}) ran over {TIMEOUT_S} s")
        time.sleep(0.2)


def build(root: Path) -> tuple[Path, Path | str]:
    """A copy of the repo under `root` built by the real `dvc repro`, under strace when it
    can trace here (the log says which files each stage read); else (repo, why not) and the
    build runs untraced, so only the data-deps test is affected."""
    from stagereads import STRACE, TRACE_ARGS, untraceable
    from support import copy_repo, run

    dest = copy_repo(root / "built")
    why_not = untraceable()
    if why_not:
        run(["dvc", "repro"], dest)
        return dest, why_not
    log = root / "repro.strace"
    run([STRACE, *TRACE_ARGS, "-o", str(log), "dvc", "repro"], dest)
    return dest, log


def main(common: Path) -> int:
    """Build under COMMON/build; write build.json (or build.error) atomically when done."""
    files = _files(common)
    try:
        root = common / "build"
        root.mkdir()
        repo, log = build(root)
        result, target = json.dumps([str(repo), str(log)]), files["json"]
    except BaseException:  # every failure, even an interrupt, reaches the waiting tests
        result, target = traceback.format_exc(), files["error"]
    partial = target.with_suffix(".partial")
    partial.write_text(result, encoding="utf-8")
    partial.rename(target)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main(Path(sys.argv[1])))
