"""Each stage depends on its code manifest (its import closure), so no stage runs stale code."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from memwall.imports import closure, code_manifest
from memwall.tools.stagedeps import mismatches
from support import REPO


def test_every_stage_depends_on_its_code_manifest_and_on_no_module_file():
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
            "memwall/nested.py": (
                "try:\n    pass\nexcept ImportError:\n    import memwall.in_handler\n"
                "else:\n    import memwall.in_try_else\n"
                "finally:\n    import memwall.in_finally\n"
                "try:\n    pass\nexcept* ValueError:\n    import memwall.in_except_star\n"
                "class C:\n    def m(self):\n        if 0:\n            pass\n"
                "        else:\n            from memwall import in_else\n"
                "match 1:\n    case 1:\n        import memwall.in_case\n"
                "with open('x') as f:\n    import memwall.in_with\n"
                "for _ in ():\n    pass\nelse:\n    import memwall.in_for_else\n"
                "while False:\n    pass\nelse:\n    from . import in_while_else\n"
                "async def g():\n    async with x:\n        from .sub import b\n"
                "finally_ = [__import__('memwall.unused')]\n"
            ),
            "memwall/sub/deep.py": "from .. import in_deep_relative\n",
            **{
                f"memwall/{name}.py": ""
                for name in (
                    "in_handler",
                    "in_try_else",
                    "in_finally",
                    "in_except_star",
                    "in_else",
                    "in_case",
                    "in_with",
                    "in_for_else",
                    "in_while_else",
                    "in_deep_relative",
                )
            },
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
    assert closure("memwall.nested", pipeline) == [
        "memwall",
        "memwall.in_case",
        "memwall.in_else",
        "memwall.in_except_star",
        "memwall.in_finally",
        "memwall.in_for_else",
        "memwall.in_handler",
        "memwall.in_try_else",
        "memwall.in_while_else",
        "memwall.in_with",
        "memwall.nested",
        "memwall.sub",
        "memwall.sub.a",
        "memwall.sub.b",
    ], "imports in every kind of block, relative ones too; not __import__ calls"
    assert "memwall.in_deep_relative" in closure("memwall.sub.deep", pipeline)


def test_a_stage_without_its_manifest_or_with_a_hand_list_of_code_is_named(tmp_path):
    _package(
        tmp_path,
        {
            "memwall/__init__.py": "",
            "memwall/stages/__init__.py": "",
            "memwall/stages/code.py": "",
            "memwall/stages/gate.py": "import memwall.rules\n",
            "memwall/stages/look.py": "",
            "memwall/rules.py": "",
        },
    )
    (tmp_path / "dvc.yaml").write_text(
        "stages:\n"
        "  code:\n"
        "    cmd: sh pipeline/run-stage code\n"
        "    deps: [pipeline/memwall]\n"
        "    outs: [interim/code]\n"
        "  gate:\n"
        "    cmd: sh pipeline/run-stage gate\n"
        "    deps: [raw, pipeline/memwall/rules.py]\n"
        "    outs: [out.json]\n"
        "  look:\n"
        "    cmd: sh pipeline/run-stage look\n"
        "    deps: [interim/code/look.sha256, out.json]\n"
    )
    assert mismatches(tmp_path) == [
        "dvc.yaml: stage 'gate' must depend on interim/code/gate.sha256",
        "dvc.yaml: stage 'gate' lists code files (pipeline/memwall/rules.py): its manifest "
        "interim/code/gate.sha256 already covers the code it imports",
    ]


def test_a_stage_module_dvc_yaml_does_not_run_is_named(tmp_path):
    _package(
        tmp_path,
        {
            "memwall/__init__.py": "",
            "memwall/stages/__init__.py": "",
            "memwall/stages/code.py": "",
            "memwall/stages/forgotten.py": "",
        },
    )
    (tmp_path / "dvc.yaml").write_text(
        "stages:\n  code:\n    cmd: sh pipeline/run-stage code\n"
        "    deps: [pipeline/memwall]\n    outs: [interim/code]\n"
    )
    assert mismatches(tmp_path) == [
        "dvc.yaml: the stages must be the modules of memwall.stages "
        "(in dvc.yaml only: -; modules only: forgotten)"
    ]


def test_the_manifest_is_what_sha256sum_checks_and_lists_the_imported_modules(tmp_path):
    _package(
        tmp_path,
        {
            "memwall/__init__.py": "",
            "memwall/stages/__init__.py": "",
            "memwall/stages/gate.py": "def main():\n    from memwall import rules\n",
            "memwall/rules.py": "LIMIT = 3\n",
            "memwall/unused.py": "",
        },
    )
    text = code_manifest("gate", tmp_path / "pipeline")
    assert [line.split("  ")[1] for line in text.splitlines()] == [
        "pipeline/memwall/__init__.py",
        "pipeline/memwall/rules.py",
        "pipeline/memwall/stages/__init__.py",
        "pipeline/memwall/stages/gate.py",
    ]
    (tmp_path / "gate.sha256").write_text(text)
    check = ["sha256sum", "--check", "--quiet", "gate.sha256"]
    assert subprocess.run(check, cwd=tmp_path).returncode == 0
    (tmp_path / "pipeline/memwall/rules.py").write_text("LIMIT = 4\n")
    failed = subprocess.run(check, cwd=tmp_path, capture_output=True, text=True)
    assert failed.returncode == 1 and "pipeline/memwall/rules.py: FAILED" in failed.stdout


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
    """export's lineage records the code of the stages upstream of it: its manifest is the
    union of their closures, and a CODE_OF_STAGES that is not its upstream stages is refused."""
    pipeline = _package(
        tmp_path,
        {
            "memwall/__init__.py": "",
            "memwall/stages/__init__.py": "",
            "memwall/stages/code.py": "",
            "memwall/stages/read.py": "import memwall.reader\n",
            "memwall/stages/publish.py": 'CODE_OF_STAGES = ("read",)\nimport memwall.writer\n',
            "memwall/stages/look.py": "",
            "memwall/reader.py": "",
            "memwall/writer.py": "",
        },
    )
    stage = (
        "  {0}:\n    cmd: sh pipeline/run-stage {0}\n"
        "    deps: [interim/code/{0}.sha256, {1}]\n    outs: [{2}]\n"
    )
    (tmp_path / "dvc.yaml").write_text(
        "stages:\n  code:\n    cmd: sh pipeline/run-stage code\n"
        "    deps: [pipeline/memwall]\n    outs: [interim/code]\n"
        + stage.format("read", "raw", "a.json")
        + stage.format("publish", "a.json", "b.json")
        + stage.format("look", "raw", "c.json")
    )
    assert "pipeline/memwall/reader.py" in code_manifest("publish", pipeline)
    assert "pipeline/memwall/stages/read.py" in code_manifest("publish", pipeline)
    assert "pipeline/memwall/reader.py" not in code_manifest("look", pipeline)
    assert mismatches(tmp_path) == []
    publish = tmp_path / "pipeline/memwall/stages/publish.py"
    publish.write_text('CODE_OF_STAGES = ("look",)\nimport memwall.writer\n')
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
    """Once the `code` stage has run, editing the site's code (and a tool no stage imports)
    marks the site alone; editing the parser marks parse and export (whose lineage records
    the parser's sha256), not the site."""
    from support import run

    assert _changed_stages(built_copy) == set()
    site = built_copy / "pipeline/memwall/site/__init__.py"
    original = site.read_text()
    site.write_text(original + "\n# edited\n")
    (built_copy / "pipeline/memwall/tools/stagedeps.py").write_text("# edited\n")
    assert _changed_stages(built_copy) == {"code"}, "only the manifests are out of date"
    run(["dvc", "repro", "--single-item", "code"], built_copy)
    assert _changed_stages(built_copy) == {"site"}
    site.write_text(original)
    parser = built_copy / "pipeline/memwall/parse.py"
    parser.write_text(parser.read_text() + "\n# edited\n")
    run(["dvc", "repro", "--single-item", "code"], built_copy)
    changed = _changed_stages(built_copy)
    assert {"parse", "export"} <= changed
    assert not {"site", "trends", "quality"} & changed


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


def test_a_missing_module_is_named_with_the_file_that_imports_it(tmp_path):
    pipeline = _package(
        tmp_path,
        {
            "memwall/__init__.py": "",
            "memwall/stage.py": "import memwall.helper\n",
            "memwall/helper.py": "from memwall import gone\nimport memwall.gone\n",
        },
    )
    with pytest.raises(LookupError) as raised:
        closure("memwall.stage", pipeline)
    assert str(raised.value) == (
        f"no module memwall.gone under {pipeline} (imported by {pipeline}/memwall/helper.py)"
    )
