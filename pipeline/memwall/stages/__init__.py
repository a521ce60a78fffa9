"""The pipeline's stages: the only modules dvc.yaml runs (`sh pipeline/run-stage <name>`).

One module per stage, named after it, each thin: read config -> load inputs -> call the
library -> save outputs. Nothing imports a stage module; library code lives one import away.
"""

import sys

# `python -m memwall.stages.<name>` imports this package first: an interpreter without the
# project's dependencies gets the fix, not a traceback (one process per stage, no probe).
try:
    import polars  # noqa: F401
    import yaml  # noqa: F401
except ImportError as _missing:
    sys.stderr.write(
        f"run-stage: error: {sys.executable} cannot import the project's dependencies "
        f"({_missing}).\nrun-stage: create the project environment with 'make venv', then run "
        "'dvc repro' again; 'dvc checkout' restores outputs from the cache.\n"
    )
    raise SystemExit(2) from None
