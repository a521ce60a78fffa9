"""Benchmark of `memwall validate`: what a contributor waits for, against Python + polars.

Prints, for the same machine and run: `python -c "import polars"`, `memwall validate` on a
10-row markdown table, and on a generated 100,000-row table (and its CSV twin). Each small
figure is the median of several runs; the large ones are single runs.

    make bench            # or: .venv/bin/python tests/bench/bench_validate.py [--rows N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HEADER = (
    "| Date | Model | Token Size | #Params | #Features | Inference GFLOPs | Training PFLOPs |\n"
    "|---|---|---|---|---|---|---|\n"
)
CSV_HEADER = "model,domain,published,input_tokens,params,inference_flop,training_flop\n"


def markdown_table(rows: int) -> str:
    """A models table of `rows` distinct, plausible new models (2 x params x tokens FLOPs)."""
    lines = [HEADER]
    for i in range(rows):
        params_m = 100 + i
        gflops = 2 * params_m * 512 / 1000
        month, day = 1 + i % 12, 1 + i % 28
        lines.append(
            f"| {month:02d}/{day:02d}/2021 | Bench Model {i:06d} | 512 | {params_m:,}M | | "
            f"{gflops:,.3f} | {gflops * 1000:,.0f} |\n"
        )
    return "".join(lines)


def csv_table(rows: int) -> str:
    """The same models as CSV records in base units."""
    lines = [CSV_HEADER]
    for i in range(rows):
        params = (100 + i) * 10**6
        flop = 2 * params * 512
        lines.append(
            f"Bench Model {i:06d},nlp,2021-{1 + i % 12:02d}-{1 + i % 28:02d},512,{params},"
            f"{flop:.6e},{flop * 10**6:.6e}\n"
        )
    return "".join(lines)


def timed(cmd: list[str], repeat: int) -> tuple[float, float, int]:
    """Median and best wall time of `cmd` in seconds, and its exit code."""
    times = []
    code = 0
    for _ in range(repeat):
        start = time.perf_counter()
        code = subprocess.run(cmd, cwd=REPO, capture_output=True).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), code


def main() -> int:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=100_000, help="rows of the large file")
    ap.add_argument("--repeat", type=int, default=7, help="runs of each small measurement")
    args = ap.parse_args()
    memwall = [str(BIN / "memwall"), "validate", "--today", "2026-11-24"]
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.md"
        small.write_text(markdown_table(10), encoding="utf-8")
        large = Path(tmp) / "large.md"
        large.write_text(markdown_table(args.rows), encoding="utf-8")
        large_csv = Path(tmp) / "large.csv"
        large_csv.write_text(csv_table(args.rows), encoding="utf-8")
        figures = [
            ("python -c 'import polars'", [sys.executable, "-c", "import polars"], args.repeat),
            ("memwall validate, 10 rows (md)", [*memwall, str(small)], args.repeat),
            (
                f"memwall validate, {args.rows:,} rows (md, {large.stat().st_size:,} B)",
                [*memwall, "--max-bytes", "100000000", str(large)],
                1,
            ),
            (
                f"memwall validate, {args.rows:,} rows (csv, {large_csv.stat().st_size:,} B)",
                [*memwall, "--max-bytes", "100000000", str(large_csv)],
                1,
            ),
        ]
        print(f"{'what':<52} {'median s':>9} {'best s':>8} {'exit':>5}")
        for label, cmd, repeat in figures:
            median, best, code = timed(cmd, repeat)
            print(f"{label:<52} {median:>9.3f} {best:>8.3f} {code:>5}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
