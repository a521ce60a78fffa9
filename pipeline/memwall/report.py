"""The findings report: counts by severity and check, and the markdown people read."""

from __future__ import annotations

import json
from pathlib import Path

from memwall.checks import CHECKS
from memwall.checks.base import ERROR, SEVERITIES, Finding
from memwall.markdown import code_span, escape_text, table_row


def counts(findings: list[Finding]) -> dict:
    """Counts by severity, by check and severity, accepted and unresolved errors.

    Keys are plural ("errors"): `dvc metrics show` takes any key named "error" for a
    failure to load the file.
    """
    plural = {s: f"{s}s" if s != "info" else "infos" for s in SEVERITIES}
    by_check: dict[str, dict[str, int]] = {code: {"total": 0} for code in CHECKS}
    for f in sorted(findings, key=lambda f: f.code):
        by_check.setdefault(f.code, {"total": 0})["total"] += 1
        key = plural[f.severity]
        by_check[f.code][key] = by_check[f.code].get(key, 0) + 1
    return {
        "total": len(findings),
        **{plural[s]: sum(1 for f in findings if f.severity == s) for s in SEVERITIES},
        "accepted": sum(1 for f in findings if f.accepted),
        "unresolved_errors": sum(1 for f in findings if f.severity == ERROR and not f.accepted),
        "by_check": by_check,
    }


def read_area_findings(path: Path) -> list[Finding]:
    """The findings an area stage wrote with `write_area_findings`."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [Finding.from_dict(r) for r in doc["findings"]]


def write_area_findings(findings: list[Finding], path: Path) -> None:
    """Write an area's findings (sorted) for the findings stage to gather."""
    records = [f.as_dict() for f in sorted(findings, key=Finding.sort_key)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"findings": records}, indent=2) + "\n", encoding="utf-8")


def render_markdown(findings: list[Finding], summary: dict) -> str:
    """A readable report: counts, then one section per finding."""
    lines = [
        "# Findings",
        "",
        "Consistency checks over every value of every source (the `findings` stage).",
        f"{summary['total']} findings: {summary['errors']} errors, {summary['warnings']} "
        f"warnings, {summary['infos']} info; {summary['accepted']} accepted, "
        f"{summary['unresolved_errors']} unresolved errors.",
        "",
        "| check | error | warning | info |",
        "|---|---|---|---|",
    ]
    for code, c in summary["by_check"].items():
        lines.append(
            table_row((f"`{code}`", c.get("errors", 0), c.get("warnings", 0), c.get("infos", 0)))
        )
    # Data (names, texts, source paths) is escaped: the report shows it, never renders it.
    for f in findings:
        status = " (accepted)" if f.accepted else ""
        heading = f"## {f.severity}{status}: {code_span(f.code)} {escape_text(f.model_id)}"
        lines += ["", heading, "", escape_text(f.message), ""]
        lines.append(f"- fields: {escape_text(', '.join(f.fields))}")
        lines.append(f"- expected: {escape_text(f.expected)}")
        lines += [
            f"- {code_span(where)}: {code_span(text)}" for where, text in sorted(f.observed.items())
        ]
        lines += [f"- source: {code_span(s)}" for s in f.sources]
        if f.accepted:
            lines.append(
                f"- accepted: {escape_text(f.accepted['reason'])} "
                f"Evidence: {escape_text(f.accepted['evidence'])}"
            )
    return "\n".join(lines) + "\n"
