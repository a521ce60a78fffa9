"""The data dictionary: every column of every published table, with type, unit and meaning.

This is the single source of truth for the pandera schemas (`schemas.py`), the Frictionless
and Croissant metadata and the README's data dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass

DOMAINS = ("cv", "nlp")
# Earliest and latest publication dates the dataset accepts (Seq2Seq is 2014; AlexNet 2012).
EARLIEST_YEAR = 1990


@dataclass(frozen=True)
class Field:
    """One published column."""

    name: str
    dtype: str  # one of: string, int64, float64, date
    unit: str
    description: str
    nullable: bool = True
    unique: bool = False
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] | None = None


def _count(name: str, description: str, unit: str = "count") -> Field:
    return Field(name, "int64", unit, description, minimum=1)


_MODEL_ID = Field(
    "model_id",
    "string",
    "",
    "Stable slug of the model, shared by every table it appears in.",
    nullable=False,
    unique=True,
)
_MODEL = Field(
    "model", "string", "", "Display name of the model (canonical spelling).", nullable=False
)
_TOKENS = _count("input_tokens", "Input sequence length for language models.", "tokens")
_HEIGHT = _count("input_height", "Input image height for vision models.", "pixels")
_WIDTH = _count("input_width", "Input image width for vision models.", "pixels")

MODELS: tuple[Field, ...] = (
    _MODEL_ID,
    _MODEL,
    Field(
        "domain", "string", "", "cv (vision) or nlp (language).", nullable=False, allowed=DOMAINS
    ),
    Field("published", "date", "date", "Publication date of the model (MM/DD/YYYY upstream)."),
    _TOKENS,
    _HEIGHT,
    _WIDTH,
    _count("params", "Number of trainable parameters.", "parameters"),
    _count("features", "Number of features (activations) of one forward pass.", "values"),
    Field(
        "inference_flop",
        "float64",
        "FLOP",
        "Floating-point operations for one input (upstream: GFLOPs x 1e9).",
        minimum=0,
    ),
    Field(
        "training_flop",
        "float64",
        "FLOP",
        "Total floating-point operations to train the model (upstream: PFLOPs x 1e15).",
        minimum=0,
    ),
    Field(
        "top1_accuracy",
        "float64",
        "percent",
        "ImageNet top-1 accuracy.",
        minimum=0,
        maximum=100,
    ),
)

MEMORY: tuple[Field, ...] = (
    _MODEL_ID,
    _MODEL,
    Field("year", "int64", "year", "Year of the model.", minimum=EARLIEST_YEAR),
    _TOKENS,
    _HEIGHT,
    _WIDTH,
    _count("batch_size", "Training batch size the breakdown assumes.", "inputs"),
    _count("params_memory_bytes", "Memory for the parameters.", "bytes"),
    _count("optimizer_memory_bytes", "Memory for the optimizer state.", "bytes"),
    _count("activation_memory_bytes", "Memory for the activations of one batch.", "bytes"),
    _count("total_memory_bytes", "Total training memory.", "bytes"),
)

PROVENANCE: tuple[Field, ...] = (
    Field("table", "string", "", "Published table the cell belongs to.", nullable=False),
    Field("model_id", "string", "", "Row of the cell.", nullable=False),
    Field("field", "string", "", "Column of the cell.", nullable=False),
    Field("value", "string", "", "The cell's value as stored, as text (null when null)."),
    Field(
        "status",
        "string",
        "",
        "value, estimate, not_applicable, unknown, derived or absent.",
        nullable=False,
    ),
    Field("raw", "string", "", "Original text of the raw cell, as written."),
    Field("source", "string", "", "Raw file the value came from, relative to the repo."),
    Field("source_id", "string", "", "Id of that source in raw/sources.yaml."),
    Field("line", "int64", "", "1-based line of the raw cell in that file.", minimum=1),
    Field("char", "int64", "", "1-based character column of the raw cell.", minimum=1),
    Field("column", "string", "", "Header of the raw column."),
    Field("corrections", "string", "", "Ids of corrections applied, comma-separated."),
)

TABLES: dict[str, tuple[Field, ...]] = {"models": MODELS, "memory": MEMORY}
PRIMARY_KEY = "model_id"


def field_names(table: str) -> list[str]:
    """Column names of a published table, in order."""
    return [f.name for f in TABLES[table]]


def _rate(name: str, unit: str, description: str) -> Field:
    return Field(name, "float64", unit, description, minimum=0)


# Accelerators from Epoch AI's "Data on Machine Learning Hardware" (CC BY 4.0), one per row.
HARDWARE: tuple[Field, ...] = (
    Field(
        "hardware_id",
        "string",
        "",
        "Stable slug of the hardware name (lowercase a-z, 0-9 and '-').",
        nullable=False,
        unique=True,
    ),
    Field("name", "string", "", "Hardware name as Epoch AI writes it.", nullable=False),
    Field("manufacturer", "string", "", "Manufacturer."),
    Field("type", "string", "", "Kind of accelerator as Epoch AI records it (GPU, TPU, ...)."),
    Field("release_date", "date", "date", "Release date as Epoch AI records it."),
    _rate("peak_fp32_flop_per_s", "FLOP/s", "Peak FP32 (single precision) throughput."),
    _rate("peak_fp16_flop_per_s", "FLOP/s", "Peak FP16 (half precision) throughput."),
    _rate(
        "peak_tensor_16bit_flop_per_s",
        "FLOP/s",
        "Peak dense tensor-unit throughput at FP16/BF16 (no sparsity).",
    ),
    _rate("peak_fp8_flop_per_s", "FLOP/s", "Peak FP8 throughput."),
    Field("memory_bytes", "int64", "bytes", "Memory per board.", minimum=1),
    _rate("memory_bandwidth_bytes_per_s", "bytes/s", "Memory (DRAM/HBM) bandwidth."),
    _rate(
        "intranode_bandwidth_bytes_per_s",
        "bytes/s",
        "Bandwidth to other devices in the same node (NVLink and the like).",
    ),
    _rate(
        "internode_bandwidth_bytes_per_s",
        "bytes/s",
        "Bandwidth to other nodes (Epoch gives bit/s; divided by 8).",
    ),
    _rate("tdp_watts", "W", "Thermal design power."),
    Field("datasheet_url", "string", "", "Link(s) to the datasheet, space-separated."),
    _rate(
        "ridge_point_flop_per_byte",
        "FLOP/byte",
        "Derived: peak_tensor_16bit_flop_per_s / memory_bandwidth_bytes_per_s.",
    ),
)


# The cross-reference with Epoch AI's Notable AI Models (CC BY 4.0): one row per matched model
# and field both state (stage crossref; reference data: Epoch AI, "Notable AI Models").
CROSSREF_VERDICTS = ("agrees", "disagrees", "day/month swap", "reference only")
CROSSREF: tuple[Field, ...] = (
    Field("model_id", "string", "", "Our model (models or memory table).", nullable=False),
    Field(
        "field",
        "string",
        "",
        "Field compared: published, params, training_flop; year for memory-only models.",
        nullable=False,
        allowed=("published", "year", "params", "training_flop"),
    ),
    Field("ours_value", "string", "", "Our published value as text (null when ours is blank)."),
    Field(
        "ours_number",
        "float64",
        "",
        "Our value as a number: parameters, FLOP, the year, or days since 1970-01-01 for dates.",
    ),
    Field("ours_raw", "string", "", "Our raw cell as written upstream."),
    Field("ours_at", "string", "", "Our raw cell: file:line:character.", nullable=False),
    Field("ours_corrections", "string", "", "Ids of corrections applied to our cell."),
    Field("reference_model", "string", "", "The reference's Model name.", nullable=False),
    Field("reference_text", "string", "", "The reference's cell as written.", nullable=False),
    Field(
        "reference_number",
        "float64",
        "",
        "The reference's value as a number, in the unit of ours_number.",
        nullable=False,
    ),
    Field("ratio", "float64", "", "ours / reference (params, training_flop).", minimum=0),
    Field(
        "days_apart",
        "int64",
        "days",
        "ours - reference in days (published) or years (year).",
    ),
    Field("reference_note", "string", "", "The reference's note on the field (Epoch AI)."),
    Field("reference_confidence", "string", "", "The reference's confidence in the row."),
    Field("reference_link", "string", "", "The reference's link to the model's paper."),
    Field(
        "reference_at",
        "string",
        "",
        "The reference row: file:line:1 (where the record starts).",
        nullable=False,
    ),
    Field("match_reason", "string", "", "Why the reviewed registry matches the two models."),
    Field(
        "verdict",
        "string",
        "",
        "Within the tolerances of params.yaml `crossref:` or not.",
        nullable=False,
        allowed=CROSSREF_VERDICTS,
    ),
    Field("finding", "string", "", "Code of the finding about this row (null when it agrees)."),
    Field("accepted", "string", "", "Why both values are right, when an acceptance covers it."),
)
CROSSREF_KEY = ("model_id", "field")
