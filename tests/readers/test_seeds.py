"""The two seed articles in ../shared/seeds (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.readers import read_inputs
from crosscheck.records import Document
from crosscheck.sources import SourceRegistry

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEED_000 = SEEDS / "000_86ea7759812cc091.txt"
SEED_003 = SEEDS / "003_e7a7ab985856f94a.txt"


def read_seed(path: Path, registry: SourceRegistry) -> Document:
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    (doc,) = read_inputs([str(path)], registry=registry)
    assert isinstance(doc, Document), doc
    return doc


def test_seed_000(registry: SourceRegistry) -> None:
    doc = read_seed(SEED_000, registry)
    assert "Zelensky Visits Troops" in (doc.title or "")
    assert doc.byline == "AFP"
    assert doc.published == "2025-11-04"
    assert doc.url is not None and "themoscowtimes.com/2025/11/04" in doc.url
    assert doc.outlet == "The Moscow Times"
    assert doc.handle == "@V_Zelenskiy_official"
    assert doc.text.startswith("President Volodymyr Zelensky on Tuesday said")
    for meta in ("##", "By AFP", "November 04, 2025", "Original url", "@V", "themoscowtimes"):
        assert meta not in doc.text


def test_seed_003(registry: SourceRegistry) -> None:
    doc = read_seed(SEED_003, registry)
    assert doc.published is None
    assert "Russia storms Pokrovsk" in (doc.title or "")
    assert doc.url is None
    assert doc.text.startswith("Russia storms Pokrovsk")
    assert "\n\n" in doc.text
