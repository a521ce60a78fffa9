"""Every problem and finding code the package emits is declared once in memwall.codes."""

from __future__ import annotations

import ast
import json
import re

import pytest

from memwall import codes
from support import REPO

PACKAGE = REPO / "pipeline" / "memwall"
SEVERITY_NAMES = {"ERROR": codes.ERROR, "WARNING": codes.WARNING}


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def emitted(tree: ast.AST) -> list[tuple[int, str, str | None]]:
    """(line, code, severity name or None) of each code literal an emitter is given:
    Problem(path, line, col, SEVERITY, "code", ...), Rule("code", ...), RowError(l, c, "code",
    ...), Finding(code="code", severity=SEVERITY), declared_finding("code", ...), and
    `"code": "..."` in a record."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            keywords = {k.arg: k.value for k in node.keywords}
            severity = keywords.get("severity")
            code = _literal(keywords.get("code"))
            if name == "Problem" and len(node.args) >= 5:
                code, severity = _literal(node.args[4]), node.args[3]
            elif name == "Rule" and node.args:
                code = _literal(node.args[0])
            elif name == "RowError" and len(node.args) >= 3:
                code = _literal(node.args[2])
            elif name == "declared_finding" and node.args:
                code = _literal(node.args[0])
            if code is not None:
                found.append((node.lineno, code, getattr(severity, "id", None)))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if _literal(key) == "code" and _literal(value) is not None:
                    found.append((node.lineno, _literal(value), None))
    return found


def all_emitted() -> list[tuple[str, int, str, str | None]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "codes.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        out += [(path.relative_to(REPO).as_posix(), *hit) for hit in emitted(tree)]
    return out


def test_the_scan_finds_the_codes_of_each_kind_of_emitter():
    hits = {code for _, _, code, _ in all_emitted()}
    # one per emitter kind: Problem, Rule, RowError, Finding, a ledger record
    assert {"bom", "range", "unit", "memory-sum", "dropped"} <= hits


def test_every_emitted_code_is_declared():
    undeclared = [
        f"{path}:{line}: {code}"
        for path, line, code, _ in all_emitted()
        if code not in codes.CATALOGUE
    ]
    assert undeclared == []


def test_a_literal_severity_agrees_with_the_catalogue():
    disagree = [
        f"{path}:{line}: {code} is {SEVERITY_NAMES[sev]}, declared {codes.get(code).severity}"
        for path, line, code, sev in all_emitted()
        if sev in SEVERITY_NAMES and code in codes.CATALOGUE
        if SEVERITY_NAMES[sev] != codes.get(code).severity
    ]
    assert disagree == []


def test_every_check_is_declared_in_the_checks_section():
    from memwall.checks import CHECKS

    assert set(CHECKS) == {c.code for c in codes.CHECKS}


def test_a_code_declared_twice_is_refused():
    twice = (codes.Code("x", codes.ERROR, "X", "x"), codes.Code("x", codes.ERROR, "X", "y"))
    try:
        codes._catalogue(twice)
    except ValueError as exc:
        assert "'x' is declared twice" in str(exc)
    else:
        raise AssertionError("a code declared twice was accepted")


def test_readme_quality_table_lists_each_check_with_its_declared_severity():
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    readme = readme.split("\n## Quality\n", 1)[1].split("\n## ", 1)[0]  # the checks' table
    row = re.compile(r"^\| `([a-z-]+)` \| (error|warning|info)(?: / [a-z]+)? \|", re.M)
    rows = dict(row.findall(readme))
    assert rows == {c.code: c.severity for c in codes.CHECKS}


def _as_pattern(template: str) -> re.Pattern:
    """A template as a regular expression: each `{field}` matches any text, empty included."""
    parts = re.split(r"\{[^{}]*\}", template)
    return re.compile(".*?".join(re.escape(p) for p in parts) + r"\Z", re.S)


def test_finding_messages_come_from_the_catalogue_not_from_inline_text():
    """No `Finding(...)` is given a message written in place: the wording lives in codes.py."""
    inline = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Finding":
                message = {k.arg: k.value for k in node.keywords}.get("message")
                if isinstance(message, ast.JoinedStr | ast.Constant | ast.BinOp):
                    inline.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert inline == []


@pytest.mark.slow
def test_every_published_finding_reads_as_its_declared_template(built_repo):
    """Each finding the pipeline publishes says what its code's template (or a declared
    variant) says, with only the fields filled in."""
    report = json.loads((built_repo / "reports" / "findings.json").read_text(encoding="utf-8"))
    assert report["findings"], "the built dataset has findings to read"
    off_template = [
        f"{f['code']}: {f['message']}"
        for f in report["findings"]
        if not any(_as_pattern(t).match(f["message"]) for t in codes.get(f["code"]).templates())
    ]
    assert off_template == []


def test_a_variant_is_worded_by_its_own_template():
    code = codes.get("date-out-of-range")
    future = code.message("future", text="1/1/2099", date="2099-01-01", bound="2026-01-01")
    before = code.message(text="1/1/1900", date="1900-01-01", bound="2000-01-01")
    assert "is in the future of 2026-01-01" in future
    assert "is before 2000-01-01" in before
