"""Load the published tables in one line, at the checkout or at a tagged version.

`load()` reads `processed/<table>.parquet` from the local checkout; `load(version="v0.1.0")`
reads the same artifact at that git tag through `dvc.api` (from the local repository or a git
URL, with data from the DVC cache or remote). `provenance()` answers "where does this value
come from?" for one cell.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
from pathlib import Path

import polars as pl

from memwall import config, rebuild, releases
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


def _local(repo: str | None) -> Path | None:
    """The local git checkout `repo` names (default: the one found from the cwd), or None."""
    if repo is None:
        return _root()
    path = Path(repo).expanduser()
    return path.resolve() if (path / ".git").exists() else None


def resolve(version: str | None, repo: str | None = None) -> str | None:
    """The git revision of `version`: the commit releases.yaml records for it, else `version`
    itself (a tag, branch or commit) as long as git knows it."""
    if version is None:
        return None
    local = _local(repo)
    if local is None:
        return version
    try:
        recorded = releases.find(releases.read(local), version)
    except releases.ReleaseError as exc:
        raise DatasetError(str(exc)) from None
    if recorded is not None:
        return recorded.commit
    known = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{version}^{{commit}}"],
        cwd=local,
        capture_output=True,
    )
    if known.returncode:
        have = ", ".join(r.version for r in releases.read(local)) or "none"
        raise DatasetError(
            f"no version {version!r} in {local / releases.FILE} (released: {have}) "
            "and no git revision of that name"
        )
    return version


def _read_versioned(path: str, version: str | None, repo: str | None) -> bytes:
    """Bytes of a DVC- or git-tracked file at `version` of `repo`: from git, the DVC cache or
    a remote through `dvc.api`; when no remote holds a DVC output of a local checkout, rebuilt
    at that commit and checked against its dvc.lock (`memwall.rebuild`)."""
    try:
        import dvc.api
        from dvc.exceptions import DvcException
        from scmrepo.exceptions import SCMError
    except ImportError:
        raise DatasetError("reading a version needs DVC: pip install 'dvc[s3]'") from None

    rev = resolve(version, repo)
    local = _local(repo)
    where = f"{path} at {version or 'HEAD'} of {repo or local}"
    try:
        with (
            _quiet_dulwich(),
            dvc.api.open(path, repo=str(local or repo), rev=rev, mode="rb") as fh,
        ):
            return fh.read()
    except (DvcException, SCMError, FileNotFoundError) as exc:
        problem = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        if _corrupted(exc):
            _release_git_objects()
            raise DatasetError(_failure_message(where, exc)) from None
    if local is not None and rev is not None:
        try:
            return rebuild.rebuild(local, _commit(local, rev), path)
        except rebuild.RebuildError as exc:
            problem += f"; rebuilding it failed: {exc}"
    hint = (
        "no DVC remote holds it: run `dvc pull` where a remote is configured "
        "(`dvc remote list`), or build that commit yourself (`git checkout <commit> && make repro`)"
    )
    raise DatasetError(f"cannot read {where}: {problem}; {hint}")


def _commit(local: Path, rev: str) -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"],
        cwd=local,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise rebuild.RebuildError(f"git does not know {rev!r}")
    return done.stdout.strip()


@contextlib.contextmanager
def _quiet_dulwich():
    """dvc.api leaves dulwich/asyncio objects whose finalizers print tracebacks at interpreter
    exit ("sys.meta_path is None"); close DVC's repository objects before returning."""
    try:
        yield
    finally:
        import gc

        gc.collect()


def _corrupted(exc: BaseException) -> bool:
    """Whether DVC's error chain says a remote object is corrupted (not merely missing)."""
    chain, seen = [], exc
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    said = " ".join(f"{type(e).__name__} {e}" for e in chain).lower()
    return "corrupt" in said or "hash mismatch" in said or "checksum" in said


def _failure_message(where: str, exc: BaseException) -> str:
    """What went wrong reading a version: corruption named as such when DVC says so."""
    chain, seen = [], exc
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    said = " ".join(f"{type(e).__name__} {e}" for e in chain).lower()
    if "corrupt" in said or "hash mismatch" in said or "checksum" in said:
        return (
            f"cannot read {where}: the DVC remote's copy is corrupted ({type(exc).__name__}: "
            f"{exc}); push it again from a good cache (dvc push) or restore the remote object"
        )
    hint = "check the tag (git tag -l 'v*') and that the DVC remote holds the data (dvc push)"
    return f"cannot read {where}: {type(exc).__name__}: {exc}; {hint}"


def _release_git_objects() -> None:
    """Free dvc's git objects now (the failure's traceback held them), while the interpreter
    is whole: else dulwich's pack files are closed at shutdown and print "Exception ignored"
    tracebacks after the clear error."""
    import gc

    gc.collect()


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
    return pl.read_parquet(io.BytesIO(_read_versioned(path, version, repo)))


def _source_urls(version: str | None, repo: str | None) -> dict[str, str]:
    """Source id -> URL of the raw file at its upstream commit (raw/sources.yaml)."""
    if version is None and repo is None:
        text = config.paths(_root()).sources.read_text(encoding="utf-8")
    else:
        text = _read_versioned(IN_REPO.sources.as_posix(), version, repo).decode()
    return config.source_urls(text)


def provenance(
    model_id: str,
    field: str,
    table: str | None = None,
    version: str | None = None,
    repo: str | None = None,
) -> dict:
    """Where one published value comes from: its stored value, status, the raw text, the raw
    file, line and character, the upstream URL of that line, and the corrections applied.
    For `table="hardware"`, `model_id` is the hardware_id; `reason` says why a cell is
    unknown, invalid or derived.

    `table` may be left out: the table is the one whose columns hold `field` (when two do,
    the one with a row for `model_id`; when both have one, pass `table=`).

    >>> memwall.provenance("gpt-2", "input_tokens", table="memory")  # doctest: +SKIP
    {'table': 'memory', 'model_id': 'gpt-2', 'field': 'input_tokens', 'value': '1024', ...}
    """
    tables = {t: PUBLISHED_TABLES[t] for t in PROVENANCE_TABLES}
    if table is not None and table not in tables:
        raise DatasetError(f"unknown table {table!r}; valid tables: {', '.join(tables)}")
    holding = [t for t in tables if field in {f.name for f in tables[t]}]
    if table is not None and table not in holding:
        names = ", ".join(f.name for f in tables[table])
        raise DatasetError(f"unknown field {field!r} of {table}; valid fields: {names}")
    if not holding:
        fields = sorted({f.name for fs in tables.values() for f in fs})
        raise DatasetError(f"no table has a field {field!r}; fields: {', '.join(fields)}")
    prov = load("provenance", version=version, repo=repo)
    cell = (pl.col("model_id") == model_id) & (pl.col("field") == field)
    if table is None:
        with_row = [t for t in holding if not prov.filter(cell & (pl.col("table") == t)).is_empty()]
        if len(with_row) > 1:
            raise DatasetError(
                f"{model_id!r} has {field!r} in several tables ({', '.join(with_row)}); pass table="
            )
        table = (with_row or holding)[0]
    rows = prov.filter(cell & (pl.col("table") == table))
    if rows.is_empty():
        known = prov.filter(pl.col("table") == table)["model_id"].unique().sort().to_list()
        what = "hardware" if table == "hardware" else "model"
        raise DatasetError(f"no {what} {model_id!r} in {table}; known: {', '.join(known)}")
    row = rows.row(0, named=True)
    row["corrections"] = [c for c in (row["corrections"] or "").split(",") if c]
    url = _source_urls(version, repo).get(row["source_id"] or "")
    row["url"] = f"{url}#L{row['line']}" if url and row["line"] else None
    return {k: row[k] for k in [f.name for f in PROVENANCE] + ["url"]}
