"""Rebuild one artifact of a past commit and check it against that commit's dvc.lock.

The build is deterministic, so a version whose artifacts no DVC remote holds can be made
again: clone the checkout into a temporary directory, check out the commit, run `dvc repro`
of the stage that writes the file (and what it depends on) with this environment's tools, and
accept the bytes only when their md5 is the one the commit's `dvc.lock` records. Verified
bytes are added to the checkout's DVC cache, so the next read of that version is a cache hit.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml


class RebuildError(RuntimeError):
    """A rebuild that failed or produced bytes other than the recorded ones."""


def stage_outs(lock_text: str, stage: str) -> dict[str, str]:
    """Output path -> md5 of the files one stage of a dvc.lock writes (directories left out)."""
    lock = yaml.safe_load(lock_text) or {}
    outs = ((lock.get("stages") or {}).get(stage) or {}).get("outs") or []
    return {o["path"]: o["md5"] for o in outs if o.get("md5") and not o["md5"].endswith(".dir")}


def locked_md5(lock_text: str, path: str) -> tuple[str, str] | None:
    """(stage, md5) of the output `path` in the text of a dvc.lock, or None."""
    lock = yaml.safe_load(lock_text) or {}
    for stage, entry in (lock.get("stages") or {}).items():
        for out in entry.get("outs") or []:
            if out.get("path") == path and out.get("md5"):
                return stage, out["md5"]
    return None


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise RebuildError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def cache_file(root: Path, md5: str) -> Path:
    """Where DVC 3 keeps a file of this md5 in the checkout's local cache."""
    return root / ".dvc" / "cache" / "files" / "md5" / md5[:2] / md5[2:]


def rebuild(root: Path, commit: str, path: str, log=sys.stderr) -> bytes:
    """The bytes of `path` (e.g. "processed/models.parquet") as built at `commit` of the git
    checkout `root`, verified against the md5 in that commit's dvc.lock."""
    lock_text = _git(root, "show", f"{commit}:dvc.lock")
    found = locked_md5(lock_text, path)
    if found is None:
        raise RebuildError(f"{path} is not an output in dvc.lock of {commit[:12]}")
    stage, md5 = found
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DVC_NO_ANALYTICS": "1",
    }
    with tempfile.TemporaryDirectory(prefix="memwall-rebuild-") as tmp:
        work = Path(tmp) / "repo"
        print(f"memwall: rebuilding {path} at {commit[:12]} (stage {stage})", file=log)
        _git(root, "clone", "--quiet", "--no-checkout", str(root), str(work))
        _git(work, "-c", "advice.detachedHead=false", "checkout", "--quiet", commit)
        # This environment's interpreter and this commit's code, whatever is installed.
        (work / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
        env["PYTHONPATH"] = str(work / "pipeline")
        done = subprocess.run(
            [str(Path(sys.executable).parent / "dvc"), "repro", stage],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-5:])
            raise RebuildError(f"dvc repro {stage} at {commit[:12]} failed:\n{tail}")
        data = (work / path).read_bytes()
        got = hashlib.md5(data).hexdigest()
        if got != md5:
            raise RebuildError(
                f"rebuilt {path} at {commit[:12]} has md5 {got}, dvc.lock records {md5}: "
                "this environment does not reproduce that version (compare requirements.lock)"
            )
        # Every output of the stage whose bytes are the recorded ones goes to the cache.
        for out, out_md5 in stage_outs(lock_text, stage).items():
            built = (work / out).read_bytes() if (work / out).is_file() else b""
            if hashlib.md5(built).hexdigest() == out_md5:
                _cache(root, out_md5, built)
    return data


def _cache(root: Path, md5: str, data: bytes) -> None:
    target = cache_file(root, md5)
    if (root / ".dvc").is_dir() and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
