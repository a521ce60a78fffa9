"""Load the published tables in one line, at the checkout or at a tagged version.

`load()` reads `processed/<table>.parquet` from the local checkout; `load(version="v0.1.0")`
reads the same artifact at that git tag through `dvc.api` (from the local repository or a git
URL, with data from the DVC cache or remote). `provenance()` answers "where does this value
come from?" for one cell.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from memwall import config
from memwall.fields import PROVENANCE, PROVENANCE_TABLES, PUBLISHED_TABLES

PUBLISHED = (*PUBLISHED_TABLES, "provenance")
# Where the published files and the source catalogue sit in any revision of the repository.
IN_REPO = config.Paths(Path("."))


class DatasetError(LookupError):
    """A table, version, row or artifact that cannot be found; the message says what to do."""


def _root() -> Path:
    try:
        return config.find_root()
    except config.ConfigError:
        raise DatasetError(
            "no memwall checkout found from the current directory; pass repo="
        ) from None


def _check_table(table: str) -> None:
    if table not in PUBLISHED:
        raise DatasetError(f"unknown table {table!r}; valid tables: {', '.join(PUBLISHED)}")


def _read_versioned(path: str, version: str | None, repo: str | None) -> bytes:
    """Bytes of a DVC- or git-tracked file at `version` of `repo`, with dvc's errors made short."""
    try:
        import dvc.api
        from dvc.exceptions import DvcException
        from scmrepo.exceptions import SCMError
    except ImportError:
        raise DatasetError("reading a version needs DVC: pip install 'dvc[s3]'") from None

    where = f"{path} at {version or 'HEAD'} of {repo}"
    try:
        with dvc.api.open(path, repo=repo, rev=version, mode="rb") as fh:
            return fh.read()
    except (DvcException, SCMError, FileNotFoundError) as exc:
        hint = "check the tag (git tag -l 'v*') and that the DVC remote holds the data (dvc push)"
        raise DatasetError(f"cannot read {where}: {type(exc).__name__}: {exc}; {hint}") from None


def load(
    table: str = "models", version: str | None = None, repo: str | None = None
) -> pl.DataFrame:
    """A published table as a polars DataFrame.

    With neither `version` nor `repo`: `processed/<table>.parquet` of the local checkout
    (found from the current directory). With `version` (a git tag such as "v0.1.0", or any
    revision) and/or `repo` (a local path or git URL; default: the local checkout): that
    revision's artifact through `dvc.api`.

    >>> import memwall
    >>> memwall.load("models").filter(model_id="gpt-3")["params"].item()  # doctest: +SKIP
    175000000000
    """
    _check_table(table)
    if version is None and repo is None:
        root = _root()
        path = config.paths(root).processed / f"{table}.parquet"
        if not path.is_file():
            raise DatasetError(
                f"{path} is missing: run `dvc pull` (or `dvc repro`) in {root}, "
                "or pass version='vX.Y.Z' to read a tagged release"
            )
        return pl.read_parquet(path)
    path = (IN_REPO.processed / f"{table}.parquet").as_posix()
    return pl.read_parquet(io.BytesIO(_read_versioned(path, version, repo or str(_root()))))


def _source_urls(version: str | None, repo: str | None) -> dict[str, str]:
    """Source id -> URL of the raw file at its upstream commit (raw/sources.yaml)."""
    if version is None and repo is None:
        text = config.paths(_root()).sources.read_text(encoding="utf-8")
    else:
        text = _read_versioned(IN_REPO.sources.as_posix(), version, repo or str(_root())).decode()
    return config.source_urls(text)


def provenance(
    model_id: str,
    field: str,
    table: str = "models",
    version: str | None = None,
    repo: str | None = None,
) -> dict:
    """Where one published value comes from: its stored value, status, the raw text, the raw
    file, line and character, the upstream URL of that line, and the corrections applied.
    For `table="hardware"`, `model_id` is the hardware_id; `reason` says why a cell is
    unknown, invalid or derived.

    >>> memwall.provenance("gpt-2", "input_tokens", table="memory")  # doctest: +SKIP
    {'table': 'memory', 'model_id': 'gpt-2', 'field': 'input_tokens', 'value': '1024', ...}
    """
    if table not in PROVENANCE_TABLES:
        raise DatasetError(f"unknown table {table!r}; valid tables: {', '.join(PROVENANCE_TABLES)}")
    names = [f.name for f in PUBLISHED_TABLES[table]]
    if field not in names:
        raise DatasetError(f"unknown field {field!r} of {table}; valid fields: {', '.join(names)}")
    prov = load("provenance", version=version, repo=repo)
    rows = prov.filter(
        (pl.col("table") == table) & (pl.col("model_id") == model_id) & (pl.col("field") == field)
    )
    if rows.is_empty():
        known = prov.filter(pl.col("table") == table)["model_id"].unique().sort().to_list()
        what = "hardware" if table == "hardware" else "model"
        raise DatasetError(f"no {what} {model_id!r} in {table}; known: {', '.join(known)}")
    row = rows.row(0, named=True)
    row["corrections"] = [c for c in (row["corrections"] or "").split(",") if c]
    url = _source_urls(version, repo).get(row["source_id"] or "")
    row["url"] = f"{url}#L{row['line']}" if url and row["line"] else None
    return {k: row[k] for k in [f.name for f in PROVENANCE] + ["url"]}
