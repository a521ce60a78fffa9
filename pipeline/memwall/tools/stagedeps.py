"""dvc.yaml's code deps: every stage depends on its code manifest, computed from its imports.

A stage's code is its entry module (`memwall.stages.<name>`, which the stage's command
`sh pipeline/run-stage <name>` runs) and every `memwall` module that module imports
(`memwall.imports`). The `code` stage writes those files with their sha256 to
interim/code/<name>.sha256, and each stage lists its manifest under `deps`: editing a module
re-runs exactly the stages that import it, and no hand-kept list of files can go stale.

    python -m memwall.tools.stagedeps --check   # exit 1, naming what dvc.yaml gets wrong

It checks the shape that guarantee rests on: each stage runs `sh pipeline/run-stage <name>`,
depends on its own manifest and on no module file directly (which would look like a
complete list and is not), the `code` stage depends on the whole package, and a stage that
records other stages' code (`CODE_OF_STAGES`) names exactly the stages upstream of it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

from memwall.imports import CODE_OF_STAGES, PACKAGE, STAGES, stage_names, stages_recorded

__all__ = ["manifest_dep", "mismatches", "upstream_stages"]

PACKAGE_DIR = "pipeline/" + PACKAGE
CODE_STAGE = "code"
MANIFESTS = "interim/code"
_ENTRY = re.compile(r"^sh pipeline/run-stage (\w+)$")


def manifest_dep(stage: str) -> str:
    """The dep through which `stage` depends on its code: its manifest."""
    return f"{MANIFESTS}/{stage}.sha256"


def _stages(root: Path) -> dict[str, dict]:
    return yaml.safe_load((root / "dvc.yaml").read_text(encoding="utf-8"))["stages"]


def _paths(entries: list | None) -> list[str]:
    return [str(next(iter(e))) if isinstance(e, dict) else str(e) for e in entries or []]


def upstream_stages(root: Path) -> dict[str, set[str]]:
    """Each stage's ancestors in dvc.yaml (the stages whose outputs it reads, transitively),
    the `code` stage left out: every stage reads its manifest."""
    doc = _stages(root)
    producer = {o: name for name, spec in doc.items() for o in _paths(spec.get("outs"))}

    def made_by(dep: str) -> set[str]:
        return {s for out, s in producer.items() if dep == out or dep.startswith(out + "/")}

    parents = {
        name: set().union(*map(made_by, _paths(spec.get("deps")))) - {CODE_STAGE}
        for name, spec in doc.items()
    }
    ancestors: dict[str, set[str]] = {}

    def walk(name: str) -> set[str]:
        if name not in ancestors:
            ancestors[name] = set()
            for parent in parents[name]:
                ancestors[name] |= {parent} | walk(parent)
        return ancestors[name]

    return {name: walk(name) for name in doc}


def mismatches(root: Path) -> list[str]:
    """One line per way dvc.yaml's stages fail to depend on exactly their code."""
    doc = _stages(root)
    pipeline = root / "pipeline"
    problems = []
    modules = set(stage_names(pipeline))
    if set(doc) != modules:
        problems.append(
            f"dvc.yaml: the stages must be the modules of {STAGES} "
            f"(in dvc.yaml only: {', '.join(sorted(set(doc) - modules)) or '-'}; "
            f"modules only: {', '.join(sorted(modules - set(doc))) or '-'})"
        )
    for stage, spec in doc.items():
        command = " ".join(str(spec.get("cmd", "")).split())
        match = _ENTRY.match(command)
        if match is None or match.group(1) != stage:
            problems.append(
                f"dvc.yaml: the command of stage {stage!r} must be 'sh pipeline/run-stage {stage}'"
            )
        deps = _paths(spec.get("deps"))
        if stage == CODE_STAGE:
            if PACKAGE_DIR not in deps or _paths(spec.get("outs")) != [MANIFESTS]:
                problems.append(
                    f"dvc.yaml: stage {CODE_STAGE!r} must depend on {PACKAGE_DIR} "
                    f"and write {MANIFESTS}"
                )
            continue
        if manifest_dep(stage) not in deps:
            problems.append(f"dvc.yaml: stage {stage!r} must depend on {manifest_dep(stage)}")
        direct = sorted(d for d in deps if d.startswith(PACKAGE_DIR + "/") and d.endswith(".py"))
        if direct:
            problems.append(
                f"dvc.yaml: stage {stage!r} lists code files ({', '.join(direct)}): its "
                f"manifest {manifest_dep(stage)} already covers the code it imports"
            )
    for stage, ancestors in upstream_stages(root).items():
        if stage not in modules:
            continue
        recorded = set(stages_recorded(stage, pipeline))
        if recorded and recorded != ancestors:
            problems.append(
                f"{STAGES}.{stage}: {CODE_OF_STAGES} must name the stages upstream of it in "
                f"dvc.yaml: {', '.join(sorted(ancestors))}"
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    """`--check`: exit 1 naming each problem, 0 when dvc.yaml has the expected shape."""
    ap = argparse.ArgumentParser(prog="memwall.tools.stagedeps", description=__doc__)
    ap.add_argument("--check", action="store_true", required=True, help="check dvc.yaml")
    ap.add_argument("--root", type=Path, default=Path.cwd(), help="the checkout (default: .)")
    args = ap.parse_args(argv)
    problems = mismatches(args.root)
    for p in problems:
        print(f"stagedeps: error: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
