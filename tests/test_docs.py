"""The README's data dictionary is the one fields.py renders (it cannot drift)."""

import ast
import re

import pytest

from memwall.tools.docs import data_dictionary_markdown
from support import BIN, REPO, run


def test_readme_holds_the_generated_data_dictionary():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert data_dictionary_markdown() in readme, "run: python -m memwall.tools.docs and paste"


def test_readme_opens_with_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert [ln.split()[:2] for ln in first_block.strip().splitlines()[1:]] == [
        ["make", "repro"],
        ["make", "test"],
    ]


def _python_blocks(readme: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", readme, flags=re.S)


@pytest.mark.slow
def test_readme_python_examples_run_and_print_what_the_readme_shows(built_repo):
    """Every python block runs against a built checkout (lines that need a release tag or a
    remote repository are left out), and the values shown in its comments are the real ones."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for block in _python_blocks(readme):
        code = "\n".join(
            line for line in block.splitlines() if "version=" not in line and "repo=" not in line
        )
        tree = ast.parse(code)
        for i, node in enumerate(tree.body):  # print each expression, as a REPL would
            if isinstance(node, ast.Expr):
                call = ast.Call(ast.Name("print", ast.Load()), [node.value], [])
                tree.body[i] = ast.fix_missing_locations(ast.Expr(call))
        script = ast.unparse(tree)
        result = run([str(BIN / "python"), "-c", script], built_repo)
        for shown in re.findall(r"'raw': '([^']+)'", block):
            assert f"'raw': '{shown}'" in result.stdout, (block, result.stdout)
        for number in re.findall(r"\b(\d{9,})\b", block):
            assert number in result.stdout, (number, result.stdout)


@pytest.mark.slow
def test_readme_validate_example_is_what_the_validator_prints(built_repo):
    """The README's example file ships (examples/contrib/) and prints what the README shows when
    run, as the README says, in a built checkout (the dataset beside the file is found)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = re.search(r"memwall validate (\S+)\n```\n\n[^\n]*\n\n```\n(.*?)```", readme, re.S)
    assert example, "the Contributing section shows a validate run"
    assert (REPO / example[1]).is_file(), "the README's example path exists"
    shown = example[2].splitlines()
    result = run(
        [str(BIN / "memwall"), "validate", "--today", "2026-11-24", example[1]],
        built_repo,
        check=False,
    )
    printed = [ln for ln in result.stdout.splitlines() if not ln.startswith("note:")]
    assert printed == shown
