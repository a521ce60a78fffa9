"""The great-expectations quality report over the exported tables, for people.

pandera (in `validate`) is the gate; the `quality` stage publishes a quality report: it runs
the suites of `memwall.expectations` (the structure from fields.py plus the hand-written
`data/expectations/*.json`) and renders GX Data Docs. The context is ephemeral and the site is
rebuilt whole each run, so no history piles up; progress bars are off.

GX stamps Data Docs with the wall clock (the run time, each batch's load time, a cache-busting
query on its logo URL) and with random ids for collapsible blocks. Inside `frozen_clock` those
read one given time (the caller passes the newest raw source's commit time: the data's "as
of") and a counter, so the same tables give the same bytes, as every other artifact does.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import types
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl


@contextmanager
def frozen_clock(when: dt.datetime) -> Iterator[None]:
    """Within the block, the GX modules that stamp Data Docs see `when` as "now" and number
    their block ids 0, 1, 2... (pinned great-expectations; a test rebuilds and compares bytes)."""
    from great_expectations.execution_engine import pandas_execution_engine
    from great_expectations.render.view import view

    class FrozenDatetime(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:
            return when if tz is None else when.astimezone(tz)

    clock = types.SimpleNamespace(**{k: getattr(dt, k) for k in dir(dt) if not k.startswith("_")})
    clock.datetime = FrozenDatetime
    ids = itertools.count()
    saved = (view.datetime, pandas_execution_engine.datetime, view.uuid4)
    view.datetime = pandas_execution_engine.datetime = clock
    view.uuid4 = lambda: uuid.UUID(int=next(ids))
    try:
        yield
    finally:
        view.datetime, pandas_execution_engine.datetime, view.uuid4 = saved


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


def run_quality(
    tables: dict[str, pl.DataFrame],
    suites: dict[str, dict],
    site: Path,
    params: dict,
    as_of: dt.datetime,
):
    """Validate each table with its suite, build Data Docs in `site`; return a summary.

    `as_of` (timezone-aware) is the run time the Data Docs show, for every run on these data.

    The site is built in a sibling temporary directory and moved into place at the end, so a
    run killed half-way leaves the previous site whole (or none), never a partial one.
    """
    building = site.with_name(f".{site.name}.building")
    if building.exists():
        shutil.rmtree(building)
    building.mkdir(parents=True)
    with frozen_clock(as_of):
        summary = _validate_and_render(tables, suites, building, params, as_of)
    replaced = site.with_name(f".{site.name}.replaced")
    if site.exists():
        site.rename(replaced)
    building.rename(site)
    if replaced.exists():
        shutil.rmtree(replaced)
    return summary


def _validate_and_render(
    tables: dict[str, pl.DataFrame],
    suites: dict[str, dict],
    site: Path,
    params: dict,
    as_of: dt.datetime,
) -> dict:
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

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
            gx.Checkpoint(name=f"{name}-checkpoint", validation_definitions=[definition])
        )
        result = checkpoint.run(
            batch_parameters={"dataframe": tables[name].to_pandas()},
            expectation_parameters=params,
            run_id=RunIdentifier(run_name=f"{name}-published", run_time=as_of),
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
