"""The `memwall` command. `memwall validate PATH...` checks contributed tables before review;
`memwall history MODEL [FIELD]` prints what every upstream README version said of a cell.

Exit codes: 0 no errors (warnings allowed), 1 errors in the input, 2 usage or I/O problems.
Imports stay light (polars, yaml): pandera, pandas and great_expectations are never loaded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import sys
from pathlib import Path

from memwall import config, registry
from memwall.contrib.documents import DEFAULT_MAX_BYTES, FORMATS, STDIN, UsageError
from memwall.contrib.problems import DEFAULT_MAX_PER_CODE
from memwall.contrib.run import Options, validate
from memwall.registry import RegistryError

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
# Units of "GB" when no params.yaml says: the dataset's own basis (see params.yaml).
FALLBACK_GB_BASIS = 2**30


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a YYYY-MM-DD date") from None


def _positive(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number of bytes")
    return int(text)


def _count(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number")
    return int(text)


class _Parser(argparse.ArgumentParser):
    """argparse that raises `UsageError` instead of printing and exiting, so that a usage
    error can be reported as JSON when `--format json` was asked for."""

    def error(self, message: str):
        raise UsageError(message)


def version() -> str:
    """`memwall X.Y.Z`, plus the dataset version of the checkout when there is one."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        text = f"memwall {installed('memwall')}"
    except PackageNotFoundError:
        text = "memwall (not installed)"
    try:
        root = config.find_root(installed=False)
        text += f" (dataset v{config.params(root)['dataset']['version']} in {root})"
    except (config.ConfigError, KeyError, TypeError, OSError):
        pass
    return text


class _Version(argparse.Action):
    """`--version`, worked out only when asked (it reads params.yaml)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(version())
        parser.exit()


def parser() -> argparse.ArgumentParser:
    """The argument parser of `memwall`."""
    ap = _Parser(prog="memwall", description="Tools of the memwall dataset.")
    ap.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    v = sub.add_parser(
        "validate",
        help="check contributed tables (markdown, CSV or JSON records)",
        description=(
            "Check contributed rows with the dataset's own parser, units and rules, and "
            "against the published dataset. One line per problem: path:line:col: "
            "severity[code]: message. Exit 0 without errors, 1 with errors, 2 on usage or "
            "I/O problems. See CONTRIBUTING.md."
        ),
    )
    v.add_argument("paths", nargs="+", metavar="PATH", help="files to check; - for stdin")
    v.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    v.add_argument(
        "--input-format", choices=FORMATS, help="format of the input (default: from the suffix)"
    )
    v.add_argument(
        "--today",
        type=_date,
        default=None,
        help="date after which dates are future (default: today)",
    )
    v.add_argument(
        "--dataset",
        type=Path,
        default=None,
        help="published dataset to compare with (default: the checkout's processed/)",
    )
    v.add_argument(
        "--params",
        type=Path,
        default=None,
        help="thresholds of the checks and the GB basis (default: the checkout's params.yaml)",
    )
    v.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 1) when checks were skipped: no dataset or params.yaml found",
    )
    v.add_argument(
        "--max-per-code",
        type=_count,
        default=DEFAULT_MAX_PER_CODE,
        help=f"problems printed per code, the rest counted (0: all; {DEFAULT_MAX_PER_CODE})",
    )
    v.add_argument(
        "--max-bytes",
        type=_positive,
        default=DEFAULT_MAX_BYTES,
        help=f"largest input accepted (default: {DEFAULT_MAX_BYTES:,})",
    )
    h = sub.add_parser(
        "history",
        help="one model's cells in every upstream README version",
        description=(
            "Print the timeline of a model's cells (or of one field) over upstream's README "
            "versions: version, date, commit, table.field, change, raw text, value and line. "
            "Reads processed/history.parquet of the checkout (run `dvc repro` or `dvc pull`)."
        ),
    )
    h.add_argument("model", help="model_id (gpt-2) or a name upstream printed (GPT-2)")
    h.add_argument("field", nargs="?", help="one field (input_tokens, params, ...)")
    h.add_argument("--version", help="a tagged release (vX.Y.Z) instead of the checkout")
    return ap


def history_command(args: argparse.Namespace) -> int:
    """`memwall history MODEL [FIELD]`: print the timeline; unknown model or field exit 2."""
    import polars as pl

    from memwall.api import DatasetError, load
    from memwall.history_render import cell_timeline, timeline_text

    try:
        history = load("history", version=args.version)
    except DatasetError as exc:
        print(f"memwall history: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    wanted = args.model.casefold()
    named = history.filter(
        (pl.col("model_id") == wanted)
        | ((pl.col("field") == "model") & (pl.col("raw").str.to_lowercase() == wanted))
    )
    if named.is_empty():
        print(f"memwall history: error: no model {args.model!r} in the history", file=sys.stderr)
        return EXIT_USAGE
    model_id = named["model_id"].min()
    timeline = cell_timeline(history, model_id, args.field)
    if timeline.is_empty():
        fields = ", ".join(sorted(history.filter(pl.col("model_id") == model_id)["field"].unique()))
        print(
            f"memwall history: error: {model_id} has no field {args.field!r} (fields: {fields})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    sys.stdout.write(timeline_text(timeline) + "\n")
    return EXIT_OK


def _find(start: Path) -> config.Paths | None:
    try:
        return config.paths(config.find_root(start, installed=False))
    except config.ConfigError:
        return None


def _built(checkout: config.Paths | None) -> bool:
    return checkout is not None and (checkout.processed / "provenance.parquet").is_file()


def _checkout(paths: list[str]) -> config.Paths | None:
    """The checkout holding the first file checked, so a hook run from another directory
    compares with the file's own repository; when that one is not built (or for stdin), the
    current directory's checkout if it is built; else whichever was found, or None."""
    files = [Path(p) for p in paths if p != STDIN]
    own = _find(files[0].resolve().parent) if files else None
    if _built(own):
        return own
    here = _find(Path.cwd())
    return here if _built(here) else own or here


def options_from(args: argparse.Namespace) -> Options:
    """Run options from the arguments and, when present, params.yaml and the dataset."""
    import yaml

    from memwall.contrib.dataset import Dataset

    today = args.today or dt.date.today()
    checkout = _checkout(args.paths)
    params_path = args.params or (checkout.params if checkout else None)
    hardware_params = None
    if params_path is not None and params_path.is_file():
        try:
            doc = config.read_params(params_path)
            check_params = config.check_params(doc)
        except (yaml.YAMLError, config.ConfigError, KeyError, TypeError, ValueError) as exc:
            raise UsageError(f"{params_path}: not a memwall params file ({exc})") from None
        hardware_params = doc.get("hardware")  # the hardware stage's checks (issue 12)
    else:
        check_params = None
    latest = dt.date.fromisoformat(check_params["latest_date"]) if check_params else today
    return Options(
        today=today,
        latest=min(latest, today) if check_params is None else latest,
        gb_basis=check_params["gb_basis"] if check_params else FALLBACK_GB_BASIS,
        max_bytes=args.max_bytes,
        input_format=args.input_format,
        dataset=_dataset(Dataset, args.dataset, checkout),
        check_params=check_params,
        registered=config.registered_sources(checkout.root) if checkout else {},
        max_per_code=args.max_per_code,
        root=checkout.root if checkout else None,
        hardware_params=hardware_params,
    )


def _dataset(loader, given: Path | None, checkout: config.Paths | None):
    """The dataset given (which must exist) or the checkout's (None when not built)."""
    if given is not None:
        if not (given / "provenance.parquet").is_file():
            raise UsageError(f"{given}: no provenance.parquet (pass a built processed/ directory)")
        return loader.load(given)
    return loader.load(checkout.processed) if checkout else None


def _wants_json(argv: list[str]) -> bool:
    return "--format=json" in argv or any(
        a == "--format" and b == "json" for a, b in itertools.pairwise(argv)
    )


def usage_error(message: str, as_json: bool) -> int:
    """Report a usage or I/O problem: JSON on stdout with `--format json`, else stderr."""
    if as_json:
        doc = {
            "error": {"kind": "usage", "message": message, "exit": EXIT_USAGE},
            "problems": [],
            "summary": None,
        }
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        print(f"memwall validate: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `memwall` console script."""
    argv = sys.argv[1:] if argv is None else list(argv)
    as_json = _wants_json(argv)
    ap = parser()
    # Data may hold any character: under an ASCII locale it is written escaped, not raised.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        args = ap.parse_args(argv)
        if args.command == "history":
            return history_command(args)
        if args.command != "validate":
            if as_json:
                return usage_error("no command; try: memwall validate PATH...", True)
            ap.print_help(sys.stderr)
            return EXIT_USAGE
        # A command run on every commit: remember registries that passed their schema.
        registry.use_cache(registry.default_cache_dir())
        outcome = validate(args.paths, options_from(args), sys.stdin.buffer)
    except (UsageError, RegistryError) as exc:
        return usage_error(str(exc), as_json)
    sys.stdout.write(outcome.as_json() if args.format == "json" else outcome.as_text())
    failed = outcome.errors or (args.strict and outcome.skipped)
    return EXIT_ERRORS if failed else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
