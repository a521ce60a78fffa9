"""The error catalogue: every problem and finding code, declared once.

A code is a stable kebab-case id (`ragged-row`, `params-memory-mismatch`) with a severity, a
short title and a message template (`str.format` fields). The contribution validator, the
pipeline's checks, the reports and the docs all read codes from here; nobody writes a code
as a bare string elsewhere. Each area declares its codes in its own section below; the
catalogue is their union and a code may be declared only once.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True)
class Code:
    """One problem or finding kind: what it is called, how bad it is, what it says.

    `variants` names other wordings of the same kind (a check that can say "nothing confirms
    it" or "it fits on the other basis"); each is a template like `template`.
    """

    code: str
    severity: str
    title: str
    template: str
    variants: tuple[tuple[str, str], ...] = ()

    def message(self, variant: str | None = None, **fields: object) -> str:
        """The message for one occurrence, with the template's (or a variant's) fields filled."""
        template = self.template if variant is None else dict(self.variants)[variant]
        return template.format(**fields)

    def templates(self) -> tuple[str, ...]:
        """Every wording this code can print: the template, then the variants."""
        return (self.template, *(text for _, text in self.variants))


# --- parsing and contributed rows (validator and parse stage) -------------------------------
PARSE: tuple[Code, ...] = (
    # reading a document
    Code(
        "too-large", ERROR, "File too large", "file is {size:,} bytes; the limit is {limit:,} bytes"
    ),
    Code("encoding", ERROR, "Not UTF-8", "{detail}"),
    Code("bom", WARNING, "Byte order mark", "file starts with a byte order mark; it is ignored"),
    Code("empty", ERROR, "Empty file", "file is empty; expected a table of models"),
    Code(
        "line-breaks",
        ERROR,
        "Carriage-return line breaks",
        "lines end in a carriage return only (CR, as classic Mac OS and Excel's "
        '"CSV (Macintosh)" save them); save the file with LF or CRLF line endings',
    ),
    Code("no-table", ERROR, "No table", "no markdown table found"),
    Code("csv", ERROR, "CSV syntax", "{detail}"),
    Code("json", ERROR, "JSON syntax or shape", "{detail}"),
    Code("unsafe-path", ERROR, "Unsafe file name", "'{name}' is not a safe raw/ file name"),
    # reading a table
    Code("unknown-table", ERROR, "Unknown table", "{reason}"),
    Code("no-rows", WARNING, "Table without rows", "{kind} table has no rows"),
    Code(
        "ragged-row",
        ERROR,
        "Ragged row",
        "row has {count} cells, the header has {width}{advice}",
    ),
    Code("unknown-column", ERROR, "Unknown column", "'{column}' is {why}"),
    Code("missing-column", ERROR, "Missing column", "no '{column}' column"),
    # reading a row
    Code("missing-model", ERROR, "Missing model", "the model cell is empty"),
    Code("model-id", ERROR, "Wrong model_id", "model_id '{given}' does not match model '{model}'"),
    Code("unit", ERROR, "Unreadable value", "{message} ({expected})"),
    Code("dropped", INFO, "Dropped by a correction", "dropped by correction {correction}"),
    Code("repeated-model", ERROR, "Model repeated", "{model_id} already has a row in {table}"),
    # value rules of the published tables (rules.py: the gate and `memwall validate`)
    Code("required", ERROR, "Required value", "{field} is required"),
    Code("range", ERROR, "Out of range", "{field} must be {bound}"),
    Code("allowed", ERROR, "Value not allowed", "{field} must be one of {allowed}"),
    Code(
        "date-range", ERROR, "Date out of range", "{field} must be between {earliest} and {latest}"
    ),
    Code("formula", ERROR, "Spreadsheet formula", "{field} must not start with = + - @ or a tab"),
    Code("pair", ERROR, "Unpaired values", "input_height and input_width come in pairs"),
    Code("future-date", ERROR, "Date in the future", "{field} {date} is after {today}"),
    # a contribution against the published dataset
    Code("conflict", ERROR, "Conflicts with the dataset", "{model_id} {field} differs from {at}"),
    Code(
        "duplicate", WARNING, "Adds nothing", "{model_id} is already in {table} with these values"
    ),
    Code(
        "day-first", WARNING, "Day and month swapped?", "'{raw}' reads as {value}; dataset: {known}"
    ),
)

# --- consistency checks over the model tables ------------------------------------------------
CHECKS: tuple[Code, ...] = (
    # cross-source-conflict is a warning when only a superseded value differs.
    Code(
        "memory-sum",
        ERROR,
        "Memory total",
        "total memory {total} is not the sum of its parts {terms} = {shown}; one of the four "
        "cells is mistyped",
    ),
    Code(
        "optimizer-ratio",
        WARNING,
        "Optimizer memory",
        "optimizer memory {optimizer} is {ratio:.3f} x parameter memory {params}; known "
        "optimizers need {known} (nearest: {shown})",
    ),
    Code(
        "params-memory",
        WARNING,
        "Parameter memory",
        "parameter memory {memory} implies {implied_millions:,.1f}M parameters at {width:g} "
        "bytes each, but the models table has {count} (expected {shown})",
        variants=(
            (
                "other-basis",
                "parameter memory {memory} implies {implied_millions:,.1f}M parameters at "
                "{width:g} bytes each, but the models table has {count} (expected {shown}); it "
                "fits if this row's GB means {other:,} bytes instead of {basis:,}",
            ),
            (
                "unconfirmed",
                "parameter memory {memory} implies {implied_millions:,.1f}M parameters at "
                "{width:g} bytes each; the models table has no parameter count for {model_id}, "
                "so nothing confirms it",
            ),
        ),
    ),
    Code(
        "inference-flops",
        ERROR,
        "Inference FLOPs",
        "inference {flop} GFLOPs is {ratio:.2f} x (2 x {params} params x {tokens} tokens = "
        "{shown} GFLOPs), outside [{low:g}, {high:g}]; wrong parameter count or FLOPs, unless "
        "the model reuses its weights",
    ),
    Code(
        "training-below-inference",
        ERROR,
        "Training below inference",
        "training total {training} PFLOPs ({training_flop:.3g} FLOP) is less than one "
        "inference pass {inference} GFLOPs ({inference_flop:.3g} FLOP); a unit is wrong "
        "(PFLOPs vs GFLOPs?)",
    ),
    Code(
        "cross-source-conflict",
        ERROR,
        "Sources disagree",
        "{field} differs between sources: {stated}; published: {published}. Correct the wrong "
        "one in the corrections registry.",
    ),
    Code(
        "probable-copy",
        WARNING,
        "Probable copy",
        "{count:,} models share at least {need} identical facts in the {table} table ({first} "
        "with {others}): probably rows copied and not edited; check each value against the "
        "model's paper",
        variants=(
            (
                "same-values",
                "{count:,} models share at least {need} identical facts in the {table} table "
                "({first} with {others}; all have {same}): probably rows copied and not edited; "
                "check each value against the model's paper",
            ),
        ),
    ),
    Code(
        "date-out-of-range",
        ERROR,
        "Date out of range",
        "publication date {text} ({date}) is before {bound}; a typo in the year or the "
        "day/month order? (move validate.latest_date for newer models)",
        variants=(
            (
                "future",
                "publication date {text} ({date}) is in the future of {bound}; a typo in the "
                "year or the day/month order? (move validate.latest_date for newer models)",
            ),
        ),
    ),
    Code(
        "year-vs-published",
        WARNING,
        "Year vs published",
        "memory table says {year} but the model was published {published} ({published_year})",
    ),
)

# --- upstream history (all README versions) ---------------------------------------------------
HISTORY: tuple[Code, ...] = (
    Code(
        "history-unit-shift",
        WARNING,
        "a column's values changed by one common factor",
        "{table}.{field}: {models} of {compared} models changed by x{factor:.3g} from version "
        "{previous_version} to {version}{explained}",
    ),
    Code(
        "history-row-shift",
        WARNING,
        "a value moved to another model's row",
        "{table}.{field}: '{raw}' of {from_model} (version {previous_version} line "
        "{previous_line}) is {to_model}'s in version {version} line {line}, while "
        "{from_model} changed to '{from_new_raw}'",
    ),
    Code(
        "history-flip-flop",
        WARNING,
        "a value changed and changed back",
        "{table}.{model_id}.{field}: '{raw_a}' (version {version_a} line {line_a}) -> "
        "'{raw_b}' (version {version_b} line {line_b}) -> '{raw_c}' (version {version_c} "
        "line {line_c})",
    ),
    Code(
        "duplicate-row",
        WARNING,
        "a model stated twice in one table of one version",
        "{model_id} is already stated on line {first_line}",
    ),
    Code(
        "history-old-version-only",
        INFO,
        "the newest statement of a value is in an old version only",
        "{table}.{model_id}.{field}: '{raw}' is stated last by version {version} line {line}; "
        "the newest version having the table, {newest_version} (table at line "
        "{newest_line}), does not state it",
    ),
)

# --- hardware datasheets --------------------------------------------------------------------
HARDWARE: tuple[Code, ...] = (
    Code(
        "hardware-csv-syntax",
        ERROR,
        "The hardware snapshot is not CSV",
        "{at}: {message}",
    ),
    Code(
        "hardware-unknown-column",
        ERROR,
        "A snapshot column the mapping neither reads nor ignores",
        "{at}: unknown column '{column}'; known: {known}",
    ),
    Code(
        "hardware-missing-column",
        ERROR,
        "A column the mapping reads is not in the snapshot (renamed?)",
        "{at}: missing column '{column}' (read as {output}); unknown columns here: {unknown}",
    ),
    Code(
        "hardware-duplicate-column",
        ERROR,
        "A column header appears twice in the snapshot",
        "{at}: column '{column}' appears twice",
    ),
    Code(
        "hardware-ragged-record",
        ERROR,
        "A record with more or fewer cells than the header",
        "{at}: record has {found} cells; the header has {expected}",
    ),
    Code(
        "hardware-no-name",
        ERROR,
        "A record without a hardware name cannot become a device row",
        "{at}: '{column}' is blank; a device needs a name",
    ),
    Code(
        "hardware-no-id",
        ERROR,
        "A hardware name with no letter or digit to make an id from",
        "{at}: name {name!r} has no letter or digit for a hardware_id",
    ),
    Code(
        "hardware-invalid-cell",
        WARNING,
        "A cell that is neither a value nor blank (inf, malformed, zero)",
        "{at}: {column}: {reason}",
    ),
    Code(
        "hardware-tensor-below-fp32",
        WARNING,
        "Dense 16-bit tensor peak below the FP32 peak",
        "{name}: tensor FP16/BF16 {tensor:.4g} FLOP/s is below FP32 {fp32:.4g} FLOP/s",
    ),
    Code(
        "hardware-implausible-figure",
        ERROR,
        "A figure outside the physically plausible range for its release year",
        "{name}: {field} {value:.4g} is outside [{low:.4g}, {high:.4g}] for {year}",
    ),
    Code(
        "hardware-duplicate-figures",
        WARNING,
        "Devices with identical figures across several columns",
        "{count} devices share {columns}: {names}",
    ),
    Code(
        "hardware-date-missing",
        WARNING,
        "A device without a (valid) release date",
        "{name}: no release date ({status})",
    ),
    Code(
        "hardware-date-out-of-range",
        ERROR,
        "A release date outside the accepted range",
        "{name}: release date {date} is outside [{earliest}, {latest}]",
    ),
    # row rules of the hardware schema (hardware_schema.py, in the validate gate)
    Code(
        "slug",
        ERROR,
        "hardware_id is not a slug",
        "hardware_id must be lowercase a-z and 0-9 words joined by single '-'",
    ),
    Code(
        "derived",
        ERROR,
        "Derived value differs from its formula",
        "{field} is {formula}, and null when an operand is",
    ),
)

# --- contributed hardware rows (`memwall validate`, contrib/hardware_rows.py) ---------------
# The rest of a contributed hardware file's problems use the codes above: the hardware
# stage's header, record and check codes, and `unit`, `conflict`, `duplicate` of PARSE.
HARDWARE_CONTRIB: tuple[Code, ...] = (
    Code(
        "hardware-id",
        ERROR,
        "Wrong hardware_id",
        "hardware_id '{given}' is not '{expected}', the id of the name '{name}'",
    ),
    Code(
        "hardware-repeated-device",
        ERROR,
        "Device repeated in one contribution",
        "{name} already has a row in this contribution ({at}); give one row per device",
    ),
    Code(
        "hardware-blank-drops-figure",
        WARNING,
        "A blank cell where the published device states a figure",
        "{name} {field} is blank here; the published '{known}' ({at}) would be lost: a "
        "contributed row replaces the device whole, so restate it",
    ),
    # a reject of the hardware stage (hardware_sources.py): sources stack, later wins
    Code(
        "hardware-superseded",
        INFO,
        "A device record replaced by a later source's record of the same device",
        "{at}: {name} is superseded by the later source's record at {by}",
    ),
)

# --- upstream figure points ---------------------------------------------------------------
FIGURES: tuple[Code, ...] = (
    Code(
        "figure-no-axes",
        ERROR,
        "figure without readable axes",
        "{where}: no readable axes: {reason}",
    ),
    Code(
        "figure-value-unmatched",
        WARNING,
        "plotted value matches no datasheet metric",
        "{vintage} {figure} '{point}' ({hardware_id}): plotted {value:.4g} implies no metric "
        "within {tolerance:.3f} decades of the series base {base:.4g} ({closest})",
    ),
    Code(
        "figure-date-mismatch",
        WARNING,
        "plotted date differs from the device's release date",
        "{vintage} {figure} '{point}' ({hardware_id}): plotted {date}, released {release_date} "
        "({days:+d} days; tolerance {tolerance} days)",
    ),
    # row rule of the figure_claims schema (figure_schema.py, in the validate gate)
    Code(
        "claim-stated",
        ERROR,
        "Legend entry states no growth factor",
        "a claim states a factor per 2 years or per 20 years",
    ),
)

# --- cross-reference with Epoch AI's Notable AI Models ---------------------------------------
CROSSREF: tuple[Code, ...] = (
    Code(
        "crossref-disagreement",
        WARNING,
        "Our value and Epoch AI's disagree beyond the field's tolerance",
        "{model_id} {field}: ours {ours} ('{ours_raw}', {ours_at}) vs Epoch AI's {reference} "
        "({reference_model}, {reference_at}), {difference}; reference note: {note}",
    ),
    # An error, unlike a plain disagreement: our date with day and month exchanged is exactly
    # the reference's, so our cell is almost surely misread; a correction fixes it (as
    # transformer-date-day-month-swapped does), and until then the build fails.
    Code(
        "crossref-date-swap",
        ERROR,
        "Our date with day and month exchanged is the reference's date",
        "{model_id} {field}: ours {ours} ('{ours_raw}', {ours_at}) with day and month swapped "
        "is Epoch AI's {reference} ({reference_model}, {reference_at}); probably written "
        "DD/MM where the table means MM/DD",
    ),
    Code(
        "crossref-reference-only",
        INFO,
        "The reference states a value where ours is blank",
        "{model_id} {field}: ours is blank ({ours_at}); Epoch AI states {reference} "
        "({reference_model}, {reference_at}); only a reviewed correction with evidence fills "
        "it; reference note: {note}",
    ),
)

# --- trends ---------------------------------------------------------------------------------
TRENDS: tuple[Code, ...] = (
    Code(
        "trend-too-few-points",
        WARNING,
        "Too few points to fit a trend",
        "series '{series}' has {n} usable points; a fit needs at least {minimum}",
    ),
    Code(
        "trend-claim-missing",
        WARNING,
        "Declared claim not found",
        "series '{series}' compares with the claim {key}, which figure_claims does not hold "
        "exactly once",
    ),
    Code(
        "trend-claim-disagrees",
        INFO,
        "Fit does not reproduce the printed rate",
        "fit '{series}' gives {fitted}x per 2 years; the legend prints {claim}",
    ),
    Code(
        "trend-source-missing",
        WARNING,
        "Source table of a series is missing",
        "series '{series}' reads table '{source}', which this build does not have; it is "
        "declared but not fitted",
    ),
)


def _catalogue(*sections: tuple[Code, ...]) -> dict[str, Code]:
    catalogue: dict[str, Code] = {}
    for section in sections:
        for code in section:
            if code.code in catalogue:
                raise ValueError(f"code '{code.code}' is declared twice in memwall.codes")
            if code.severity not in SEVERITIES:
                raise ValueError(f"code '{code.code}' has unknown severity '{code.severity}'")
            catalogue[code.code] = code
    return catalogue


CATALOGUE: dict[str, Code] = _catalogue(
    PARSE, CHECKS, HISTORY, HARDWARE, HARDWARE_CONTRIB, FIGURES, CROSSREF, TRENDS
)


def get(code: str) -> Code:
    """The declared code; a KeyError names the undeclared one."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise KeyError(f"'{code}' is not declared in memwall.codes") from None
