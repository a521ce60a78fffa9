"""The gate: schemas, row accounting and lineage back to the raw bytes.

`problems` gives one line per problem, naming table, model and column, when:
- a published table or provenance breaks its pandera schema;
- a raw data row is neither kept nor rejected with a reason, or is counted twice;
- a provenance row does not point at a raw line that holds its original text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from memwall.schemas import provenance_schema, schema_problems, table_schema


def accounting_problems(
    cells: pl.DataFrame,
    parse_rejects: pl.DataFrame,
    ledger: pl.DataFrame,
    tables: dict[str, pl.DataFrame],
) -> list[str]:
    """Every raw row read by parse is in the ledger exactly once; kept rows reach a table."""
    problems = []
    seen = pl.concat(
        [cells.select("source_id", "line").unique(), parse_rejects.select("source_id", "line")]
    ).with_columns(pl.col("line").cast(pl.Int32))
    ledger_keys = ledger.select("source_id", "line")
    dupes = ledger_keys.filter(ledger_keys.is_duplicated()).unique().sort(["source_id", "line"])
    problems += [f"ledger: {r['source_id']}:{r['line']} counted twice" for r in dupes.to_dicts()]
    missing = seen.join(ledger_keys, on=["source_id", "line"], how="anti").sort("source_id", "line")
    problems += [
        f"ledger: {r['source_id']}:{r['line']} neither kept nor rejected"
        for r in missing.to_dicts()
    ]
    unexplained = ledger.filter((pl.col("outcome") == "rejected") & pl.col("reason").is_null())
    problems += [
        f"ledger: {r['source_id']}:{r['line']} rejected without a reason"
        for r in unexplained.to_dicts()
    ]
    for name, table in tables.items():
        kept = ledger.filter((pl.col("outcome") == "kept") & (pl.col("table") == name))
        lost = kept.join(table.select("model_id"), on="model_id", how="anti")
        problems += [
            f"{name}: kept row {r['source_id']}:{r['line']} ({r['model_id']}) is missing"
            for r in lost.to_dicts()
        ]
        orphans = table.select("model_id").join(kept, on="model_id", how="anti")
        problems += [f"{name}: model {r['model_id']!r} has no raw row" for r in orphans.to_dicts()]
    return problems


# What Python's str.strip() strips (str.isspace), for polars to strip the same characters.
_PY_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())


def _raw_lines(root: Path, source: str) -> list[str]:
    """The lines of a raw file as lineage reads them (BOM dropped, CR stripped)."""
    text = (root / source).read_text(encoding="utf-8-sig")
    return [ln.rstrip("\r") for ln in text.split("\n")]


def _row_problem(r: dict, lines: list[str]) -> str | None:
    """The problem of one located provenance row (`r`) against its file's `lines`, or None."""
    where = f"provenance: {r['table']} {r['model_id']!r} {r['field']}: {r['source']}:{r['line']}"
    if not 1 <= r["line"] <= len(lines):
        return f"{where}: no such line"
    line = lines[r["line"] - 1]
    if r["status"] == "derived" and not r["column"]:
        ok = line.strip() == r["raw"]
    else:
        rest = line[r["char"] - 1 :].replace("\\|", "|")
        ok = rest.startswith(r["raw"]) if r["raw"] else rest.lstrip(" ").startswith("|")
    return None if ok else f"{where}:{r['char']}: raw text {r['raw']!r} is not there"


def lineage_problems(provenance: pl.DataFrame, root: Path) -> list[str]:
    """Each located provenance row's raw text is found at its line and column in the file.

    Column-wise: every row is joined with its raw line and tested by polars; the rows it
    does not show correct (a problem, or a case it leaves to Python: no such line, a column
    below 1) are tested again one by one by `_row_problem`, which words the problems (the
    test holds this equal to `_row_problem` over every row).
    """
    located = provenance.filter(pl.col("source").is_not_null()).with_row_index("_row")
    files = {s: _raw_lines(root, s) for s in located["source"].unique(maintain_order=True)}
    line_type = located.schema["line"]
    raw_lines = pl.concat(
        [
            pl.DataFrame(
                {
                    "source": pl.Series([s] * len(lines), dtype=pl.String),
                    "line": pl.int_range(1, len(lines) + 1, eager=True).cast(line_type),
                    "_text": pl.Series(lines, dtype=pl.String),
                }
            )
            for s, lines in files.items()
        ]
        or [pl.DataFrame(schema={"source": pl.String, "line": line_type, "_text": pl.String})]
    )
    text, char, raw, status = pl.col("_text"), pl.col("char"), pl.col("raw"), pl.col("status")
    rest = text.str.slice(char - 1).str.replace_all("\\|", "|", literal=True)
    cell_ok = (
        pl.when(raw.is_not_null() & (raw != ""))
        .then(rest.str.starts_with(raw))
        .otherwise(rest.str.strip_chars_start(" ").str.starts_with("|"))
    )
    whole_line = (status == "derived") & (pl.col("column").is_null() | (pl.col("column") == ""))
    ok = pl.when(whole_line).then(text.str.strip_chars(_PY_WHITESPACE) == raw).otherwise(cell_ok)
    shown = text.is_not_null() & char.is_not_null() & (char >= 1) & ok
    doubtful = (
        located.join(raw_lines, on=["source", "line"], how="left")
        .filter(~shown.fill_null(False))
        .sort("_row")
    )
    problems = []
    for r in doubtful.iter_rows(named=True):
        problem = _row_problem(r, files[r["source"]])
        if problem is not None:
            problems.append(problem)
    return problems


def problems(
    tables: dict[str, pl.DataFrame],
    provenance: pl.DataFrame,
    cells: pl.DataFrame,
    parse_rejects: pl.DataFrame,
    ledger: pl.DataFrame,
    latest: dt.date,
    root: Path,
) -> list[str]:
    """Every problem of the normalized outputs: schemas, accounting, lineage (raw under root)."""
    found: list[str] = []
    for name, frame in tables.items():
        found += schema_problems(table_schema(name, latest), frame)
    found += schema_problems(provenance_schema(), provenance)
    found += accounting_problems(cells, parse_rejects, ledger, tables)
    found += lineage_problems(provenance, root)
    return found


def summary(
    tables: dict[str, pl.DataFrame], provenance: pl.DataFrame, ledger: pl.DataFrame, latest: dt.date
) -> dict:
    """The counts the export stage records: rows per table, raw rows kept and rejected."""
    return {
        "tables": {name: frame.height for name, frame in tables.items()},
        "provenance_rows": provenance.height,
        "raw_rows": ledger.height,
        "kept_rows": ledger.filter(pl.col("outcome") == "kept").height,
        "rejected_rows": ledger.filter(pl.col("outcome") == "rejected").height,
        "latest_date": latest.isoformat(),
    }
