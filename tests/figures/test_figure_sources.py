"""The figure PDFs under raw/figures are upstream's bytes, and their origin is read, not typed."""

import hashlib
from pathlib import Path

from memwall.figure_sources import copy_snapshot, read_vintages

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw" / "figures"
# sha256 printed by `sha256sum */*.pdf` in ../shared/upstream/figures (see its README)
EXPECTED_SHA256 = {
    "2021-03-29_943f8f5/hw_scaling.pdf": (
        "357a4b3de890afe6731202ad09f104e8191c6b23ac736f6dd0a4fa6c761aff2d"
    ),
    "2023-09-02_e14c1ed/hw_scaling.pdf": (
        "22e8ae57b6d59b8f473bf275845626283d874a5e68c8b42a640a6f998d39cc43"
    ),
    "2023-09-02_e14c1ed/gpu_memory_wall.pdf": (
        "0119d82de94ad636b2bb67f84f673b07a8cf5c12bddfec11ff0afc10a00e30f2"
    ),
}


def test_raw_pdfs_are_upstreams_bytes():
    assert len(list(RAW.glob("*/*.pdf"))) == 8
    for name, digest in EXPECTED_SHA256.items():
        assert hashlib.sha256((RAW / name).read_bytes()).hexdigest() == digest


def test_vintages_are_read_from_the_readme_table():
    vintages = read_vintages(RAW / "README.md")
    assert [v.commit[:7] for v in vintages] == ["943f8f5", "e14c1ed"]
    assert vintages[1].committed == "2023-09-02T13:34:27-07:00"
    assert vintages[1].url("hw_scaling.pdf") == (
        "https://github.com/amirgholami/ai_and_memory_wall/blob/"
        "e14c1ed73ed58b75bac7e06b86715a8a509bb59c/imgs/pdfs/hw_scaling.pdf"
    )


def test_copy_keeps_bytes_and_records_origin(tmp_path):
    vintages = read_vintages(RAW / "README.md")
    records = copy_snapshot(RAW, tmp_path, vintages)
    assert len(records) == 8
    for r in records:
        copied = tmp_path / r["folder"] / r["file"]
        assert copied.read_bytes() == (RAW / r["folder"] / r["file"]).read_bytes()
        assert r["url"].endswith(f"/{r['vintage']}/imgs/pdfs/{r['file']}")
