"""Benchmark of `memwall validate` against `frictionless validate`, in one run, same files.

Prints, for the same machine and run: `python -c "import polars"`, `memwall validate` on a
10-row markdown table, then memwall and frictionless on generated tables of 10,000 and
100,000 rows (CSV; markdown for memwall, whose frictionless twin is the CSV of the same
rows): wall time, peak memory (max RSS of the process), and the ratios. Then two shapes
that were once superlinear (a wide header: 120 rows, 307 columns; 4,000 rows of one model),
and the probable-copy figures: memwall on 1,000 / 10,000 / 100,000 identical rows. Last, in
a built and up-to-date checkout, a no-op `dvc repro` against `dvc status`. Each small
figure is the median of several runs; the large ones are single runs. memwall runs inside
this checkout (it compares with processed/ and params.yaml when the dataset is built);
frictionless runs from the files' directory with a relative path (it refuses absolute paths
outside its cwd).

    make bench            # or: .venv/bin/python tests/bench/bench_validate.py [--rows N ...]
"""

from __future__ import annotations

import argparse
import itertools
import os
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
MAX_BYTES = "1000000000"
# 4,000 statements of one model's fields took 35 s and 1.2 GB before crosssource's fix.
SAME_MODEL_ROWS = 4_000
WIDE_EXTRA = 300  # a header this wide took 87 s and 12 GB before csvcolumns' fix


def markdown_table(rows: int, same_model: bool = False) -> str:
    """A models table of `rows` distinct, plausible new models (2 x params x tokens FLOPs);
    with `same_model`, rows of one model stating different values."""
    lines = [HEADER]
    for i in range(rows):
        params_m = 100 + i
        gflops = 2 * params_m * 512 / 1000
        month, day = 1 + i % 12, 1 + i % 28
        lines.append(
            f"| {month:02d}/{day:02d}/2021 | Bench Model {0 if same_model else i:06d} | 512 | "
            f"{params_m:,}M | | "
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


def identical_csv(rows: int) -> str:
    """`rows` copies of one row under distinct names: the probable-copy worst case."""
    body = "".join(
        f"Copy Model {i:06d},nlp,2021-01-01,512,125000000,1.28e11,1.28e17\n" for i in range(rows)
    )
    return CSV_HEADER + body


def wide_csv(rows: int, extra: int) -> str:
    """The models CSV with `extra` unknown columns after the known ones: a wide header."""
    header = CSV_HEADER.rstrip("\n") + "".join(f",extra{i}" for i in range(extra)) + "\n"
    body = csv_table(rows).split("\n", 1)[1].replace("\n", "," * extra + "\n")
    return header + body


def run(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one run of `cmd` (output discarded)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, proc.returncode


def measure(cmd: list[str], cwd: Path, repeat: int) -> tuple[float, float, int]:
    """Median wall time, largest peak RSS and last exit code of `repeat` runs."""
    runs = [run(cmd, cwd) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]


def _row(label: str, figures: tuple[float, float, int], extra: str = "") -> None:
    seconds, mb, code = figures
    print(f"{label:<58} {seconds:>8.2f} {mb:>8.0f} {code:>5}  {extra}", flush=True)


def main() -> int:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--copies", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=5, help="runs of each small measurement")
    ap.add_argument(
        "--timeout", type=float, default=120, help="seconds before a copies run is killed"
    )
    ap.add_argument(
        "--no-dvc", dest="dvc", action="store_false", help="skip the no-op dvc repro ratio"
    )
    args = ap.parse_args()
    memwall = [str(BIN / "memwall"), "validate", "--today", "2026-11-24", "--max-bytes", MAX_BYTES]
    frictionless = [str(BIN / "frictionless"), "validate"]
    built = (REPO / "processed" / "provenance.parquet").is_file()
    if built:  # the generated files sit outside the checkout: compare with its dataset
        memwall += ["--dataset", str(REPO / "processed"), "--params", str(REPO / "params.yaml")]
    print(f"checkout {REPO} (dataset built: {built}), {os.cpu_count()} cores")
    print(f"{'what':<58} {'wall s':>8} {'peak MB':>8} {'exit':>5}  ratios")
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        small = tmpdir / "small.md"
        small.write_text(markdown_table(10), encoding="utf-8")
        polars_figures = measure([sys.executable, "-c", "import polars"], REPO, args.repeat)
        _row("python -c 'import polars'", polars_figures)
        small_figures = measure([*memwall, str(small)], REPO, args.repeat)
        _row(
            "memwall validate, 10 rows (md)",
            small_figures,
            f"{small_figures[0] / polars_figures[0]:.2f}x import polars",
        )
        memwall_csv_time = {}
        for rows in args.rows:
            csv_file = tmpdir / f"rows{rows}.csv"
            csv_file.write_text(csv_table(rows), encoding="utf-8")
            md_file = tmpdir / f"rows{rows}.md"
            md_file.write_text(markdown_table(rows), encoding="utf-8")
            size = f"{csv_file.stat().st_size / 1e6:.1f} MB"
            fl = measure([*frictionless, csv_file.name], tmpdir, 1)
            _row(f"frictionless validate, {rows:,} rows (csv, {size})", fl)
            mw = measure([*memwall, str(csv_file)], REPO, 1)
            memwall_csv_time[rows] = mw[0]
            _row(
                f"memwall validate, {rows:,} rows (csv)",
                mw,
                f"frictionless/memwall time {fl[0] / mw[0]:.1f}x, "
                f"memory memwall/frictionless {mw[1] / fl[1]:.2f}",
            )
            md = measure([*memwall, str(md_file)], REPO, 1)
            _row(
                f"memwall validate, {rows:,} rows (md, {md_file.stat().st_size / 1e6:.1f} MB)",
                md,
                f"frictionless(csv)/memwall time {fl[0] / md[0]:.1f}x, "
                f"memory memwall/frictionless {md[1] / fl[1]:.2f}",
            )
        ordered = sorted(memwall_csv_time)
        for a, b in itertools.pairwise(ordered):
            print(
                f"memwall csv time {b:,} / {a:,} rows: "
                f"{memwall_csv_time[b] / memwall_csv_time[a]:.1f}x (rows x{b / a:.0f})"
            )
        wide = tmpdir / "wide.csv"
        wide.write_text(wide_csv(120, WIDE_EXTRA), encoding="utf-8")
        fl = measure([*frictionless, wide.name], tmpdir, 1)
        what = f"120 rows x {7 + WIDE_EXTRA} columns (csv)"
        _row(f"frictionless validate, {what}", fl)
        mw = measure([*memwall, str(wide)], REPO, 1)
        _row(f"memwall validate, {what}", mw, f"frictionless/memwall time {fl[0] / mw[0]:.1f}x")
        same = tmpdir / "same.md"
        same.write_text(markdown_table(SAME_MODEL_ROWS, same_model=True), encoding="utf-8")
        figures = measure([*memwall, str(same)], REPO, 1)
        _row(f"memwall validate, {SAME_MODEL_ROWS:,} rows of one model (md)", figures)
        for rows in args.copies:
            copies = tmpdir / f"copies{rows}.csv"
            copies.write_text(identical_csv(rows), encoding="utf-8")
            out = tmpdir / "copies.out"
            with out.open("wb") as sink:
                start = time.perf_counter()
                proc = subprocess.Popen(
                    [*memwall, str(copies)], cwd=REPO, stdout=sink, stderr=subprocess.DEVNULL
                )
                while True:
                    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                    if pid:
                        break
                    if time.perf_counter() - start > args.timeout:
                        proc.kill()
                        _, status, usage = os.wait4(proc.pid, 0)
                        break
                    time.sleep(0.05)
                seconds = time.perf_counter() - start
            code = os.waitstatus_to_exitcode(status)
            figures = (seconds, usage.ru_maxrss / 1024, code)
            killed = f", killed after {args.timeout:.0f} s" if code < 0 else ""
            _row(
                f"memwall validate, {rows:,} identical rows (csv)",
                figures,
                f"output {out.stat().st_size:,} B{killed}",
            )
    if args.dvc:
        noop_ratio(args.repeat)
    return 0


def noop_ratio(repeat: int) -> None:
    """A no-op `dvc repro` against `dvc status` in this checkout, when it is up to date
    (otherwise `dvc repro` would build, which is not what is measured)."""
    dvc = [str(BIN / "dvc")]
    env = {**os.environ, "DVC_NO_ANALYTICS": "1"}
    status = subprocess.run(
        [*dvc, "status"], cwd=REPO, capture_output=True, text=True, env=env, check=False
    )
    if status.returncode != 0 or "up to date" not in status.stdout:
        print("dvc no-op ratio: skipped (the checkout is not built and up to date)")
        return
    os.environ["DVC_NO_ANALYTICS"] = "1"
    st = measure([*dvc, "status"], REPO, repeat)
    _row("dvc status (built checkout)", st)
    repro = measure([*dvc, "repro"], REPO, repeat)
    _row("dvc repro, nothing to do", repro, f"{repro[0] / st[0]:.2f}x dvc status")


if __name__ == "__main__":
    raise SystemExit(main())
