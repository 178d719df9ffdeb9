"""Batch analysis: a local Dask cluster gives what ``ingest`` gives; shards resume after a kill.

The articles are written for these tests (a made-up week of fighting in Sudan, January 2024).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crosscheck.batch import BatchReport, output_path, process_shard, run_batch, shard_inputs
from crosscheck.ingest import ingest
from crosscheck.load import load_output, shard_markers
from crosscheck.storage import open_store
from crosscheck.storage.codec import claim_record

ARTICLES: list[dict[str, Any]] = [
    {
        "id": "t-1",
        "outlet": "Blue Nile Post",
        "date": "2024-01-14",
        "url": "https://bluenile.example/a1",
        "title": "Army says it retook Wad Madani",
        "text": "The Sudanese army said on Saturday that its troops had recaptured Wad Madani after two days of "
        "fighting. A military spokesman said at least 30 fighters of the Rapid Support Forces were killed in the "
        "town. Residents said the market had been closed since Thursday.",
    },
    {
        "id": "t-2",
        "outlet": "Kordofan Daily",
        "date": "2024-01-14",
        "url": "https://kordofan.example/b2",
        "title": "RSF says it holds Wad Madani",
        "text": "The Rapid Support Forces said on Saturday that their fighters were still holding Wad Madani. "
        "An RSF commander denied that the army had entered the town, calling the reports fabricated. "
        "Aid groups said thousands of families had fled south toward Sennar.",
    },
    {
        "id": "t-3",
        "outlet": "Blue Nile Post",
        "date": "2024-01-20",
        "url": "https://bluenile.example/a3",
        "title": "Drone strike on El Obeid",
        "text": "Officials in North Kordofan said a drone struck the airport in El Obeid on Friday night. "
        "The governor said five people were wounded and two hangars were destroyed. "
        "No group has said it carried out the attack.",
    },
    {
        "id": "t-4",
        "outlet": "Sahel Monitor",
        "date": "2024-01-21",
        "url": "https://sahelmon.example/c4",
        "title": "Convoy reaches Kadugli",
        "text": "A United Nations spokesperson said an aid convoy of 18 trucks reached Kadugli on Sunday. "
        "The convoy carried food for about 40,000 people, the spokesperson said. "
        "Local officials said the road from El Obeid remained dangerous.",
    },
    {
        "id": "t-5",
        "outlet": "Kordofan Daily",
        "date": "2024-01-22",
        "url": "https://kordofan.example/b5",
        "title": "Shelling in Omdurman",
        "text": "Witnesses said artillery shells hit a residential district of Omdurman on Monday morning. "
        "Medics at a nearby clinic said 12 civilians were killed and dozens were wounded. "
        "The army blamed the Rapid Support Forces for the shelling.",
    },
    {
        "id": "t-6",
        "outlet": "Sahel Monitor",
        "date": "2024-01-23",
        "url": "https://sahelmon.example/c6",
        "title": "Talks stall in Jeddah",
        "text": "Mediators said on Tuesday that talks between the two sides had stalled in Jeddah. "
        "A diplomat said neither delegation would agree to a ceasefire before the end of the month. "
        "The army said it would keep fighting until the paramilitary group surrendered.",
    },
    {
        "id": "t-7",
        "outlet": "Nile Ledger",
        "date": "2024-01-24",
        "url": "https://nileledger.example/d7",
        "title": "Bridge closed in Khartoum",
        "text": "Engineers said the Halfaya bridge in Khartoum was closed on Wednesday after it was damaged by "
        "shelling. The army said its forces were holding the northern end of the bridge. "
        "The Rapid Support Forces said they had repelled an attack near the bridge.",
    },
    {
        "id": "t-8",
        "outlet": "Nile Ledger",
        "date": "2024-01-25",
        "url": "https://nileledger.example/d8",
        "title": "Refugees cross into Chad",
        "text": "The UN refugee agency said more than 2,000 people crossed into Chad from Darfur on Thursday. "
        "Camp managers in Adre said water supplies were running low.",
    },
]


def write_jsonl(path: Path, records: list[dict[str, Any]], *, blank_after: int | None = None) -> Path:
    lines = []
    for i, r in enumerate(records):
        lines.append(json.dumps(r))
        if blank_after is not None and i == blank_after:
            lines.append("")  # a blank line: line numbers must still map back
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def output_rows(out: Path, kind: str) -> list[dict[str, Any]]:
    markers, _ = shard_markers(out)
    rows: list[dict[str, Any]] = []
    for m in markers:
        rows.extend(pq.read_table(out / m["files"][kind]).to_pylist())
    return rows


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("corpus") / "sudan.jsonl", ARTICLES, blank_after=3)


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What single-process ``ingest`` stores for the corpus (no reconciliation: claim statuses stay unset)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ref') / 'ref.db'}"
    ingest([str(corpus)], db=url, relate=False)
    with open_store(url) as st:
        return {
            "claims": {c.id: claim_record(c) for c in st.iter_claims()},
            "documents": {d.id: d for d in st.iter_documents()},
        }


@pytest.fixture(scope="module")
def cluster_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BatchReport]:
    """The corpus in partitions of 3 on a local cluster of 2 workers, with a broken Parquet shard beside it."""
    bad = tmp_path_factory.mktemp("bad") / "broken.parquet"
    bad.write_bytes(b"PAR1 this is not a parquet file")
    out = tmp_path_factory.mktemp("out")
    report = run_batch([str(corpus), str(bad)], str(out), workers=2, partition_size=3)
    return out, report


def test_cluster_gives_the_claims_ingest_gives(
    cluster_run: tuple[Path, BatchReport], reference: dict[str, Any]
) -> None:
    out, report = cluster_run
    assert report.workers == 2 and report.partitions == 3
    assert report.documents == len(ARTICLES) and report.claims == len(reference["claims"]) > 0
    claims = {r["id"]: json.loads(r["data"]) for r in output_rows(out, "claims")}
    assert claims == reference["claims"]
    assert len({s.worker for s in report.shards}) == 2  # both workers took shards


def test_partitions_keep_the_original_file_and_line(
    cluster_run: tuple[Path, BatchReport], reference: dict[str, Any], corpus: Path
) -> None:
    out, _ = cluster_run
    docs = {r["id"]: json.loads(r["data"]) for r in output_rows(out, "documents")}
    assert docs.keys() == reference["documents"].keys()
    for doc_id, data in docs.items():
        ref = reference["documents"][doc_id]
        assert (data["path"], data["source_ref"], data["outlet"]) == (ref.path, ref.source_ref, ref.outlet)
    refs = sorted(d["source_ref"] for d in docs.values())
    assert f"{corpus}:6#t-5" in refs  # the blank line after the fourth article counts


def test_output_has_typed_columns_and_signatures(cluster_run: tuple[Path, BatchReport]) -> None:
    out, _ = cluster_run
    markers, incomplete = shard_markers(out)
    assert incomplete == [] and len(markers) == 3
    table = pq.read_table(out / markers[0]["files"]["documents"])
    assert table.schema.field("signature").type == pa.binary()
    assert all(len(sig) == 4 + 128 * 8 for sig in table.column("signature").to_pylist())
    claims = pq.read_table(out / markers[0]["files"]["claims"])
    assert claims.schema.field("blocks").type == pa.list_(pa.string())


def test_a_failed_shard_is_reported_and_the_others_finish(cluster_run: tuple[Path, BatchReport]) -> None:
    out, report = cluster_run
    assert list(report.failed) == ["broken"]
    assert "Parquet" in report.failed["broken"]
    assert not output_path(out, "broken", "done").exists()
    assert len(report.shards) == 3


def test_running_again_skips_finished_shards(cluster_run: tuple[Path, BatchReport], corpus: Path) -> None:
    out, _ = cluster_run
    before = {p.name: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = run_batch([str(corpus)], str(out), scheduler="inline", partition_size=3)
    assert again.skipped == 3 and again.processed == 0
    assert again.documents == len(ARTICLES)
    after = {p.name: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert after == before  # partitions and output untouched


def test_a_changed_partition_size_cuts_again(tmp_path: Path, corpus: Path) -> None:
    shards, errors, cut = shard_inputs([str(corpus)], str(tmp_path), partition_size=5)
    assert cut == 2 and errors == [] and [n for n, _ in shards] == [Path(p).stem for _, p in shards]
    shards, _, cut = shard_inputs([str(corpus)], str(tmp_path), partition_size=50)
    assert cut == 0 and shards == [("sudan", str(corpus))]


def test_a_killed_shard_is_redone_without_duplicates(tmp_path: Path) -> None:
    shard = write_jsonl(tmp_path / "week.jsonl", ARTICLES[:3])
    out = tmp_path / "out"
    out.mkdir()
    (out / ".week.claims.parquet.99999.tmp").write_bytes(b"half a file")  # left by an earlier crash
    script = textwrap.dedent(
        f"""
        import os
        from crosscheck import batch
        batch._write_marker = lambda *args, **kwargs: os._exit(9)  # die after the data, before the marker
        batch.process_shard({str(shard)!r}, {str(out)!r})
        """
    )
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert killed.returncode == 9, killed.stderr.decode()
    assert output_path(out, "week", "claims").exists() and not output_path(out, "week", "done").exists()
    markers, incomplete = shard_markers(out)
    assert markers == [] and incomplete == ["week"]

    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert load_output(str(out), db=db).inserted == 0  # an unfinished shard is never loaded

    result = process_shard(str(shard), str(out))
    assert not result.skipped and result.documents == 3
    assert output_path(out, "week", "done").exists()
    assert not list(out.glob(".*.tmp"))
    first = load_output(str(out), db=db)
    second = load_output(str(out), db=db)
    assert (first.inserted, second.inserted, second.unchanged) == (3, 0, 3)
    with open_store(db) as st:
        assert st.count_documents() == 3 and st.count_claims() == result.claims


def test_a_changed_input_is_analysed_again(tmp_path: Path) -> None:
    shard = write_jsonl(tmp_path / "days.jsonl", ARTICLES[2:4])
    out = tmp_path / "out"
    assert process_shard(str(shard), str(out)).documents == 2
    assert process_shard(str(shard), str(out)).skipped
    os.utime(shard, ns=(1, 1))  # touched, same bytes: the hash says it is the same input
    assert process_shard(str(shard), str(out)).skipped
    write_jsonl(shard, ARTICLES[2:5])
    redone = process_shard(str(shard), str(out))
    assert not redone.skipped and redone.documents == 3


def test_parquet_shards_are_read(tmp_path: Path, reference: dict[str, Any]) -> None:
    rows = [{k: a[k] for k in ("id", "outlet", "date", "url", "title", "text")} for a in ARTICLES[:2]]
    path = tmp_path / "two.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    result = process_shard(str(path), str(tmp_path / "out"))
    assert (result.documents, result.errors) == (2, [])
    claims = {
        r["id"]: json.loads(r["data"])
        for r in pq.read_table(output_path(tmp_path / "out", "two", "claims")).to_pylist()
    }
    assert claims and all(reference["claims"][cid] == data for cid, data in claims.items())


def test_bad_lines_are_listed_not_fatal(tmp_path: Path) -> None:
    shard = tmp_path / "mixed.jsonl"
    shard.write_text(json.dumps(ARTICLES[7]) + "\n{not json\n" + json.dumps({"id": "x", "text": ""}) + "\n")
    result = process_shard(str(shard), str(tmp_path / "out"))
    assert result.documents == 1
    assert len(result.errors) == 2 and f"{shard}:2" in result.errors[0]
    marker = json.loads(output_path(tmp_path / "out", "mixed", "done").read_text())
    assert marker["errors"] == result.errors


def test_inputs_that_are_not_shards_are_reported(tmp_path: Path) -> None:
    note = tmp_path / "notes.txt"
    note.write_text("hello")
    report = run_batch([str(note), str(tmp_path / "missing.jsonl")], str(tmp_path / "out"), scheduler="inline")
    assert report.shards == [] and len(report.errors) == 2 and not report.ok
