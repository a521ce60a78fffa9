"""Stage `metadata`: datapackage.json and croissant.json of the published files.

Reads the exported CSV and Parquet files in processed/ (sizes, sha256), raw/sources.yaml
(licence, sources, citation) and params `dataset.version`. Writes processed/datapackage.json
(Frictionless Data Package) and processed/croissant.json (MLCommons Croissant).
Library: `memwall.metadata`.
"""

from __future__ import annotations

import sys

from memwall import config, stagerun
from memwall.metadata import PUBLISHED, croissant, datapackage
from memwall.writers import write_json


@stagerun.guarded("metadata")
def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    catalog = config.catalog()
    version = str(config.stage_params("dataset")["version"])
    processed = paths.processed
    write_json(datapackage(catalog, version, processed), processed / "datapackage.json")
    write_json(croissant(catalog, version, processed), processed / "croissant.json")
    print(f"metadata: {len(PUBLISHED)} tables described", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
