"""Stage `code`: each stage's code as a manifest, so `dvc repro` re-runs what an edit touches.

Reads every module under pipeline/memwall/ (the stage's one dep is that directory). Writes
interim/code/<stage>.sha256 for every other stage: the sha256 and path of each file the
stage imports (its import closure, `memwall.imports`), in `sha256sum` format. Each stage
depends on its own manifest, which changes exactly when a file it runs changes.
Library: `memwall.imports`.
"""

from __future__ import annotations

import sys

from memwall import config, stagerun
from memwall.imports import code_manifest, stage_names


@stagerun.guarded("code")
def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    pipeline = paths.root / "pipeline"
    paths.code_manifests.mkdir(parents=True, exist_ok=True)
    stages = [name for name in stage_names(pipeline) if name != "code"]
    for name in stages:
        try:
            text = code_manifest(name, pipeline)
        except LookupError as exc:
            raise config.ConfigError(f"stage {name}: {exc}") from None
        (paths.code_manifests / f"{name}.sha256").write_text(text, encoding="utf-8")
    print(f"code: {len(stages)} stage manifests in {paths.code_manifests}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
