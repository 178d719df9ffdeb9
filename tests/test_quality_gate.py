"""The quality gate: extraction scores on development data may not drop below the floors pinned in
``benchmarks/floors.toml`` without that file changing in the same commit (trafilatura's eval_gate)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FLOORS = tomllib.loads((ROOT / "benchmarks" / "floors.toml").read_text(encoding="utf-8"))
POLNEAR = SHARED / "data" / "quotes" / "polnear" / "dev"


@pytest.mark.skipif(not POLNEAR.is_dir(), reason="../shared/data is not present")
def test_attribution_on_polnear_dev_stays_above_its_floors() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from attribution_polnear import evaluate
    finally:
        sys.path.pop(0)
    floors = FLOORS["attribution_polnear"]
    result = evaluate(POLNEAR, limit=int(floors["articles"]))
    scores = result["scores"]
    assert isinstance(scores, dict)
    for key, floor in floors.items():
        if key == "articles":
            continue
        role, match = key.split("_")
        f1 = scores[(role, match)][2]
        assert f1 >= floor, f"{role} {match} F1 {f1:.1f} fell below its floor {floor}"
