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
import re
import sys
from pathlib import Path

import yaml

from memwall.imports import CODE_OF_STAGES, PACKAGE, STAGES, closure, stage_files, stages_recorded

__all__ = ["closure", "code_deps", "mismatches", "rewrite"]

PACKAGE_DIR = "pipeline/" + PACKAGE
_ENTRY = re.compile(r"^sh pipeline/run-stage (\w+)$")
_CODE_DEP = re.compile(r"^(\s*)- " + re.escape(PACKAGE_DIR) + r"/\S+\.py\s*$")


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
    for stage in stage_entries(root / "dvc.yaml"):
        try:
            files = stage_files(stage, pipeline)
        except LookupError as exc:
            raise SystemExit(f"stagedeps: error: {exc}") from None
        out[stage] = sorted(p.relative_to(root).as_posix() for p in files)
    return out


def upstream_stages(root: Path) -> dict[str, set[str]]:
    """Each stage's ancestors in dvc.yaml: the stages whose outputs it reads, transitively."""
    doc = yaml.safe_load((root / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    producer = {str(o): name for name, spec in doc.items() for o in spec.get("outs", [])}

    def made_by(dep: str) -> set[str]:
        return {s for out, s in producer.items() if dep == out or dep.startswith(out + "/")}

    parents = {name: set().union(*map(made_by, spec.get("deps", []))) for name, spec in doc.items()}
    ancestors: dict[str, set[str]] = {}

    def walk(name: str) -> set[str]:
        if name not in ancestors:
            ancestors[name] = set()
            for parent in parents[name]:
                ancestors[name] |= {parent} | walk(parent)
        return ancestors[name]

    return {name: walk(name) for name in doc}


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
    pipeline = root / "pipeline"
    for stage, ancestors in upstream_stages(root).items():
        recorded = set(stages_recorded(stage, pipeline))
        if recorded and recorded != ancestors:
            problems.append(
                f"{STAGES}.{stage}: {CODE_OF_STAGES} must name the stages upstream of it in "
                f"dvc.yaml: {', '.join(sorted(ancestors))}"
            )
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
        if in_deps and line.lstrip().startswith("#"):
            out.append(line)  # a comment inside the deps list stays where it is
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
