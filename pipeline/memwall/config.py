"""Configuration: the only reader of params.yaml and raw/sources.yaml, the owner of every path.

Paths are fixed here, relative to the checkout's root (the directory holding dvc.yaml and
raw/sources.yaml); dvc.yaml writes the same paths literally and a test checks that each
stage declares what it reads and writes (`stages/<name>.py`: `READS`, `WRITES`). A stage
reads its own params section with `stage_params("<name>")`; dvc.yaml's `params:` of the
stage names the same keys, so DVC re-runs it when they change.

    from memwall import config
    paths = config.paths()                  # relative to the root when run from it (stages)
    params = config.stage_params("findings")
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from memwall.sources import Catalog, load_catalog

# The package's own registries: what `memwall validate` reads outside a checkout.
PACKAGE_DATA = Path(__file__).resolve().parent / "data"


class ConfigError(LookupError):
    """No checkout, or a params file without the expected section; the message says which."""


def find_root(start: Path | None = None, installed: bool = True) -> Path:
    """The memwall checkout: the first of `start` (default: cwd) and its parents holding
    dvc.yaml and raw/sources.yaml, else (with `installed`) the checkout this package is
    imported from."""
    start = (start or Path.cwd()).resolve()
    fallback = [Path(__file__).resolve().parents[2]] if installed else []
    for candidate in (start, *start.parents, *fallback):
        if (candidate / "dvc.yaml").is_file() and (candidate / "raw" / "sources.yaml").is_file():
            return candidate
    raise ConfigError(f"no memwall checkout (dvc.yaml and raw/sources.yaml) above {start}")


# Areas whose stage writes interim/<area>_findings.json for the findings stage to gather (each
# area's stage runs its own checks; `findings` applies acceptances and writes one report).
FINDING_AREAS: tuple[str, ...] = ("hardware", "figures", "history", "crossref")


@dataclass(frozen=True)
class Paths:
    """Every path of a checkout at `root`; relative when `root` is `Path(".")`."""

    root: Path

    @cached_property
    def params(self) -> Path:
        return self.root / "params.yaml"

    @cached_property
    def raw(self) -> Path:
        """Raw snapshots, never modified."""
        return self.root / "raw"

    @cached_property
    def sources(self) -> Path:
        """The catalogue of raw snapshots and their origin."""
        return self.raw / "sources.yaml"

    @cached_property
    def interim(self) -> Path:
        """Files between stages (DVC outputs, git-ignored, not published)."""
        return self.root / "interim"

    @cached_property
    def code_manifests(self) -> Path:
        """One manifest per stage of the code it runs (the `code` stage's output)."""
        return self.interim / "code"

    @cached_property
    def processed(self) -> Path:
        """The published dataset (what users pull)."""
        return self.root / "processed"

    @cached_property
    def reports(self) -> Path:
        """What reviewers read: findings, quality report, metrics."""
        return self.root / "reports"

    @cached_property
    def package(self) -> Path:
        """The code of the pipeline."""
        return self.root / "pipeline" / "memwall"

    @cached_property
    def data(self) -> Path:
        """Registries: corrections, aliases, accepted findings, expectations."""
        return self.package / "data"

    @cached_property
    def corrections(self) -> Path:
        return self.data / "corrections.yaml"

    @cached_property
    def aliases(self) -> Path:
        return self.data / "aliases.yaml"

    @cached_property
    def accepted(self) -> Path:
        return self.data / "accepted.yaml"

    @cached_property
    def expectations(self) -> Path:
        """Hand-written great-expectations suites (what fields.py cannot say)."""
        return self.data / "expectations"

    @cached_property
    def data_docs(self) -> Path:
        return self.reports / "data_docs"

    # --- site (issue 15) ---
    @cached_property
    def site(self) -> Path:
        """The dataset's static site (reports/site/index.html), built by the `site` stage."""
        return self.reports / "site"

    @cached_property
    def changelog(self) -> Path:
        return self.root / "CHANGELOG.md"

    @cached_property
    def validation(self) -> Path:
        """The validate stage's summary (the pandera gate), read by findings, export, site."""
        return self.interim / "validation.json"

    # --- trends (issue 14) ---
    @cached_property
    def trend_definitions(self) -> Path:
        """What the trends stage fits: series, comparison rows, headline, plot groups."""
        return self.data / "trends.yaml"

    @cached_property
    def trends(self) -> Path:
        """The fits, for programs and the site (reports/trends.json)."""
        return self.reports / "trends.json"

    @cached_property
    def trends_dir(self) -> Path:
        """reports/trends/: fits/ (one flat JSON per fit), plots/ (CSV), figures/ (SVG, PNG)."""
        return self.reports / "trends"

    @cached_property
    def trends_markdown(self) -> Path:
        return self.reports / "trends.md"

    # --- headline metrics (issue 17): what `dvc metrics show` prints ---
    @cached_property
    def metrics(self) -> Path:
        """reports/metrics/: findings.json and quality.json, a few flat numbers each."""
        return self.reports / "metrics"

    @cached_property
    def growth(self) -> Path:
        """reports/growth/: one headline growth-rate metrics file per quantity (trends)."""
        return self.reports / "growth"

    @cached_property
    def epoch_models(self) -> Path:
        """Epoch AI's Notable AI Models snapshot (registered in raw/sources.yaml)."""
        return self.raw / "epoch" / "notable_ai_models.csv"

    # --- hardware and figures (issue 12) ---
    @cached_property
    def hardware_snapshot(self) -> Path:
        """Epoch AI's accelerator datasheets (CC BY 4.0), byte for byte."""
        return self.raw / "epoch" / "ml_hardware.csv"

    @cached_property
    def hardware_columns(self) -> Path:
        """Which Epoch AI column becomes which hardware column, and in what unit."""
        return self.data / "hardware_columns.yaml"

    @cached_property
    def figures_raw(self) -> Path:
        """Upstream's figure PDFs, one folder per vintage."""
        return self.raw / "figures"

    @cached_property
    def figures_readme(self) -> Path:
        """The vintages (folder, commit, time) of the figure PDFs."""
        return self.figures_raw / "README.md"

    @cached_property
    def figure_labels(self) -> Path:
        """Reviewed map of figure labels to hardware_id."""
        return self.data / "figure_labels.yaml"

    @cached_property
    def crosscheck_report(self) -> Path:
        """What each figure series measures, by datasheet metric."""
        return self.reports / "figure_crosscheck.md"

    # Upstream history (issue 11).
    @cached_property
    def upstream_index(self) -> Path:
        """Upstream's README versions: seq, file, commit, committed_utc, subject."""
        return self.raw / "upstream" / "index.csv"

    @cached_property
    def unit_conventions(self) -> Path:
        """Upstream's unit conventions per README version."""
        return self.data / "unit_conventions.yaml"

    @cached_property
    def unit_conventions_schema(self) -> Path:
        return self.data / "unit_conventions.schema.json"

    @cached_property
    def history_findings(self) -> Path:
        return self.interim / "history_findings.json"

    # --- cross-reference with Epoch AI's Notable AI Models (stage crossref) ---
    @cached_property
    def reference_models(self) -> Path:
        """Epoch AI's Notable AI Models snapshot (CC BY 4.0)."""
        return self.raw / "epoch" / "notable_ai_models.csv"

    @cached_property
    def reference_columns(self) -> Path:
        """How the reference's columns are read (schema: same stem, .schema.json)."""
        return self.data / "reference_columns.yaml"

    @cached_property
    def reference_names(self) -> Path:
        """The reviewed identity registry model_id -> reference Model name."""
        return self.data / "reference_names.yaml"


def paths(root: Path | None = None) -> Paths:
    """The paths of the checkout at `root`; by default relative paths when the current
    directory is the root (as DVC runs stages), else the checkout found from it."""
    if root is not None:
        return Paths(root)
    here = Path(".")
    if (here / "dvc.yaml").is_file() and (here / "raw" / "sources.yaml").is_file():
        return Paths(here)
    return Paths(find_root())


def params(root: Path | None = None) -> dict:
    """The whole of params.yaml of the checkout."""
    return read_params(paths(root).params)


def read_params(path: Path) -> dict:
    """A params file (params.yaml or one passed to `memwall validate --params`)."""
    try:
        doc = safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: not a mapping of params sections")
    return doc


def safe_load(text: str, name: str | Path | None = None) -> object:
    """`yaml.safe_load` by libyaml when PyYAML has it (params.yaml: ~10x faster); a text it
    refuses is read again by PyYAML's own loader, so a `yaml.YAMLError` is always PyYAML's.
    `name` (the file the text is from) is what a syntax error's position names."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass
    if name is None:
        return yaml.safe_load(text)
    stream = io.StringIO(text)
    stream.name = str(name)
    return yaml.safe_load(stream)


def stage_params(stage: str, root: Path | None = None) -> dict:
    """The params section named after a stage (`normalize:` in params.yaml)."""
    doc = params(root)
    if not isinstance(doc.get(stage), dict):
        raise ConfigError(f"{paths(root).params}: no '{stage}:' section")
    return doc[stage]


# The keys of the trends stage's config that are params (params.yaml `trends:`); the rest
# (series, compare, headline, plots) is read from `Paths.trend_definitions`.
TREND_PARAMS = ("resamples", "seed", "level")


def trends_config(root: Path | None = None) -> dict:
    """The trends stage's config: the bootstrap params of params.yaml `trends:` and the
    definitions of `Paths.trend_definitions`, one mapping (a key in both is refused)."""
    where = paths(root).trend_definitions
    try:
        definitions = safe_load(where.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{where}: no such file") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"{mark.line + 1}:{mark.column + 1}" if mark else "1"
        raise ConfigError(f"{where}:{at}: not valid YAML: {exc.problem}") from None
    if not isinstance(definitions, dict):
        raise ConfigError(f"{where}:1: not a mapping of {', '.join(TREND_DEFINITIONS)}")
    bootstrap = stage_params("trends", root)
    unknown = sorted(set(bootstrap) - set(TREND_PARAMS))
    if unknown:
        raise ConfigError(
            f"{paths(root).params}: trends: unknown keys {', '.join(unknown)}; the bootstrap "
            f"keys are {', '.join(TREND_PARAMS)} (the rest belongs in {where})"
        )
    both = sorted(set(bootstrap) & set(definitions))
    if both:
        raise ConfigError(f"{where}:1: {', '.join(both)} also in params.yaml trends:; keep one")
    for key, value in definitions.items():
        shape = TREND_DEFINITIONS.get(key)
        if shape is None:
            raise ConfigError(
                f"{where}:{_line(where, key)}: unknown key {key!r}; "
                f"the keys are {', '.join(TREND_DEFINITIONS)}"
            )
        kind, items = shape
        if (
            not isinstance(value, kind)
            or not value
            or not all(isinstance(v, items) for v in (value.values() if kind is dict else value))
        ):
            raise ConfigError(
                f"{where}:{_line(where, key)}: {key} must be a non-empty "
                f"{'mapping' if kind is dict else 'list'} of "
                f"{'mappings' if items is dict else 'lists'}"
            )
    if "series" not in definitions:
        raise ConfigError(f"{where}:1: no 'series:' list")
    return {**bootstrap, **definitions}


# The keys of `Paths.trend_definitions`: (the type of the value, the type of its items).
TREND_DEFINITIONS = {
    "series": (list, dict),
    "compare": (list, dict),
    "headline": (dict, dict),
    "plots": (dict, list),
}


def _line(path: Path, key: str) -> int:
    """The line of a top-level key of a YAML mapping file (1 when it is not found)."""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text.startswith(f"{key}:"):
            return number
    return 1


def check_params(doc: dict) -> dict:
    """The consistency checks' thresholds from a parsed params.yaml: the `findings` section
    with the GB basis (normalize) and the newest accepted date (validate), typed."""
    thresholds = doc["findings"]
    return {
        "gb_basis": int(doc["normalize"]["gb_basis"]),
        "bytes_per_param": float(thresholds["bytes_per_param"]),
        "optimizer_ratios": [float(r) for r in str(thresholds["optimizer_ratios"]).split()],
        "inference_ratio_min": float(thresholds["inference_ratio_min"]),
        "inference_ratio_max": float(thresholds["inference_ratio_max"]),
        "copy_min_identical": int(thresholds["copy_min_identical"]),
        "earliest_date": str(thresholds["earliest_date"]),
        "latest_date": str(doc["validate"]["latest_date"]),
        "year_tolerance": int(thresholds["year_tolerance"]),
    }


def catalog(root: Path | None = None) -> Catalog:
    """raw/sources.yaml of the checkout: its sources (oldest first), licence and citation."""
    return load_catalog(paths(root).sources)


def registered_sources(root: Path | None = None) -> dict[str, str]:
    """Raw path -> source id of every source in raw/sources.yaml ({} without a checkout)."""
    try:
        if not paths(root).sources.is_file():
            return {}
        return {s.path: s.id for s in catalog(root).sources}
    except ConfigError:
        return {}


def source_urls(sources_yaml: str) -> dict[str, str]:
    """Source id -> URL at its commit, from the text of a raw/sources.yaml (any revision)."""
    doc = yaml.safe_load(sources_yaml) or {}
    return {s["id"]: s["url"] for s in doc.get("sources", []) if "url" in s}
