"""The README's data dictionary is the one fields.py renders (it cannot drift)."""

from conftest import REPO
from memwall.docs import data_dictionary_markdown


def test_readme_holds_the_generated_data_dictionary():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert data_dictionary_markdown() in readme, "run: python -m memwall.docs and paste"


def test_readme_opens_with_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert [ln.split()[:2] for ln in first_block.strip().splitlines()[1:]] == [
        ["make", "repro"],
        ["make", "test"],
    ]
