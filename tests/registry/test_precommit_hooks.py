"""The pre-commit hooks check each registry against its schema with check-jsonschema."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
FIXTURES = REPO / "tests/fixtures/registry"
REGISTRIES = {
    "pipeline/memwall/data/corrections.yaml": "corrections_expect_unquoted_number.yaml",
    "pipeline/memwall/data/aliases.yaml": "aliases_aliases_not_a_list.yaml",
    "pipeline/memwall/data/accepted.yaml": "accepted_unknown_key.yaml",
    "raw/sources.yaml": "sources_missing_sha256.yaml",
}


def hooks() -> list[dict]:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def run_hook(hook: dict, files: list[str]) -> subprocess.CompletedProcess:
    cmd = shlex.split(hook["entry"])
    cmd[0] = str(BIN / cmd[0])
    return subprocess.run([*cmd, *files], cwd=REPO, capture_output=True, text=True)


def test_the_hook_configuration_is_valid():
    done = subprocess.run(
        [str(BIN / "pre-commit"), "validate-config", ".pre-commit-config.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("registry", sorted(REGISTRIES))
def test_a_hook_runs_on_each_registry_and_rejects_its_defect(registry):
    [hook] = [
        h for h in hooks() if "--schemafile" in h["entry"] and re.search(h["files"], registry)
    ]
    assert hook["args"] == [registry]
    bad = str(FIXTURES / REGISTRIES[registry])
    # One run over both files (check-jsonschema starts slowly): only the fixture is named.
    done = run_hook(hook, [registry, bad])
    assert done.returncode == 1
    assert bad in done.stdout and f"{registry}::" not in done.stdout, done.stdout
