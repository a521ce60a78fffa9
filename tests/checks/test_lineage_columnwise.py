"""The column-wise lineage check finds exactly the problems of the row-by-row one."""

from __future__ import annotations

import polars as pl

from memwall.fields import PROVENANCE
from memwall.merge import polars_dtype
from memwall.validate import _raw_lines, _row_problem, lineage_problems


def lineage_problems_rowwise(provenance: pl.DataFrame, root) -> list[str]:
    """The simple path the column-wise check must equal: every located row, one at a time."""
    files: dict[str, list[str]] = {}
    problems = []
    for r in provenance.filter(pl.col("source").is_not_null()).iter_rows(named=True):
        if r["source"] not in files:
            files[r["source"]] = _raw_lines(root, r["source"])
        if (problem := _row_problem(r, files[r["source"]])) is not None:
            problems.append(problem)
    return problems


SCHEMA = {f.name: polars_dtype(f) for f in PROVENANCE}
TABLE = (
    "| Model | Params | Note |\n"
    "|---|---|---|\n"
    "| GPT-3 | 175,000M | a \\| pipe |\n"
    "| BERT  |  | café 中 |\r\n"
    "  whole line derived\u2003\n"
)


def row(**values) -> dict:
    base = dict.fromkeys(SCHEMA) | {
        "table": "models",
        "model_id": "m",
        "field": "params",
        "status": "value",
        "source": "raw/t.md",
        "column": "Params",
    }
    return base | values


CASES = [
    row(line=3, char=11, raw="175,000M"),  # right
    row(line=3, char=10, raw="175,000M"),  # one column off
    row(line=3, char=25, raw="a | pipe"),  # escaped pipe in the raw line
    row(line=3, char=25, raw="a \\| pipe"),  # the escaped text is not what it reads
    row(line=4, char=11, raw=None, status="unknown"),  # blank cell: a pipe follows
    row(line=4, char=11, raw="", status="unknown"),
    row(line=4, char=3, raw=None, status="unknown"),  # not blank
    row(line=4, char=17, raw="café 中"),  # characters, not bytes
    row(line=4, char=17, raw="café 中 |"),  # CR stripped, pipe kept
    row(line=4, char=17, raw="café 中 |\r"),
    row(line=5, char=1, raw="whole line derived", status="derived", column=None),
    row(line=5, char=1, raw="whole line derived", status="derived", column=""),
    row(line=5, char=1, raw="whole line", status="derived", column=None),
    row(line=5, char=3, raw="whole line derived", status="derived", column="Model"),
    row(line=5, char=None, raw="x", status="derived", column=None),
    row(line=9, char=1, raw="x"),  # no such line
    row(line=0, char=1, raw="x"),
    row(line=-1, char=1, raw="x"),
    row(line=3, char=0, raw="|"),  # column 0: Python's slice from the end
    row(line=3, char=-3, raw="| "),
    row(line=3, char=200, raw="x"),  # past the end
    row(line=3, char=200, raw=None, status="unknown"),
    row(line=2, char=1, raw="|---"),
    row(source=None, line=None, char=None, raw=None, status="absent"),
]


def test_every_case_gives_the_same_problems(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw/t.md").write_text("\ufeff" + TABLE, encoding="utf-8")
    frame = pl.DataFrame(CASES, schema=SCHEMA, orient="row")
    expected = lineage_problems_rowwise(frame, tmp_path)
    assert lineage_problems(frame, tmp_path) == expected
    assert len(expected) > 8  # the cases do break it
    for n in range(frame.height):  # each case alone, too
        one = frame.slice(n, 1)
        assert lineage_problems(one, tmp_path) == lineage_problems_rowwise(one, tmp_path)


def test_the_built_provenance_has_no_problem_either_way(built_repo):
    provenance = pl.read_parquet(built_repo / "interim/provenance.parquet")
    assert lineage_problems(provenance, built_repo) == []
    broken = provenance.with_columns(
        pl.when(pl.int_range(pl.len()) % 97 == 0)
        .then(pl.col("char") + 1)
        .otherwise(pl.col("char"))
        .alias("char")
    )
    found = lineage_problems(broken, built_repo)
    assert found == lineage_problems_rowwise(broken, built_repo)
    assert found
