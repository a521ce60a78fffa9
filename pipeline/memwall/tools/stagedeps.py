"""The code each DVC stage depends on, computed from its imports.

A stage's code is its entry module (`memwall.stages.<name>`, which the stage's command
`sh pipeline/run-stage <name>` runs) and every
`memwall` module that module imports, directly or through others, at top level or inside a
function, with the `__init__.py` of every package on the way (importing `memwall.checks.base`
runs `memwall/checks/__init__.py`). dvc.yaml lists exactly these files under each stage's
`deps`, so editing any module a stage runs makes `dvc repro` run that stage again.

    python -m memwall.tools.stagedeps --check   # exit 1, naming what each stage misses
    python -m memwall.tools.stagedeps --write   # rewrite the code lines of dvc.yaml's deps

Only the `.py` lines under `pipeline/memwall/` of each stage's `deps` are code lines; data
deps (raw/, interim/, registries) are written by hand and left alone by `--write`.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

import yaml

PACKAGE = "memwall"
PACKAGE_DIR = "pipeline/memwall"
_ENTRY = re.compile(r"^sh pipeline/run-stage (\w+)$")
STAGES = PACKAGE + ".stages"
_CODE_DEP = re.compile(r"^(\s*)- " + re.escape(PACKAGE_DIR) + r"/\S+\.py\s*$")


def module_file(name: str, pipeline: Path) -> Path | None:
    """The source file of module `name` under `pipeline/` (a package's `__init__.py`)."""
    base = pipeline.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported(tree: ast.AST, module: str, is_package: bool, pipeline: Path) -> set[str]:
    """Names of the `memwall` modules one module's source imports."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.split(".")
                anchor = parts if is_package else parts[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            found.add(base)
            # `from memwall import units` imports the module memwall.units.
            found |= {
                f"{base}.{a.name}"
                for a in node.names
                if module_file(f"{base}.{a.name}", pipeline) is not None
            }
    return {n for n in found if n == PACKAGE or n.startswith(PACKAGE + ".")}


def closure(entry: str, pipeline: Path) -> list[str]:
    """Every module `entry` runs when imported: its imports, transitively, and their packages."""
    seen: set[str] = set()
    todo = [entry]
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # a module's packages run first
            prefix = ".".join(parts[:i])
            if prefix in seen:
                continue
            path = module_file(prefix, pipeline)
            if path is None:
                raise SystemExit(f"stagedeps: error: no module {prefix} under {pipeline}")
            seen.add(prefix)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            todo += _imported(tree, prefix, path.name == "__init__.py", pipeline) - seen
    return sorted(seen)


def stage_entries(dvc_yaml: Path) -> dict[str, str]:
    """The entry module of each stage of dvc.yaml: `memwall.stages.<name>`, run by the
    stage's command `sh pipeline/run-stage <name>` (the stage's own name, nothing else)."""
    doc = yaml.safe_load(dvc_yaml.read_text(encoding="utf-8"))
    entries = {}
    for stage, spec in doc["stages"].items():
        match = _ENTRY.match(" ".join(str(spec.get("cmd", "")).split()))
        if match is None or match.group(1) != stage:
            raise SystemExit(
                f"stagedeps: error: {dvc_yaml}: the command of stage {stage!r} must be "
                f"'sh pipeline/run-stage {stage}'"
            )
        entries[stage] = f"{STAGES}.{stage}"
    return entries


def code_deps(root: Path) -> dict[str, list[str]]:
    """The code files (repo-relative) each stage of `root`/dvc.yaml must depend on."""
    pipeline = root / "pipeline"
    out = {}
    for stage, entry in stage_entries(root / "dvc.yaml").items():
        files = (module_file(m, pipeline) for m in closure(entry, pipeline))
        out[stage] = sorted(p.relative_to(root).as_posix() for p in files if p is not None)
    return out


def declared_code_deps(root: Path) -> dict[str, list[str]]:
    """The `.py` files under the package that dvc.yaml lists in each stage's deps."""
    doc = yaml.safe_load((root / "dvc.yaml").read_text(encoding="utf-8"))
    return {
        stage: sorted(
            d for d in spec.get("deps", []) if d.startswith(PACKAGE_DIR + "/") and d.endswith(".py")
        )
        for stage, spec in doc["stages"].items()
    }


def mismatches(root: Path) -> list[str]:
    """One line per stage whose declared code deps differ from its import closure."""
    declared = declared_code_deps(root)
    problems = []
    for stage, needed in code_deps(root).items():
        missing = sorted(set(needed) - set(declared[stage]))
        extra = sorted(set(declared[stage]) - set(needed))
        if missing:
            problems.append(f"dvc.yaml: stage {stage!r} misses deps {', '.join(missing)}")
        if extra:
            problems.append(
                f"dvc.yaml: stage {stage!r} lists deps it does not import: {', '.join(extra)}"
            )
    return problems


def rewrite(text: str, deps: dict[str, list[str]]) -> str:
    """dvc.yaml's text with each stage's code dep lines replaced by `deps[stage]`.

    The computed lines go where the stage's first code line was (or at the end of its `deps`
    list); every other line, comments included, is kept as written.
    """
    out: list[str] = []
    stage = None
    in_deps = False
    indent = "      "
    written: set[str] = set()

    def flush() -> None:
        if stage in deps and stage not in written:
            out.extend(f"{indent}- {d}" for d in deps[stage])
            written.add(stage)

    for line in text.splitlines():
        stage_match = re.match(r"^  (\w[\w-]*):\s*$", line)
        if stage_match:
            if in_deps:
                flush()
            stage, in_deps = stage_match.group(1), False
            out.append(line)
            continue
        if re.match(r"^    deps:\s*$", line):
            in_deps = True
            out.append(line)
            continue
        if in_deps:
            code = _CODE_DEP.match(line)
            if code:
                indent = code.group(1)
                flush()
                continue
            if not re.match(r"^\s+- ", line):
                flush()
                in_deps = False
        out.append(line)
    if in_deps:
        flush()
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """`--check` (exit 1 on a mismatch) or `--write` dvc.yaml's code deps."""
    ap = argparse.ArgumentParser(prog="memwall.tools.stagedeps", description=__doc__)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="fail when dvc.yaml is out of date")
    mode.add_argument("--write", action="store_true", help="rewrite dvc.yaml's code deps")
    ap.add_argument("--root", type=Path, default=Path.cwd(), help="the checkout (default: .)")
    args = ap.parse_args(argv)
    if args.write:
        dvc_yaml = args.root / "dvc.yaml"
        text = dvc_yaml.read_text(encoding="utf-8")
        new = rewrite(text, code_deps(args.root))
        if new != text:
            dvc_yaml.write_text(new, encoding="utf-8")
            print("stagedeps: dvc.yaml code deps rewritten", file=sys.stderr)
    problems = mismatches(args.root)
    for p in problems:
        print(f"stagedeps: error: {p}", file=sys.stderr)
    if problems:
        print("stagedeps: run 'python -m memwall.tools.stagedeps --write'", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
