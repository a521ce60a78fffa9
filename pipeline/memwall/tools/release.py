"""Tag a dataset version: `v<dataset.version>` plus `<artifact>@v<version>` for DVC.

The plain tag (`v0.1.0`) is what people cite and pass to `dvc get --rev` and
`memwall.load(version=...)`. The artifact tags (`models@v0.1.0`, GTO's format) are what
`dvc artifacts get REPO models --rev v0.1.0` looks up for each `artifacts:` entry of dvc.yaml.
All tags are annotated and point at HEAD, which must be committed with a dvc.lock that matches
the workspace. Run: python -m memwall.tools.release [--repo .]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import yaml

from memwall import config


def release_tags(repo: Path) -> list[str]:
    """The tags for the version in params.yaml: `vX.Y.Z` then `<artifact>@vX.Y.Z`, sorted."""
    params = config.params(repo)
    dvcyaml = yaml.safe_load((repo / "dvc.yaml").read_text(encoding="utf-8"))
    version = f"v{params['dataset']['version']}"
    return [version, *(f"{name}@{version}" for name in sorted(dvcyaml.get("artifacts", {})))]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    """Create the release tags at HEAD; exit 2 if the tree is dirty or a tag exists."""
    ap = argparse.ArgumentParser(prog="memwall.tools.release", description=__doc__)
    ap.add_argument("--repo", type=Path, default=Path("."))
    args = ap.parse_args(argv)
    repo: Path = args.repo
    if _git(repo, "status", "--porcelain", "--untracked-files=no"):
        print("release: commit first (git status is not clean)", file=sys.stderr)
        return 2
    tags = release_tags(repo)
    existing = set(_git(repo, "tag", "--list").split())
    if clash := [t for t in tags if t in existing]:
        print(f"release: tags exist already: {', '.join(clash)}", file=sys.stderr)
        return 2
    for tag in tags:
        _git(repo, "tag", "-a", tag, "-m", f"memwall dataset {tag}")
        print(tag)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
