"""`memwall validate` with a malformed registry: one `path:line: message`, exit 2."""

from __future__ import annotations

import shutil
from pathlib import Path

from memwall.contrib import run
from memwall.tools import cli

REPO = Path(__file__).resolve().parents[2]


def test_a_malformed_registry_is_a_usage_error_not_a_traceback(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    shutil.copytree(REPO / "pipeline/memwall/data", data)
    lines = (data / "aliases.yaml").read_text().splitlines()
    at = next(n for n, text in enumerate(lines) if text.startswith("  aliases: [VGG19]"))
    lines[at] = "  aliases: VGG19"
    (data / "aliases.yaml").write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(run, "PACKAGE_DATA", data)
    table = REPO / "tests/fixtures/contrib/valid_new_model.md"
    monkeypatch.chdir(tmp_path)
    code = cli.main(["validate", str(table), "--params", "none.yaml"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE
    assert (
        f"{data / 'aliases.yaml'}:{at + 1}: entry 1 (vgg-19).aliases must be of type array" in err
    )
    assert "Traceback" not in err
