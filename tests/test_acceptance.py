"""The seed acceptance: ingest ../shared/seeds, export JSON Lines, hold it against the hand-written expectations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crosscheck.export import export_jsonl
from crosscheck.ingest import ingest
from crosscheck.storage import open_store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
CHECK = SHARED / "acceptance" / "check_claims.py"
EXPECTED = SHARED / "acceptance" / "seeds.expected.json"

pytestmark = pytest.mark.skipif(not (SEEDS.is_dir() and CHECK.is_file()), reason="../shared is not present")


def test_seed_acceptance_passes(tmp_path: Path, db_url: str) -> None:
    # both back ends: the same pipeline and export must pass on SQLite and on the real PostgreSQL server
    db = db_url
    report = ingest([str(SEEDS)], db=db)
    assert not report.errors, report.errors
    assert report.inserted == 2
    out = tmp_path / "out.jsonl"
    with open_store(db) as st, open(out, "w", encoding="utf-8") as fh:
        export_jsonl(st, fh)
    run = subprocess.run(
        [sys.executable, str(CHECK), str(EXPECTED), str(out), "--verbose"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "PASS" in run.stdout.splitlines()[-1]


def test_reingesting_seeds_changes_nothing(db_url: str) -> None:
    db = db_url
    first = ingest([str(SEEDS)], db=db)
    with open_store(db) as st:
        before = (st.count_documents(), st.count_claims(), len(st.relations()))
    second = ingest([str(SEEDS)], db=db)
    with open_store(db) as st:
        after = (st.count_documents(), st.count_claims(), len(st.relations()))
    assert first.inserted == 2 and second.inserted == 0 and second.unchanged == 2
    assert before == after
