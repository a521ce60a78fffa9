"""Bad input stops a stage with `stage: error: path:line: message` and exit 2, no traceback."""

from __future__ import annotations

import pytest
import yaml

from memwall import stagerun
from memwall.config import ConfigError
from memwall.registry import RegistryError
from support import run


def test_guarded_turns_a_registry_error_into_one_line(capsys):
    @stagerun.guarded("normalize")
    def main() -> int:
        raise RegistryError("pipeline/memwall/data/corrections.yaml", 7, "'reason' is required")

    assert main() == 2
    assert capsys.readouterr().err == (
        "normalize: error: pipeline/memwall/data/corrections.yaml:7: 'reason' is required\n"
    )


def test_guarded_names_the_line_of_a_yaml_syntax_error(capsys):
    @stagerun.guarded("parse")
    def main() -> int:
        yaml.safe_load("a: [1\nb: 2\n")
        return 0

    assert main() == 2
    err = capsys.readouterr().err
    assert err.startswith("parse: error: <unicode string>:")
    assert "Traceback" not in err


def test_guarded_reports_config_and_missing_input(capsys, tmp_path):
    @stagerun.guarded("findings")
    def no_section() -> int:
        raise ConfigError("params.yaml has no 'findings:' section")

    @stagerun.guarded("export")
    def missing() -> int:
        (tmp_path / "interim" / "models.parquet").read_bytes()
        return 0

    assert no_section() == 2
    assert missing() == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "findings: error: params.yaml has no 'findings:' section"
    assert err[1].startswith(f"export: error: {tmp_path}/interim/models.parquet: missing input")


def test_guarded_keeps_the_traceback_of_a_bug():
    @stagerun.guarded("parse")
    def main() -> int:
        raise KeyError("a bug, not bad input")

    try:
        main()
    except KeyError:
        pass
    else:
        raise AssertionError("a bug must not be reported as bad input")


def test_dvc_repro_with_a_malformed_registry_prints_one_line(built_copy):
    """An entry without `reason`/`evidence` (a registry schema violation) stops `normalize`."""
    registry = built_copy / "pipeline/memwall/data/corrections.yaml"
    text = registry.read_text(encoding="utf-8")
    bad_line = text.count("\n") + 1
    registry.write_text(
        text + "- id: missing-reason\n  match: {table: models, model: GPT-3, column: Year}\n",
        encoding="utf-8",
    )
    result = run(["dvc", "repro"], built_copy, check=False)
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in out
    lines = [line for line in out.splitlines() if line.startswith("normalize: error: ")]
    assert len(lines) == 1, out
    assert lines[0].startswith(
        f"normalize: error: pipeline/memwall/data/corrections.yaml:{bad_line}: "
    )
    assert "exited with 2" in out


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("hardware_columns.yaml", "columns:\n  - [unclosed\n", "3:1"),
        ("unit_conventions.yaml", "- {id: x, versions: [6\n", "2:1"),
    ],
)
def test_a_registry_read_by_libyaml_that_is_not_yaml_names_its_file_line_and_column(
    tmp_path, name, text, where
):
    """The registries read by `config.safe_load` (libyaml, PyYAML for the message): a syntax
    error is `file:line:col`, as for every other registry, not `<unicode string>`."""
    from memwall.conventions import load_conventions
    from memwall.hardware_columns import load_mapping

    load = {"hardware_columns.yaml": load_mapping, "unit_conventions.yaml": load_conventions}
    broken = tmp_path / name
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(yaml.YAMLError) as raised:
        load[name](broken)
    assert stagerun.describe(raised.value).startswith(f"{broken}:{where}: ")
