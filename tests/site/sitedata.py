"""Site test data: small hand-made inputs (every optional table, a hostile name) and helpers
over the real pipeline's outputs."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import yaml

from memwall.site import SiteInputs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "site"
HOSTILE = "<script>alert(1)</script>"
SOURCE_URL = "https://github.com/amirgholami/ai_and_memory_wall/blob/abc/README.md"
HARDWARE_URL = "https://github.com/example/data/blob/abc/ml_hardware.csv"
# A device with nothing to say beyond its row (a plain value, read on line 7): no page.
PLAIN_DEVICE = "plain-accelerator"


def _models() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "model_id": ["gpt-3", "script-alert-1", "tiny"],
            "model": ["GPT-3", HOSTILE, "Tiny " + "Supercalifragilistic" * 4],
            "domain": ["nlp", "nlp", "cv"],
            "params": [175_000_000_000, 2, 61_000_000],
            "inference_flop": [7.4e14, None, 1.4e9],
        }
    )


def _provenance(with_hardware: bool) -> pl.DataFrame:
    rows = [
        ("models", "gpt-3", "params", "175000000000", "value", "175,000M", 20, "gpt3-fix"),
        ("models", "gpt-3", "inference_flop", "7.4e14", "value", "740,000", 20, None),
        ("models", "script-alert-1", "model", HOSTILE, "value", HOSTILE, 21, None),
        ("models", "script-alert-1", "inference_flop", None, "not_applicable", "N/A", 21, None),
    ]
    devices = [
        # an estimate is more than a cell can say: the device gets a page
        ("hardware", "nvidia-h100-sxm", "memory_bytes", "8e10", "estimate", "~80 GB", 5, None),
        ("hardware", "amd-mi300x", "memory_bytes", "1.92e11", "estimate", "~192 GB", 6, None),
        ("hardware", PLAIN_DEVICE, "name", "Plain", "value", "Plain", 7, None),
    ]
    return pl.DataFrame(
        [
            {
                "table": t,
                "model_id": m,
                "field": f,
                "value": v,
                "status": s,
                "raw": r,
                "source": "raw/epoch/ml_hardware.csv" if t == "hardware" else "raw/upstream/26.md",
                "source_id": "epoch-ml-hardware" if t == "hardware" else "upstream-v26",
                "line": line,
                "char": 5,
                "column": "#Params",
                "corrections": c,
            }
            for t, m, f, v, s, r, line, c in rows + (devices if with_hardware else [])
        ]
    )


def small_inputs(tmp: Path, with_optional: bool = True) -> SiteInputs:
    """Hand-made inputs: three models (one named like a script), and, when `with_optional`,
    a hardware table, a cross-reference, an upstream history, trends and a figure."""
    data = tmp / "data"
    data.mkdir(parents=True, exist_ok=True)
    models = _models()
    models.write_csv(data / "models.csv")
    findings = {
        "summary": {"by_check": {"params-memory": {"total": 1}, "memory-sum": {"total": 0}}},
        "findings": [
            {
                "code": "params-memory",
                "severity": "warning",
                "model_id": "script-alert-1",
                "fields": ["params"],
                "observed": {"params": HOSTILE},
                "expected": "params = " + HOSTILE,
                "message": "message about " + HOSTILE,
                "sources": ["raw/upstream/26.md:21:5"],
                "accepted": None,
            },
            {
                "code": "inference-flops",
                "severity": "error",
                "model_id": "gpt-3",
                "fields": ["inference_flop"],
                "observed": {},
                "expected": "",
                "message": "accepted because of reasons",
                "sources": [],
                "accepted": {"reason": "shared weights", "evidence": "a paper"},
            },
        ],
    }
    optional: dict = {}
    if with_optional:
        optional = {
            "hardware": pl.DataFrame(
                {
                    "hardware_id": ["nvidia-h100-sxm", "amd-mi300x", PLAIN_DEVICE],
                    "name": ["NVIDIA H100 SXM5 80GB", "AMD Instinct MI300X", "Plain"],
                    "memory_bytes": [80_000_000_000, 192_000_000_000, None],
                    "memory_bandwidth_bytes_per_s": [3.35e12, 5.3e12, None],
                    "peak_tensor_16bit_flop_per_s": [9.89e14, 1.307e15, None],
                    "datasheet_url": [
                        "https://www.nvidia.com/h100.pdf",
                        "javascript:alert(1)",
                        None,
                    ],
                }
            ),
            "crossref": pl.DataFrame(
                {
                    "model_id": ["gpt-3"],
                    "field": ["params"],
                    "ours": [1.75e11],
                    "reference": [1.75e11],
                    "ratio": [1.0],
                    "verdict": ["agrees"],
                }
            ),
            "history": pl.DataFrame(
                {
                    "version": [3, 4],
                    "commit": ["1111111aaaa", "2222222bbbb"],
                    "committed": ["2020-06-01T00:00:00Z", "2021-01-01T00:00:00Z"],
                    "table": ["models", "models"],
                    "model_id": ["gpt-3", "gpt-3"],
                    "field": ["params", "params"],
                    "raw": ["175B", "175,000M"],
                    "value": ["175000000000", "175000000000"],
                    "status": ["value", "value"],
                    "line": [10, 20],
                    "change": ["added", "reformatted"],
                }
            ),
            "trends": {
                "fits": [
                    {
                        "id": "peak_compute",
                        "series": "peak FLOP/s",
                        "source": "Epoch AI hardware",
                        "n": 40,
                        "start": 1996,
                        "end": 2023,
                        "per_2_years": 3.1,
                        "per_2_years_low": 2.8,
                        "per_2_years_high": 3.4,
                        "doubling_years": 1.22,
                        "claim_per_2_years": 3.0,
                        "agrees": True,
                        "claim_in_interval": True,
                        "verdict": "agrees",
                    }
                ]
            },
            "figures": (FIXTURES / "figures" / "peak_compute_vs_bandwidth.svg",),
        }
    return SiteInputs(
        models=models,
        memory=pl.DataFrame(
            {"model_id": ["gpt-3"], "model": ["GPT-3"], "total_memory_bytes": [2**31]}
        ),
        provenance=_provenance(with_optional),
        lineage={
            "dataset": "memwall",
            "version": "9.9.9",
            "citation": "Gholami et al. AI and Memory Wall.",
            "licence": {"id": "MIT"},
            "inputs": {
                "sources": [
                    {
                        "id": "upstream-v26",
                        "path": "raw/upstream/26.md",
                        "url": SOURCE_URL,
                        "commit": "a1f1d676a6e5",
                        "committed": "2024-03-23T04:29:38Z",
                    },
                    {
                        "id": "epoch-ml-hardware",
                        "path": "raw/epoch/ml_hardware.csv",
                        "url": HARDWARE_URL,
                        "commit": "d62de22b9128",
                        "committed": "2025-12-14T00:00:00Z",
                    },
                ]
            },
        },
        findings=findings,
        corrections=[
            {
                "id": "gpt3-fix",
                "action": "override",
                "reason": "a typo",
                "evidence": "the paper, table 1",
            }
        ],
        validation={"raw_rows": 3, "kept_rows": 3, "rejected_rows": 0, "tables": {"models": 3}},
        quality={"models": {"expectations": 2, "passed": 2, "failed": []}},
        changelog="# Changelog\n\n## v9.9.9\n\n- added " + HOSTILE + "\n",
        downloads={"models": (data / "models.csv",)},
        **optional,
    )


def findings_count(repo: Path) -> int:
    """Number of findings in the built reports/findings.json (counted independently)."""
    return len(json.loads((repo / "reports/findings.json").read_text())["findings"])


def corrections_registry(repo: Path) -> dict[str, dict]:
    """The corrections registry of a checkout, by id."""
    text = (repo / "pipeline/memwall/data/corrections.yaml").read_text()
    return {c["id"]: c for c in yaml.safe_load(text)}
