"""Loading batch output into the ledger: idempotent on both back ends, the same rows as ``save_analysis``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from crosscheck.batch import output_path, run_batch, write_output
from crosscheck.config import load_settings
from crosscheck.dedup import NearDuplicateIndex
from crosscheck.ingest import IngestReport, store_one
from crosscheck.load import load_output, read_shard, shard_markers
from crosscheck.records import Analysis
from crosscheck.storage import open_store
from crosscheck.storage.tables import claim_blocks, claim_places, claims, documents, entities, relations
from test_batch import ARTICLES, write_jsonl  # the articles written for the batch tests

TABLES = (documents, claims, claim_places, claim_blocks, entities, relations)
LEFT_OUT = {"seq", "added_at", "search"}  # row order numbers, load time, PostgreSQL's generated column


@pytest.fixture(scope="module")
def sudan_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The articles of ``test_batch`` analysed by the real pipeline, in three shards."""
    folder = tmp_path_factory.mktemp("sudan")
    corpus = write_jsonl(folder / "sudan.jsonl", ARTICLES)
    report = run_batch([str(corpus)], str(folder / "out"), scheduler="inline", partition_size=3)
    assert report.ok and len(report.shards) == 3
    return folder / "out"


def write_sample(out: Path, sample: list[Analysis]) -> None:
    """The sample as two shards, the near duplicate (last) in the second; no duplicate links given."""
    for analysis in sample:
        analysis.duplicate_of = None
    write_output(out, "part-a", sample[:3], marker={"source": "sample.jsonl", "line_offset": 0})
    write_output(out, "part-b", sample[3:], marker={"source": "sample.jsonl", "line_offset": 3})


def counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()) for t in TABLES}
    finally:
        engine.dispose()


def rows(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, without the columns that differ by when and how rows were written."""
    engine = sa.create_engine(url)
    out: dict[str, list[dict[str, Any]]] = {}
    try:
        with engine.connect() as conn:
            for t in TABLES:
                key = [c for c in t.primary_key.columns if c.name != "seq"] or [t.c.id]
                found = conn.execute(sa.select(t).order_by(*key)).mappings().all()
                out[t.name] = [
                    {k: bytes(v) if isinstance(v, memoryview) else v for k, v in r.items() if k not in LEFT_OUT}
                    for r in found
                ]
    finally:
        engine.dispose()
    return out


def test_loading_twice_gives_the_same_rows(db_url: str, sample: list[Analysis], tmp_path: Path) -> None:
    write_sample(tmp_path / "out", sample)
    first = load_output(str(tmp_path / "out"), db=db_url)
    assert (first.shards, first.documents, first.inserted, first.near_duplicates) == (2, 5, 5, 1)
    assert first.claims == sum(len(a.claims) for a in sample)
    after_first = counts(db_url)
    assert after_first["documents"] == 5 and after_first["claim_places"] > 0 and after_first["claim_blocks"] > 0
    assert after_first["entities"] == 4
    second = load_output(str(tmp_path / "out"), db=db_url)
    assert (second.inserted, second.unchanged, second.claims, second.relations) == (0, 5, 0, 0)
    assert counts(db_url) == after_first


def test_load_writes_the_rows_ingest_writes(db_url: str, sudan_output: Path, tmp_path: Path) -> None:
    report = load_output(str(sudan_output), db=db_url)
    saved = f"sqlite:///{tmp_path / 'saved.db'}"
    index = NearDuplicateIndex(threshold=load_settings()["near_duplicate_threshold"])
    with open_store(saved) as st:
        for marker in shard_markers(sudan_output)[0]:  # as ingest stores and reconciles, one after another
            for analysis, _ in read_shard(sudan_output, marker):
                store_one(st, analysis, index=index, report=IngestReport())
    loaded, expected = rows(db_url), rows(saved)
    assert report.relations > 0 and {r["type"] for r in loaded["relations"]} >= {"contradicts"}
    assert any(c["status"] for c in loaded["claims"])
    for table in TABLES:
        assert loaded[table.name] == expected[table.name], table.name


def test_near_duplicates_are_linked_from_the_signatures(sample: list[Analysis], tmp_path: Path) -> None:
    write_sample(tmp_path / "out", sample)
    url = f"sqlite:///{tmp_path / 'l.db'}"
    load_output(str(tmp_path / "out"), db=url)
    with open_store(url) as st:
        info = st.documents_info([a.document.id for a in sample])
    assert info[sample[4].document.id].duplicate_of == sample[0].document.id
    assert [i.duplicate_of for i in info.values()].count(None) == 4


def test_an_interrupted_shard_is_listed_not_loaded(sample: list[Analysis], tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_sample(out, sample)
    output_path(out, "part-b", "done").unlink()
    markers, incomplete = shard_markers(out)
    assert [m["shard"] for m in markers] == ["part-a"] and incomplete == ["part-b"]
    report = load_output(str(out), db=f"sqlite:///{tmp_path / 'l.db'}")
    assert (report.inserted, report.incomplete) == (3, ["part-b"])


def test_an_unreadable_shard_is_reported_and_the_others_load(sample: list[Analysis], tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_sample(out, sample)
    output_path(out, "part-a", "claims").write_bytes(b"not parquet")
    report = load_output(str(out), db=f"sqlite:///{tmp_path / 'l.db'}")
    assert report.inserted == 2 and len(report.errors) == 1 and "part-a.claims.parquet" in report.errors[0]


def test_loading_without_reconciling_stores_no_relations(sudan_output: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    report = load_output(str(sudan_output), db=url, reconcile=False)
    assert report.inserted == len(ARTICLES) and report.relations == 0 and counts(url)["relations"] == 0


def test_a_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    from crosscheck.errors import InputError

    with pytest.raises(InputError, match="no such folder"):
        load_output(str(tmp_path / "nowhere"), db=f"sqlite:///{tmp_path / 'l.db'}")


def test_nul_characters_are_stored_as_save_analysis_stores_them(
    db_url: str, sample: list[Analysis], tmp_path: Path
) -> None:
    doc = sample[2].document
    doc.text = doc.text.replace("No independent", "No\x00independent")  # same length: offsets hold
    write_output(tmp_path / "out", "nul", [sample[2]])
    load_output(str(tmp_path / "out"), db=db_url)
    with open_store(db_url) as st:
        stored = st.get_document(doc.id).text
        expected = doc.text.replace("\x00", "\ufffd") if st.dialect == "postgresql" else doc.text
    assert stored == expected and len(stored) == len(doc.text)
