"""Every problem and finding code the package emits is declared once in memwall.codes."""

from __future__ import annotations

import ast

from memwall import codes
from support import REPO

PACKAGE = REPO / "pipeline" / "memwall"
SEVERITY_NAMES = {"ERROR": codes.ERROR, "WARNING": codes.WARNING}


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def emitted(tree: ast.AST) -> list[tuple[int, str, str | None]]:
    """(line, code, severity name or None) of each code literal an emitter is given:
    Problem(path, line, col, SEVERITY, "code", ...), Rule("code", ...), RowError(l, c, "code",
    ...), Finding(code="code", severity=SEVERITY), and `"code": "..."` in a record."""
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
