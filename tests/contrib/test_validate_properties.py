"""Property-based: arbitrary text and arbitrary edits of a valid table never make the
validator raise, and every position it reports points inside the input."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from helpers import CONTRIB
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memwall.config import check_params, read_params
from memwall.contrib.run import Options, validate
from support import REPO

PARAMS = check_params(read_params(REPO / "params.yaml"))
OPTIONS = Options(
    today=dt.date(2026, 11, 24),
    latest=dt.date(2026, 12, 31),
    gb_basis=PARAMS["gb_basis"],
    max_bytes=100_000,
    check_params=PARAMS,
)
VALID = (CONTRIB / "valid_new_model.md").read_text(encoding="utf-8")
MEMORY = (CONTRIB / "memory_total_not_sum_of_parts.md").read_text(encoding="utf-8")
# Characters that matter to the parsers: pipes, separators, digits, units, signs, newlines.
ALPHABET = "|-:,. 0123456789MGBKx~O()N/A=+@\"'\r\n\t\ufeffe"
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check_inside(data: bytes, fmt: str, tmp: Path) -> None:
    path = tmp / f"input.{fmt}"
    path.write_bytes(data)
    outcome = validate([str(path)], OPTIONS, io.BytesIO())
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    lines = text.split("\n")
    for p in outcome.problems:
        assert 1 <= p.line <= len(lines), p
        assert 1 <= p.column <= len(lines[p.line - 1]) + 1, p
    assert 0 <= outcome.rows_valid <= outcome.rows_read


@SETTINGS
@given(
    text=st.text(
        alphabet=st.sampled_from(ALPHABET) | st.characters(blacklist_categories=("Cs",)),
        max_size=400,
    )
)
def test_arbitrary_text_in_every_format(tmp_path_factory, text):
    tmp = tmp_path_factory.mktemp("any")
    for fmt in ("md", "csv", "json"):
        check_inside(text.encode("utf-8"), fmt, tmp)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes(tmp_path_factory, data):
    check_inside(data, "md", tmp_path_factory.mktemp("bytes"))


@st.composite
def mutated(draw, base: str) -> str:
    text = base
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        match draw(st.sampled_from(("insert", "delete", "replace"))):
            case "insert":
                text = text[:at] + draw(st.text(st.sampled_from(ALPHABET), max_size=5)) + text[at:]
            case "delete":
                text = text[:at] + text[at + draw(st.integers(1, 8)) :]
            case "replace":
                text = text[:at] + draw(st.sampled_from(ALPHABET)) + text[at + 1 :]
    return text


@SETTINGS
@given(text=mutated(VALID))
def test_mutations_of_a_valid_models_table(tmp_path_factory, text):
    check_inside(text.encode("utf-8"), "md", tmp_path_factory.mktemp("mut"))


@SETTINGS
@given(text=mutated(MEMORY))
def test_mutations_of_a_memory_table(tmp_path_factory, text):
    check_inside(text.encode("utf-8"), "md", tmp_path_factory.mktemp("mut"))
