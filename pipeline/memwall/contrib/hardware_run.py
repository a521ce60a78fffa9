"""The hook of contributed hardware files into a `memwall validate` run: recognise and read a
document (`hardware_rows`), then check every hardware document of the run together
(`hardware_checks`)."""

from __future__ import annotations

from memwall.contrib.dataset import Dataset
from memwall.contrib.documents import Document, UsageError
from memwall.contrib.hardware_checks import (
    check_devices,
    compare_devices,
    contributed,
    published,
    repeated_devices,
)
from memwall.contrib.hardware_rows import HardwareDocument, read_hardware_document
from memwall.contrib.problems import Problem
from memwall.hardware_columns import MappingError
from memwall.hardware_forms import is_hardware


def read_if_hardware(document: Document) -> HardwareDocument | None:
    """The document read as hardware rows when its header is a hardware header, else None
    (the model readers take it)."""
    try:
        if not is_hardware(document.text, document.format):
            return None
        return read_hardware_document(document.name, document.text, document.format)
    except MappingError as exc:
        raise UsageError(str(exc)) from None


def hardware_problems(
    documents: list[HardwareDocument], dataset: Dataset | None, params: dict | None
) -> tuple[list[Problem], list[str]]:
    """Repeated devices; conflicts and duplicates against the published hardware table (when
    a dataset was found); the hardware stage's checks (when params.yaml has `hardware:`).
    Also what was skipped for want of a `hardware:` section (the run says when it has no
    params.yaml or dataset at all)."""
    mine = contributed(documents)
    if mine is None or mine.hardware.is_empty():
        return [], []
    problems = repeated_devices(mine)
    known = published(dataset)
    if known is not None:
        problems += compare_devices(mine, known)
    if params is None:
        return problems, [
            "no `hardware:` section in params.yaml: the hardware checks (tensor below FP32, "
            "plausibility, identical figures, dates) were skipped"
        ]
    return problems + check_devices(mine, known, params), []
