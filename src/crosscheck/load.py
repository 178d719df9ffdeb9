"""Load the Parquet output of ``crosscheck.batch`` into a ledger, then reconcile what is new.

Only shards whose ``.done`` marker exists are read (an interrupted shard is listed, not loaded), in
the order of their input file and line, so near-duplicate links come out as ``ingest`` of the same
files would make them: the index is rebuilt from the signatures in the ledger and in the output.
A document already in the ledger is left as it is, so loading twice changes nothing.

PostgreSQL: each shard is one transaction that COPYs its rows into temporary staging tables, then
``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` into the ledger's tables (claims, places and blocking
keys only of documents inserted now; the ``search`` columns fill themselves). SQLite: ``Store.bulk_save``.
Reconciliation then relates the new claims of each shard to the claims that share a block with them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from crosscheck.batch import FORMAT, KINDS, MARKER
from crosscheck.config import load_settings
from crosscheck.dedup import NearDuplicateIndex
from crosscheck.errors import CrosscheckError, InputError, StorageError
from crosscheck.reconcile import reconcile as reconcile_claims
from crosscheck.records import Analysis, Claim
from crosscheck.storage import Store, claim_from_dict, claim_record, document_from_dict, entity_from_dict, open_store
from crosscheck.storage.codec import block_rows, claim_row, place_rows
from crosscheck.storage.tables import claim_blocks, claim_places, claims, documents

__all__ = ["LoadReport", "analysis_rows", "load_output", "read_shard", "shard_markers"]

Progress = Callable[[str, int], None]  # (event, count): "shard", "documents", "error"


@dataclass
class LoadReport:
    shards: int = 0  # shards read
    incomplete: list[str] = field(default_factory=list)  # output without a marker: interrupted, not loaded
    documents: int = 0  # documents read from the output
    inserted: int = 0  # new in the ledger
    unchanged: int = 0  # already there: left as they were
    near_duplicates: int = 0
    claims: int = 0  # claims stored with the inserted documents
    relations: int = 0
    errors: list[str] = field(default_factory=list)  # shards that could not be read
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "shards": self.shards,
            "incomplete": list(self.incomplete),
            "documents": self.documents,
            "inserted": self.inserted,
            "unchanged": self.unchanged,
            "near_duplicates": self.near_duplicates,
            "claims": self.claims,
            "relations": self.relations,
            "errors": list(self.errors),
            "seconds": round(self.seconds, 3),
        }


# -- reading the output ------------------------------------------------------------------------------


def shard_markers(out_dir: str | Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The markers of the finished shards in ``out_dir``, in input order (file, then line), and the
    names of shards that have output but no marker (an interrupted run: run the batch again)."""
    out = Path(out_dir)
    if not out.is_dir():
        raise InputError(str(out), "no such folder", "give the folder that `crosscheck batch` wrote")
    markers = []
    for path in sorted(out.glob(f"*{MARKER}")):
        try:
            marker = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(marker, dict) and marker.get("format") == FORMAT:
            markers.append(marker)
    names = {str(m.get("shard")) for m in markers}
    started = {p.name.split(".")[0] for p in out.glob("*.parquet")}
    markers.sort(key=lambda m: (str(m.get("source", "")), int(m.get("line_offset", 0)), str(m.get("shard"))))
    return markers, sorted(started - names)


def read_shard(out_dir: str | Path, marker: dict[str, Any]) -> list[tuple[Analysis, bytes | None]]:
    """The analyses of one finished shard, in order, each with its document's MinHash signature."""
    return _read_shard(Path(out_dir), marker, skip=frozenset())[0]


def _read_shard(
    out: Path, marker: dict[str, Any], *, skip: Container[str]
) -> tuple[list[tuple[Analysis, bytes | None]], int]:
    """The analyses of the shard's documents not in ``skip`` (whose claims are not even decoded), and
    how many documents the shard has."""
    files = marker.get("files") or {}
    tables: dict[str, list[dict[str, Any]]] = {}
    for kind in KINDS:
        path = out / str(files.get(kind, ""))
        try:
            tables[kind] = pq.read_table(path).to_pylist()
        except (OSError, pa.ArrowException) as err:
            raise InputError(str(path), f"cannot read the shard's {kind} ({err})", "run the batch again") from err
    wanted = {row["id"] for row in tables["documents"] if row["id"] not in skip}
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for row in tables["claims"]:
        if row["document_id"] in wanted:
            by_doc.setdefault(row["document_id"], []).append(row)
    entities: dict[str, list[dict[str, Any]]] = {}
    for row in tables["entities"]:
        if row["document_id"] in wanted:
            entities.setdefault(row["document_id"], []).append(row)
    items: list[tuple[Analysis, bytes | None]] = []
    for row in sorted(tables["documents"], key=lambda r: r["ord"]):
        if row["id"] not in wanted:
            continue
        doc = document_from_dict({**json.loads(row["data"]), "text": row["text"]})
        found = sorted(by_doc.get(doc.id, []), key=lambda r: r["ord"])
        analysis = Analysis(
            document=doc,
            claims=[claim_from_dict(json.loads(r["data"])) for r in found],
            entities=[entity_from_dict(json.loads(r["data"])) for r in entities.get(doc.id, [])],
        )
        items.append((analysis, row["signature"]))
    return items, len(tables["documents"])


# -- rows of the ledger's tables ---------------------------------------------------------------------

_DOC_COLUMNS = [c.name for c in documents.c if c.name != "seq"]
_CLAIM_COLUMNS = [c.name for c in claims.c if c.name != "seq"]
_PLACE_COLUMNS = [c.name for c in claim_places.c]
_BLOCK_COLUMNS = [c.name for c in claim_blocks.c]


def analysis_rows(
    analysis: Analysis, *, signature: bytes | None, added_at: str, clean: Callable[[str], str] = str
) -> dict[str, list[dict[str, Any]]]:
    """The rows ``Store.save_analysis`` writes for ``analysis`` (entities aside), by table name.

    Kept in step with ``Store._insert_*`` by ``tests/test_load.py``, which compares both ways of saving.
    """
    doc = analysis.document
    doc_row: dict[str, Any] = {name: getattr(doc, name, None) for name in _DOC_COLUMNS}
    doc_row.update(
        text=clean(doc.text),
        title=clean(doc.title) if doc.title else doc.title,
        duplicate_of=analysis.duplicate_of,
        added_at=added_at,
        signature=signature,
    )
    claim_rows: list[dict[str, Any]] = []
    places: list[dict[str, Any]] = []
    blocks: list[dict[str, Any]] = []
    for c in analysis.claims:
        row = claim_row(c, doc)
        row.update(text=clean(c.text), sentence=clean(c.sentence), data=json.dumps(claim_record(c), ensure_ascii=False))
        claim_rows.append(row)
        places.extend(place_rows(c))
        blocks.extend(block_rows(c))
    return {"documents": [doc_row], "claims": claim_rows, "claim_places": places, "claim_blocks": blocks}


# -- loading -----------------------------------------------------------------------------------------


def load_output(
    out_dir: str,
    *,
    db: str | None = None,
    reconcile: bool = True,
    store: Store | None = None,
    progress: Progress | None = None,
) -> LoadReport:
    """Load every finished shard in ``out_dir`` into the ledger at ``db`` (or ``store``); idempotent.

    A shard that cannot be read is reported in ``errors`` and the others still go in; a database
    failure raises StorageError (what was committed stays, and loading again completes it).
    """
    started = time.perf_counter()
    settings = load_settings(db=db)
    markers, incomplete = shard_markers(out_dir)
    report = LoadReport(incomplete=incomplete)
    own = store is None
    st = store if store is not None else open_store(settings["db"])
    try:
        known = st.document_ids()
        index = NearDuplicateIndex(threshold=settings["near_duplicate_threshold"])
        index.add_signatures(st.iter_signatures())
        for marker in markers:
            try:
                items, total = _read_shard(Path(out_dir), marker, skip=known)
            except CrosscheckError as err:
                report.errors.append(str(err))
                if progress:
                    progress("error", 1)
                continue
            report.shards += 1
            report.documents += total
            report.unchanged += total - len(items)
            fresh = list(_fresh(items, known, index, report))
            stored = _save(st, fresh) if fresh else []
            report.inserted += len(stored)
            report.unchanged += len(fresh) - len(stored)
            report.claims += sum(len(a.claims) for a in stored)
            if reconcile:
                report.relations += _reconcile(st, stored)
            if progress:
                progress("shard", 1)
                progress("documents", total)
        report.seconds = time.perf_counter() - started
        return report
    finally:
        if own:
            st.close()


def _fresh(
    items: Sequence[tuple[Analysis, bytes | None]], known: set[str], index: NearDuplicateIndex, report: LoadReport
) -> Iterator[tuple[Analysis, bytes | None]]:
    """The analyses whose documents are not in the ledger yet, linked to an earlier near duplicate."""
    for analysis, sig in items:
        doc_id = analysis.document.id
        if doc_id in known:
            report.unchanged += 1
            continue
        known.add(doc_id)
        if sig is None:
            sig = index.signature(analysis.document.text)
        dup = index.add_signature(doc_id, sig)
        if dup is not None and dup != doc_id:
            analysis.duplicate_of = dup
            report.near_duplicates += 1
        yield analysis, sig


def _save(st: Store, items: list[tuple[Analysis, bytes | None]]) -> list[Analysis]:
    """Save ``items``; returns the analyses whose documents were inserted (not already there)."""
    if st.dialect == "postgresql":
        return _copy_postgres(st, items)
    signatures = {a.document.id: sig for a, sig in items if sig is not None}
    results = st.bulk_save([a for a, _ in items], signatures=signatures)
    inserted = {r.document_id for r in results if r.inserted}
    return [a for a, _ in items if a.document.id in inserted]


def _reconcile(st: Store, stored: Sequence[Analysis]) -> int:
    """Relate the new claims one document after another, in input order, each seeing only the claims
    of documents before it: the relations (and their direction) that ``ingest`` would have stored."""
    total = 0
    settled = _Settled(st, {a.document.id for a in stored})
    for analysis in stored:
        settled.pending.discard(analysis.document.id)
        if analysis.claims:
            total += reconcile_claims(cast(Store, settled), analysis.claims)
    return total


class _Settled:
    """The store as reconciliation sees it: claims of documents still ``pending`` are left out of the
    candidates, as if those documents were not stored yet."""

    def __init__(self, store: Store, pending: set[str]) -> None:
        self._store = store
        self.pending = pending

    def claims_by_blocks(self, keys: Iterable[str]) -> list[Claim]:
        return [c for c in self._store.claims_by_blocks(keys) if c.document_id not in self.pending]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


# -- PostgreSQL: COPY into staging tables, then INSERT ... SELECT ... ON CONFLICT DO NOTHING ----------

_STAGES = (
    ("documents", _DOC_COLUMNS),
    ("claims", _CLAIM_COLUMNS),
    ("claim_places", _PLACE_COLUMNS),
    ("claim_blocks", _BLOCK_COLUMNS),
)


RETRIES = 4
_RETRY_SQLSTATES = {"40P01", "40001"}  # deadlock, serialization failure


def _storage_error(st: Store, err: sa.exc.SQLAlchemyError) -> StorageError:
    reason = str(getattr(err, "orig", None) or err).strip()
    return StorageError(f"{st.url}: cannot load documents: {reason.splitlines()[0] if reason else type(err).__name__}")


def _pg_text(value: Any) -> Any:
    # PostgreSQL text cannot hold NUL; U+FFFD keeps the length, so offsets stay valid.
    return value.replace("\x00", "\ufffd") if isinstance(value, str) else value


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _copy_postgres(st: Store, items: list[tuple[Analysis, bytes | None]]) -> list[Analysis]:
    added_at = datetime.now(UTC).isoformat(timespec="seconds")
    staged: dict[str, list[list[Any]]] = {table: [] for table, _ in _STAGES}
    for analysis, sig in items:
        rows = analysis_rows(analysis, signature=sig, added_at=added_at)
        for table, columns in _STAGES:
            for row in rows[table]:
                staged[table].append([*(_pg_text(row[c]) for c in columns), len(staged[table]), analysis.document.id])
    for attempt in range(RETRIES):
        try:
            with st.engine.begin() as conn:
                new_ids = _copy_and_insert(conn, staged)
                inserted = [a for a, _ in items if a.document.id in new_ids]
                entities = [e for a in inserted for e in a.entities]
                if entities:
                    st.merge_entities(conn, entities)  # the Store's own merge, in this transaction
            break
        except sa.exc.DBAPIError as err:
            if attempt + 1 < RETRIES and getattr(err.orig, "sqlstate", None) in _RETRY_SQLSTATES:
                time.sleep(0.1 * 2**attempt)  # a deadlock with another writer: the whole shard again
                continue
            raise _storage_error(st, err) from err
        except sa.exc.SQLAlchemyError as err:
            raise _storage_error(st, err) from err
    return inserted


def _copy_and_insert(conn: sa.Connection, staged: dict[str, list[list[Any]]]) -> set[str]:
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cur:
        for table, columns in _STAGES:
            stage = f"cc_stage_{table}"
            cur.execute(
                f'CREATE TEMP TABLE "{stage}" ON COMMIT DROP AS SELECT {_quoted(columns)} FROM "{table}" WITH NO DATA'
            )
            cur.execute(f'ALTER TABLE "{stage}" ADD COLUMN _ord integer, ADD COLUMN _doc text')
            with cur.copy(f'COPY "{stage}" ({_quoted(columns)}, _ord, _doc) FROM STDIN') as copy:
                for row in staged[table]:
                    copy.write_row(row)
        cur.execute("CREATE TEMP TABLE cc_new_documents (id text PRIMARY KEY) ON COMMIT DROP")
        cols = _quoted(_DOC_COLUMNS)
        cur.execute(
            f"WITH ins AS (INSERT INTO documents ({cols}) SELECT {cols} FROM cc_stage_documents ORDER BY _ord "
            "ON CONFLICT (id) DO NOTHING RETURNING id) INSERT INTO cc_new_documents SELECT id FROM ins"
        )
        for table, columns in _STAGES[1:]:
            cols = _quoted(columns)
            picked = ", ".join(f's."{c}"' for c in columns)
            cur.execute(
                f'INSERT INTO "{table}" ({cols}) SELECT {picked} FROM "cc_stage_{table}" s '
                "JOIN cc_new_documents n ON n.id = s._doc ORDER BY s._ord ON CONFLICT DO NOTHING"
            )
        cur.execute("SELECT id FROM cc_new_documents")
        return {row[0] for row in cur.fetchall()}
