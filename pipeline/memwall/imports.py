"""Which code a stage runs: the import closure of its entry module, read from the source.

A stage's code is its entry module `memwall.stages.<name>` and every `memwall` module that
module imports, directly or through others, at top level or inside a function, with the
`__init__.py` of every package on the way. A stage whose outputs record the code of other
stages (the export stage's lineage names the code that built every published table) says so
with a module-level `CODE_OF_STAGES = ("parse", ...)`: its code is then the union of those
stages' closures and its own.

The `code` stage writes these files, with their sha256, as one manifest per stage
(`code_manifest`, interim/code/<stage>.sha256) and each stage depends on its manifest: an
edit re-runs exactly the stages whose code it touches, and no list of files in dvc.yaml can
go stale. The lineage hashes the same files, so the two cannot disagree.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

PACKAGE = "memwall"
STAGES = PACKAGE + ".stages"
CODE_OF_STAGES = "CODE_OF_STAGES"


def module_file(name: str, pipeline: Path) -> Path | None:
    """The source file of module `name` under `pipeline/` (a package's `__init__.py`)."""
    base = pipeline.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


# The fields of a statement that hold statements: an import is a statement, so it is found
# by walking these alone (expressions, a module's bulk, cannot hold one).
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def _statements(tree: ast.AST):
    """Every statement of `tree`, nested ones (in functions, classes, if, try...) included."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        for field in _BLOCKS:
            todo.extend(getattr(node, field, ()))


def _imported(tree: ast.AST, module: str, is_package: bool, pipeline: Path) -> set[str]:
    """Names of the `memwall` modules one module's source imports."""
    found: set[str] = set()
    for node in _statements(tree):
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
    todo = [(entry, None)]
    while todo:
        name, importer = todo.pop()
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # a module's packages run first
            prefix = ".".join(parts[:i])
            if prefix in seen:
                continue
            path = module_file(prefix, pipeline)
            if path is None:
                by = f" (imported by {importer})" if importer else ""
                raise LookupError(f"no module {prefix} under {pipeline}{by}")
            seen.add(prefix)
            todo += [(n, path) for n in _module_imports(prefix, path, pipeline) - seen]
    return sorted(seen)


# (module, file, source) -> the memwall modules it imports: the manifests of 13 stages walk
# the same modules again and again; each source text is parsed once per process.
_IMPORTS_SEEN: dict[tuple[str, str, str], frozenset[str]] = {}


def _module_imports(name: str, path: Path, pipeline: Path) -> frozenset[str]:
    source = path.read_text(encoding="utf-8")
    key = (name, str(path), source)
    if key not in _IMPORTS_SEEN:
        tree = ast.parse(source, filename=str(path))
        _IMPORTS_SEEN[key] = frozenset(_imported(tree, name, path.name == "__init__.py", pipeline))
    return _IMPORTS_SEEN[key]


def stages_recorded(stage: str, pipeline: Path) -> tuple[str, ...]:
    """The stages whose code `stage` records: its `CODE_OF_STAGES`, or none."""
    path = module_file(f"{STAGES}.{stage}", pipeline)
    if path is None:
        raise LookupError(f"no module {STAGES}.{stage} under {pipeline}")
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", None) == CODE_OF_STAGES for t in node.targets
        ):
            return tuple(ast.literal_eval(node.value))
    return ()


def stage_modules(stage: str, pipeline: Path) -> list[str]:
    """Every module stage `stage` depends on: its closure and that of each stage it records."""
    names: set[str] = set()
    for name in (stage, *stages_recorded(stage, pipeline)):
        names.update(closure(f"{STAGES}.{name}", pipeline))
    return sorted(names)


def stage_files(stage: str, pipeline: Path) -> list[Path]:
    """The source files of `stage_modules`, in module-name order."""
    return [p for m in stage_modules(stage, pipeline) if (p := module_file(m, pipeline))]


def stage_names(pipeline: Path) -> list[str]:
    """The stages: one module per stage under `memwall/stages/` (dvc.yaml runs each)."""
    folder = pipeline.joinpath(*STAGES.split("."))
    return sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")


def code_manifest(stage: str, pipeline: Path) -> str:
    """`stage`'s code as `sha256sum` prints it: one "<sha256>  <path>" line per file of
    `stage_files`, the path relative to the checkout (`sha256sum -c` checks it there)."""
    root = pipeline.parent
    return "".join(
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(root).as_posix()}\n"
        for path in stage_files(stage, pipeline)
    )
