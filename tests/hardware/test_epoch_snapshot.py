"""The Epoch AI snapshot under raw/ is the file its credit note describes, byte for byte."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

RAW = Path(__file__).resolve().parents[2] / "raw" / "epoch"


def test_snapshot_bytes_match_the_sha256_in_its_credit_note():
    note = (RAW / "ml_hardware.CREDIT.txt").read_text(encoding="utf-8")
    recorded = re.search(r"sha256 ([0-9a-f]{64})", note).group(1)
    assert hashlib.sha256((RAW / "ml_hardware.csv").read_bytes()).hexdigest() == recorded


def test_credit_note_names_the_licence_and_the_citation_epoch_asks_for():
    note = (RAW / "ml_hardware.CREDIT.txt").read_text(encoding="utf-8")
    assert 'Epoch AI, "Data on Machine Learning Hardware" (2024)' in note
    assert "CC BY 4.0" in note
