"""The data dictionary: every column of every published table, with type, unit and meaning.

This is the single source of truth for the pandera schemas (`schemas.py`), the Frictionless
and Croissant metadata and the README's data dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass

# "recommendation": Baidu's RecSys-C/E, listed in upstream's NLP table (corrections.yaml).
DOMAINS = ("cv", "nlp", "recommendation")
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

_DOMAIN = Field(
    "domain",
    "string",
    "",
    "cv (vision), nlp (language) or recommendation: upstream's table, unless corrected.",
    nullable=False,
    allowed=DOMAINS,
)

MODELS: tuple[Field, ...] = (
    _MODEL_ID,
    _MODEL,
    _DOMAIN,
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
    Field(
        "domain",
        "string",
        "",
        "The model's domain in the models table (by model_id), else a correction's, else null.",
        allowed=DOMAINS,
    ),
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
    Field(
        "model_id",
        "string",
        "",
        "Row id (model_id, or hardware_id for table hardware).",
        nullable=False,
    ),
    Field("field", "string", "", "Column of the cell.", nullable=False),
    Field("value", "string", "", "The cell's value as stored, as text (null when null)."),
    Field(
        "status",
        "string",
        "",
        "value, estimate, not_applicable, unknown, derived, absent or invalid.",
        nullable=False,
    ),
    Field("raw", "string", "", "Original text of the raw cell, as written."),
    Field("source", "string", "", "Raw file the value came from, relative to the repo."),
    Field("source_id", "string", "", "Id of that source in raw/sources.yaml."),
    Field("line", "int64", "", "1-based line of the raw cell in that file.", minimum=1),
    Field("char", "int64", "", "1-based character column of the raw cell.", minimum=1),
    Field("column", "string", "", "Header of the raw column."),
    Field("corrections", "string", "", "Ids of corrections applied, comma-separated."),
    Field(
        "reason",
        "string",
        "",
        "Why a cell is unknown, invalid or derived (hardware); null for the model tables.",
    ),
)

TABLES: dict[str, tuple[Field, ...]] = {"models": MODELS, "memory": MEMORY}
PRIMARY_KEY = "model_id"


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


# --- Figure points (issue 12): upstream's figure PDFs, one row per plotted marker ---------
_VINTAGE = Field(
    "vintage",
    "string",
    "",
    "Upstream commit of the figure PDF (raw/figures/README.md).",
    nullable=False,
)
_FIGURE = Field(
    "figure",
    "string",
    "",
    "Figure file name without .pdf (hw_scaling is Figure 1).",
    nullable=False,
)
_SERIES = Field(
    "series",
    "string",
    "",
    "Series named by the legend entry of the marker's colour (null: no legend).",
)
_COLOUR = Field("colour", "string", "", "Marker fill colour, #rrggbb (from PDFium).")

FIGURE_POINTS: tuple[Field, ...] = (
    _VINTAGE,
    _FIGURE,
    _SERIES,
    _COLOUR,
    Field("date", "date", "date", "Date read from the marker's x position (calibrated axis)."),
    Field("year", "float64", "year", "The same x position as a fractional year."),
    Field("value", "float64", "", "Value read from the marker's y position, in value_unit."),
    Field("value_unit", "string", "", "Unit of the y axis as the figure labels it."),
    Field("label", "string", "", "Nearest text label printed beside the marker (null: none)."),
    Field(
        "label_gap_pt", "float64", "pt", "Gap between the label's box and the marker.", minimum=0
    ),
    Field("coincident", "boolean", "", "Another marker is drawn within 1 pt of this one."),
    Field("page", "int64", "", "1-based page of the PDF.", nullable=False, minimum=1),
    Field("x_pt", "float64", "pt", "Marker centre x in PDF points (provenance).", nullable=False),
    Field("y_pt", "float64", "pt", "Marker centre y in PDF points (provenance).", nullable=False),
)
FIGURE_CLAIMS: tuple[Field, ...] = (
    _VINTAGE,
    _FIGURE,
    _SERIES,
    _COLOUR,
    Field("legend_text", "string", "", "Legend entry as printed.", nullable=False),
    Field("factor_per_2_years", "float64", "factor", "Stated growth per 2 years.", minimum=0),
    Field("factor_per_2_years_text", "string", "", "That factor as printed."),
    Field(
        "factor_per_2_years_half_unit",
        "float64",
        "factor",
        "Half a unit of the printed precision of factor_per_2_years.",
        minimum=0,
    ),
    Field("factor_per_20_years", "float64", "factor", "Stated growth per 20 years.", minimum=0),
    Field("factor_per_20_years_text", "string", "", "That factor as printed."),
    Field(
        "factor_per_20_years_half_unit",
        "float64",
        "factor",
        "Half a unit of the printed precision of factor_per_20_years.",
        minimum=0,
    ),
)
# Tables published next to the model tables; not built from upstream's README (so not in
# TABLES, which the model pipeline and contributions iterate). Primary keys for metadata.
REFERENCE_TABLES: dict[str, tuple[Field, ...]] = {
    "hardware": HARDWARE,
    "figure_points": FIGURE_POINTS,
    "figure_claims": FIGURE_CLAIMS,
}
REFERENCE_KEYS: dict[str, tuple[str, ...]] = {
    "hardware": ("hardware_id",),
    "figure_points": ("vintage", "figure", "page", "x_pt", "y_pt", "colour"),
    "figure_claims": ("vintage", "figure", "legend_text"),
}


# Upstream's history (issue 11): one row per cell that a README version states, plus one row
# per cell a version dropped. Written by the `history` stage (processed/history.*).
def _history_text(name: str, description: str, nullable: bool = True) -> Field:
    return Field(name, "string", "", description, nullable=nullable)


HISTORY: tuple[Field, ...] = (
    Field(
        "version",
        "int64",
        "",
        "Upstream README version, 1 (2021-03-16) to 26 (2024-03-23).",
        nullable=False,
        minimum=1,
    ),
    _history_text("commit", "Full id of upstream's commit of that version.", nullable=False),
    Field("committed", "datetime", "UTC", "Commit time of that version.", nullable=False),
    _history_text("table", "Upstream table: nlp-models, cv-models or memory.", nullable=False),
    _history_text("model_id", "Model, as in the published tables.", nullable=False),
    _history_text("field", "Published column the cell feeds.", nullable=False),
    _history_text(
        "raw",
        "Text of the raw cell as that version wrote it (empty: a blank cell a correction fills).",
    ),
    Field(
        "value",
        "float64",
        "field's base unit",
        "The number in today's units, after that version's conventions and corrections.",
    ),
    _history_text("status", "value, estimate or not_applicable.", nullable=False),
    Field("line", "int64", "", "1-based line of the raw cell in that version.", minimum=1),
    Field("col", "int64", "", "1-based character column of the raw cell.", minimum=1),
    _history_text("header", "Header of the raw column in that version's layout."),
    _history_text("conventions", "Unit conventions applied (data/unit_conventions.yaml ids)."),
    _history_text("corrections", "Ids of corrections applied, comma-separated."),
    _history_text(
        "change",
        "added, changed, same or removed, against the previous version having the table; "
        "a removed cell carries its last raw text.",
        nullable=False,
    ),
    Field(
        "restated",
        "boolean",
        "",
        "True when the meaning is the same but the text was printed differently.",
        nullable=False,
    ),
    _history_text("canonical", "The value as compared between versions, as text."),
    Field(
        "value_printed",
        "float64",
        "field's base unit",
        "The number as that version printed it, read in today's column unit (no conventions).",
    ),
    _history_text("kind", "Table layout of that version (tablekinds.py).", nullable=False),
    Field("previous_version", "int64", "", "The version compared with (null when added)."),
    _history_text("previous_raw", "Raw text in the previous version."),
    Field("previous_value", "float64", "field's base unit", "Number in the previous version."),
    Field(
        "previous_value_printed",
        "float64",
        "field's base unit",
        "Number as the previous version printed it.",
    ),
    _history_text("previous_status", "Status in the previous version."),
    Field("previous_line", "int64", "", "Line of the cell in the previous version."),
    _history_text("previous_canonical", "Compared text of the previous version."),
    _history_text("previous_conventions", "Unit conventions applied to the previous value."),
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

# Every published table (provenance aside), and those whose cells are in processed/provenance.
PUBLISHED_TABLES: dict[str, tuple[Field, ...]] = {
    **TABLES,
    **REFERENCE_TABLES,
    "history": HISTORY,
    "crossref": CROSSREF,
}
PROVENANCE_TABLES: tuple[str, ...] = (*TABLES, "hardware")
