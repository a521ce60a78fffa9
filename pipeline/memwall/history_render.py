"""Upstream's history for people: a changelog per version and one cell's timeline.

`upstream_history_markdown` writes reports/upstream_history.md; `cell_timeline` and
`timeline_text` serve a `memwall history MODEL [FIELD]` command. Every text taken from the
data is escaped, so a hostile cell renders as text.
"""

from __future__ import annotations

import html

import polars as pl

from memwall.history_parse import Version


def escape_cell(text: object) -> str:
    """Text safe inside a markdown table cell: HTML-escaped, pipes and newlines neutralised."""
    if text is None:
        return ""
    escaped = html.escape(str(text), quote=False)
    return escaped.replace("|", "\\|").replace("\r", " ").replace("\n", " ").replace("`", "\\`")


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def _old_new(row: dict) -> tuple[str, str]:
    old = row["previous_raw"] if row["change"] != "added" else None
    new = row["raw"] if row["change"] != "removed" else None
    return escape_cell(old), escape_cell(new)


def upstream_history_markdown(history: pl.DataFrame, versions: list[Version]) -> str:
    """Upstream's own changelog, computed from the history: one section per version with its
    commit, date and subject and every cell added, changed, removed or restated (same
    meaning, printed differently), old -> new raw text and value in base units."""
    out = [
        "# Upstream history of the README tables",
        "",
        "Computed from every version of upstream's README.md (raw/upstream/); one section per",
        "version, oldest first. Values in base units (FLOP, parameters, bytes) after each",
        "version's unit conventions and corrections; `restated` = same meaning, new printing;",
        "`line` is in that version's file (for a removed cell, in the version last stating it).",
        "",
    ]
    shown = history.filter((pl.col("change") != "same") | pl.col("restated"))
    for version in versions:
        rows = shown.filter(pl.col("version") == version.number)
        counts = {
            c: rows.filter((pl.col("change") == c) & ~pl.col("restated")).height
            for c in ("added", "changed", "removed")
        }
        restated = rows.filter(pl.col("restated")).height
        out += [
            f"## Version {version.number}: {escape_cell(version.subject)}",
            "",
            f"- commit `{version.commit}`",
            f"- committed {version.committed.strftime('%Y-%m-%d %H:%M:%S')} UTC",
            f"- cells added {counts['added']}, changed {counts['changed']}, "
            f"removed {counts['removed']}, restated {restated}",
            "",
        ]
        if rows.is_empty():
            out += ["No table cell changed.", ""]
            continue
        out += [
            "| table | model | field | change | old | new | old value | new value | line |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        ordered = rows.sort("table", "model_id", "field", "change")
        for row in ordered.iter_rows(named=True):
            old, new = _old_new(row)
            change = "restated" if row["restated"] else row["change"]
            old_value = _number(row["previous_value"]) if change != "added" else ""
            new_value = _number(row["value"]) if change != "removed" else ""
            used = sorted({row["conventions"], row["previous_conventions"] or ""} - {""})
            note = f" ({escape_cell(', '.join(used))})" if used else ""
            out.append(
                f"| {escape_cell(row['table'])} | {escape_cell(row['model_id'])} "
                f"| {escape_cell(row['field'])} | {change}{note} | {old} | {new} "
                f"| {old_value} | {new_value} | {row['line']} |"
            )
        out.append("")
    return "\n".join(out)


TIMELINE_COLUMNS = [
    "version",
    "commit",
    "committed",
    "table",
    "field",
    "change",
    "raw",
    "value",
    "status",
    "line",
    "col",
    "conventions",
    "corrections",
]


def cell_timeline(history: pl.DataFrame, model_id: str, field: str | None = None) -> pl.DataFrame:
    """Every version's statement of one model's cells (or of one field), oldest first.

    A removed cell shows at the version that dropped it, with its last raw text and line.
    """
    rows = history.filter(pl.col("model_id") == model_id)
    if field is not None:
        rows = rows.filter(pl.col("field") == field)
    return rows.sort("table", "field", "version").select(TIMELINE_COLUMNS)


def timeline_text(timeline: pl.DataFrame) -> str:
    """The timeline as plain text lines: `vN  date  commit  table.field  change  raw  @line:col`.

    Consecutive `same` statements are folded into one line naming the version range.
    """
    lines: list[str] = []
    run: list[dict] = []

    def flush() -> None:
        if not run:
            return
        first, last = run[0], run[-1]
        span = f"v{first['version']}" + (f"-v{last['version']}" if len(run) > 1 else "")
        lines.append(
            f"{span:<9} {first['committed']:%Y-%m-%d} {first['commit'][:7]} "
            f"{first['table']}.{first['field']}  {first['change']:<8} {first['raw']!r}"
            f"  value={_number(first['value'])} {first['status']}  @line {first['line']}:"
            f"{first['col']}"
            + (f"  conventions={first['conventions']}" if first["conventions"] else "")
            + (f"  corrections={first['corrections']}" if first["corrections"] else "")
        )
        run.clear()

    for row in timeline.iter_rows(named=True):
        same_run = (
            run
            and row["change"] == "same"
            and row["table"] == run[-1]["table"]
            and row["field"] == run[-1]["field"]
            and row["raw"] == run[-1]["raw"]
        )
        if not same_run:
            flush()
        run.append(row)
    flush()
    return "\n".join(lines)
