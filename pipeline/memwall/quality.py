"""The great-expectations quality report over the exported tables, for people.

pandera (in `validate`) is the gate; the `quality` stage publishes a quality report: it runs
the suites of `memwall.expectations` (the structure from fields.py plus the hand-written
`data/expectations/*.json`) and renders GX Data Docs. The context is ephemeral and the site is
rebuilt whole each run, so no history piles up; progress bars are off. Data Docs carry run
timestamps; the summary (expectations evaluated and passed, per suite) is the deterministic
part, kept as a DVC metrics file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl


def _context(site: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites={
            "memwall": {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(site.resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        analytics_enabled=False,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def run_quality(tables: dict[str, pl.DataFrame], suites: dict[str, dict], site: Path, params: dict):
    """Validate each table with its suite, build Data Docs in `site`; return a summary.

    The site is built in a sibling temporary directory and moved into place at the end, so a
    run killed half-way leaves the previous site whole (or none), never a partial one.
    """
    building = site.with_name(f".{site.name}.building")
    if building.exists():
        shutil.rmtree(building)
    building.mkdir(parents=True)
    summary = _validate_and_render(tables, suites, building, params)
    replaced = site.with_name(f".{site.name}.replaced")
    if site.exists():
        site.rename(replaced)
    building.rename(site)
    if replaced.exists():
        shutil.rmtree(replaced)
    return summary


def _validate_and_render(
    tables: dict[str, pl.DataFrame], suites: dict[str, dict], site: Path, params: dict
) -> dict:
    import great_expectations as gx

    context = _context(site)
    source = context.data_sources.add_pandas("memwall")
    summary: dict[str, dict] = {}
    for name, spec in suites.items():
        suite = context.suites.add(
            gx.ExpectationSuite(name=name, expectations=spec["expectations"], meta=spec["meta"])
        )
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{name}-published", data=batch, suite=suite)
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=f"{name}-checkpoint",
                validation_definitions=[definition],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="docs")],
            )
        )
        result = checkpoint.run(
            batch_parameters={"dataframe": tables[name].to_pandas()},
            expectation_parameters=params,
        )
        (validation,) = result.run_results.values()
        failed = sorted(
            f"{r.expectation_config.type} {r.expectation_config.kwargs.get('column', '')}".strip()
            for r in validation.results
            if not r.success
        )
        summary[name] = {
            "expectations": len(validation.results),
            "passed": sum(1 for r in validation.results if r.success),
            "failed": failed,
        }
    context.build_data_docs()
    return summary
