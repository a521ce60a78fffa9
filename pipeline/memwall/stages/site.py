"""Stage `site`: the dataset's static site, for people, readable offline from disk.

Reads the published tables (processed/{models,memory,provenance}.parquet, with their CSV and
JSON beside them offered for download), processed/lineage.json, interim/validation.json (the
pandera gate), reports/findings.json, reports/quality.json, the corrections registry and
CHANGELOG.md; when present, the hardware table, the trends fits (reports/trends.json) and
figures (reports/trends/figures/). Writes reports/site/ (index.html first).
Library: `memwall.site` (inputs, pages, render).
"""

from __future__ import annotations

import sys

from memwall import config
from memwall.site import build_site, load_inputs


def main() -> int:
    """Run the stage from the checkout's root."""
    paths = config.paths()
    inputs = load_inputs(
        processed=paths.processed,
        reports=paths.reports,
        corrections=paths.corrections,
        changelog=paths.changelog,
        validation=paths.validation,
    )
    files = build_site(inputs, paths.site)
    print(f"site: {len(files)} files; open {paths.site / 'index.html'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
