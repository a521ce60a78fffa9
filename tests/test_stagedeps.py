"""dvc.yaml's code deps are each stage's import closure, so no stage can run stale code."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from memwall.tools.stagedeps import closure, mismatches, rewrite
from support import REPO


def test_every_stage_depends_on_exactly_the_modules_it_imports():
    assert mismatches(REPO) == []


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "pipeline" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "pipeline"


def test_closure_follows_function_level_and_from_package_imports_and_package_inits(tmp_path):
    pipeline = _package(
        tmp_path,
        {
            "memwall/__init__.py": "",
            "memwall/stage.py": "from memwall import units\ndef f():\n    import memwall.sub.b\n",
            "memwall/units.py": "",
            "memwall/sub/__init__.py": "from .a import x\n",
            "memwall/sub/a.py": "x = 1\n",
            "memwall/sub/b.py": "",
            "memwall/unused.py": "",
        },
    )
    assert closure("memwall.stage", pipeline) == [
        "memwall",
        "memwall.stage",
        "memwall.sub",
        "memwall.sub.a",
        "memwall.sub.b",
        "memwall.units",
    ]


def test_a_module_missing_from_a_stages_deps_is_named_and_write_adds_it(tmp_path):
    _package(
        tmp_path,
        {
            "memwall/__init__.py": "",
            "memwall/stages/__init__.py": "",
            "memwall/stages/gate.py": "import memwall.rules\n",
            "memwall/rules.py": "",
        },
    )
    dvc_yaml = tmp_path / "dvc.yaml"
    dvc_yaml.write_text(
        "stages:\n"
        "  gate:\n"
        "    cmd: sh pipeline/run-stage gate\n"
        "    deps:\n"
        "      - raw\n"
        "      - pipeline/memwall/__init__.py\n"
        "      - pipeline/memwall/stages/__init__.py\n"
        "      - pipeline/memwall/stages/gate.py\n"
        "    outs:\n"
        "      - out.json\n"
    )
    assert mismatches(tmp_path) == ["dvc.yaml: stage 'gate' misses deps pipeline/memwall/rules.py"]
    from memwall.tools.stagedeps import code_deps

    dvc_yaml.write_text(rewrite(dvc_yaml.read_text(), code_deps(tmp_path)))
    assert mismatches(tmp_path) == []
    assert "      - raw\n" in dvc_yaml.read_text()
    assert "      - out.json\n" in dvc_yaml.read_text()


def test_run_stage_without_a_working_interpreter_says_what_to_do(tmp_path):
    """issue 18 item 7: no traceback, no 'No module named memwall', but the fix."""
    (tmp_path / "pipeline").mkdir()
    launcher = tmp_path / "pipeline" / "run-stage"
    launcher.write_bytes((REPO / "pipeline" / "run-stage").read_bytes())
    fake = tmp_path / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    result = subprocess.run(
        ["sh", str(launcher), "memwall.stages.parse"],
        capture_output=True,
        text=True,
        env={"PATH": os.defpath},
    )
    assert result.returncode == 2
    assert "make venv" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_stage_with_an_interpreter_lacking_the_dependencies_says_what_to_do(tmp_path):
    """A .venv without polars (made, never synced): one line with the fix, exit 2."""
    (tmp_path / "pipeline").mkdir()
    launcher = tmp_path / "pipeline" / "run-stage"
    launcher.write_bytes((REPO / "pipeline" / "run-stage").read_bytes())
    (tmp_path / "pipeline" / "memwall").symlink_to(REPO / "pipeline" / "memwall")
    base = Path(sys.base_prefix) / "bin" / "python3"
    subprocess.run([str(base), "-m", "venv", "--without-pip", str(tmp_path / ".venv")], check=True)
    result = subprocess.run(
        ["sh", str(launcher), "parse"], capture_output=True, text=True, env={"PATH": os.defpath}
    )
    assert result.returncode == 2, result.stderr
    assert "No module named 'polars'" in result.stderr and "make venv" in result.stderr
    assert "Traceback" not in result.stderr


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
    return names


def test_no_module_imports_a_stage_module():
    package = REPO / "pipeline" / "memwall"
    offenders = [
        f"{path.relative_to(REPO)} imports {name}"
        for path in sorted(package.rglob("*.py"))
        if path.parent.name != "stages"
        for name in sorted(_imports(path))
        if name == "memwall.stages" or name.startswith("memwall.stages.")
    ]
    assert offenders == []


def test_dvc_yaml_stages_are_exactly_the_stage_modules_each_documented():
    stages = yaml.safe_load((REPO / "dvc.yaml").read_text())["stages"]
    modules = {p.stem for p in (REPO / "pipeline/memwall/stages").glob("*.py")} - {"__init__"}
    assert set(stages) == modules
    for name in modules:
        tree = ast.parse((REPO / f"pipeline/memwall/stages/{name}.py").read_text())
        doc = ast.get_docstring(tree) or ""
        assert doc.startswith(f"Stage `{name}`"), name
        assert "Library: " in doc, name


def test_a_stage_recording_other_stages_code_depends_on_it_and_must_name_its_ancestors(
    tmp_path,
):
    """export's lineage records the code of the stages upstream of it: its deps are the union
    of their closures, and a CODE_OF_STAGES that is not its upstream stages is refused."""
    _package(
        tmp_path,
        {
            "memwall/__init__.py": "",
            "memwall/stages/__init__.py": "",
            "memwall/stages/read.py": "import memwall.reader\n",
            "memwall/stages/publish.py": 'CODE_OF_STAGES = ("read",)\nimport memwall.writer\n',
            "memwall/stages/look.py": "",
            "memwall/reader.py": "",
            "memwall/writer.py": "",
        },
    )
    stage = "  {0}:\n    cmd: sh pipeline/run-stage {0}\n    deps:\n{1}    outs:\n      - {2}\n"
    dvc_yaml = tmp_path / "dvc.yaml"
    dvc_yaml.write_text(
        "stages:\n"
        + stage.format("read", "      - raw\n", "a.json")
        + stage.format("publish", "      - a.json\n", "b.json")
        + stage.format("look", "      - raw\n", "c.json")
    )
    from memwall.tools.stagedeps import code_deps

    deps = code_deps(tmp_path)
    assert "pipeline/memwall/reader.py" in deps["publish"]
    assert "pipeline/memwall/stages/read.py" in deps["publish"]
    assert "pipeline/memwall/reader.py" not in deps["look"]
    publish = tmp_path / "pipeline/memwall/stages/publish.py"
    publish.write_text('CODE_OF_STAGES = ("look",)\nimport memwall.writer\n')
    dvc_yaml.write_text(rewrite(dvc_yaml.read_text(), code_deps(tmp_path)))
    assert mismatches(tmp_path) == [
        "memwall.stages.publish: CODE_OF_STAGES must name the stages upstream of it in "
        "dvc.yaml: read"
    ]


def _changed_stages(repo: Path) -> set[str]:
    import json

    from support import run

    status = json.loads(run(["dvc", "status", "--json"], repo).stdout or "{}")
    return {name.split(":")[-1] for name in status}


@pytest.mark.slow
def test_a_code_edit_marks_exactly_the_stages_that_run_or_record_that_code(built_copy):
    """Editing the site's code leaves export up to date; editing the parser marks parse and
    export (whose lineage records the parser's sha256), not the site."""
    assert _changed_stages(built_copy) == set()
    site = built_copy / "pipeline/memwall/site/__init__.py"
    original = site.read_text()
    site.write_text(original + "\n# edited\n")
    assert _changed_stages(built_copy) == {"site"}
    site.write_text(original)
    parser = built_copy / "pipeline/memwall/parse.py"
    parser.write_text(parser.read_text() + "\n# edited\n")
    changed = _changed_stages(built_copy)
    assert {"parse", "export"} <= changed
    assert not {"site", "trends", "quality"} & changed


def test_a_comment_inside_deps_stays_and_the_code_lines_after_it_are_still_rewritten():
    text = (
        "stages:\n"
        "  gate:\n"
        "    cmd: sh pipeline/run-stage gate\n"
        "    deps:\n"
        "      - raw\n"
        "      # read only to recognise a table\n"
        "      - pipeline/memwall/data/columns.yaml\n"
        "      - pipeline/memwall/old.py\n"
        "    outs:\n"
        "      - out.json\n"
    )
    new = rewrite(text, {"gate": ["pipeline/memwall/new.py"]})
    assert "      # read only to recognise a table\n" in new
    assert "pipeline/memwall/old.py" not in new
    assert new.count("pipeline/memwall/new.py") == 1


def test_no_stage_output_directory_holds_a_git_file_but_its_gitignore():
    """processed/, interim/ and reports/ are DVC outputs: a file git tracks there is stale the
    moment a stage rewrites it (a leftover reports/findings_metrics.json once was)."""
    tracked = subprocess.run(
        ["git", "ls-files", "processed", "interim", "reports"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [p for p in tracked if Path(p).name != ".gitignore"] == []
