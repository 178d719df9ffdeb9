"""The ledger: one interface over SQLite and PostgreSQL (SQLAlchemy Core).

``Store`` holds every query; a back end (``sqlite.py``, ``postgres.py``) supplies only what differs:
its ``INSERT ... ON CONFLICT`` construct, full-text matching, which errors are worth a retry, and
(later) a faster bulk path. One document is written in one transaction, so a failure leaves none
of it behind, and a document already present is left as it is.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, Row
from sqlalchemy.sql.elements import ColumnElement

from crosscheck.errors import InputError, NotFound, StorageError
from crosscheck.records import Analysis, Claim, Document, Entity, Relation
from crosscheck.storage.codec import block_rows, claim_from_dict, claim_record, claim_row, place_rows
from crosscheck.storage.engine import WRITE, mask
from crosscheck.storage.filters import ClaimFilter, claim_conditions, contains, iso_date
from crosscheck.storage.migrations import current_version
from crosscheck.storage.tables import claim_blocks, claim_places, claims, documents, entities
from crosscheck.storage.tables import relations as relations_table

T = TypeVar("T")

CHUNK = 500  # ids per IN (...) list
RETRIES = 4  # attempts of a write transaction that hit a lock conflict or deadlock

CLAIM_ORDERS: dict[str, ColumnElement[Any]] = {
    "stated_at": claims.c.stated_at,
    "event_start": claims.c.event_start,
    "published": claims.c.published,
    "id": claims.c.id,
    "added": claims.c.seq,
}
DOCUMENT_ORDERS: dict[str, ColumnElement[Any]] = {
    "published": documents.c.published,
    "added": documents.c.seq,
    "id": documents.c.id,
}


@dataclass(frozen=True)
class SaveResult:
    """What ``save_analysis`` did: ``inserted`` is False (and ``claims`` 0) when the document was there."""

    document_id: str
    inserted: bool
    claims: int


@dataclass(frozen=True)
class DocInfo:
    """The few document fields reconciliation needs about each claim's source."""

    id: str
    outlet: str | None
    published: str | None
    url: str | None
    duplicate_of: str | None


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _ordering(order: str, columns: Mapping[str, ColumnElement[Any]], tiebreak: ColumnElement[Any]) -> list[Any]:
    key = order.strip()
    descending = key.startswith("-")
    column = columns.get(key.lstrip("-"))
    if column is None:
        known = ", ".join(sorted(columns))
        raise InputError("order", f"unknown order {order!r}", f"use one of {known}, with '-' for descending")
    if descending:
        return [column.desc().nulls_last(), tiebreak.desc()]
    return [column.asc().nulls_last(), tiebreak.asc()]


def _page(limit: int | None, offset: int) -> None:
    if limit is not None and limit < 0:
        raise InputError("limit", f"{limit} is negative", "give 0 or more")
    if offset < 0:
        raise InputError("offset", f"{offset} is negative", "give 0 or more")


def _merge_entity(old: Entity | None, new: Entity) -> Entity:
    """``new`` laid over ``old``: given values win, missing ones keep what was stored, aliases are united."""
    aliases = list(dict.fromkeys([*(old.aliases if old else []), *new.aliases]))
    if old is None:
        return replace(new, aliases=aliases)
    return Entity(
        id=old.id,
        name=new.name or old.name,
        type=new.type or old.type,
        aliases=aliases,
        side=new.side if new.side is not None else old.side,
        lat=new.lat if new.lat is not None else old.lat,
        lon=new.lon if new.lon is not None else old.lon,
    )


def _entity_row(e: Entity) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.name,
        "type": e.type,
        "side": e.side,
        "lat": e.lat,
        "lon": e.lon,
        "aliases": json.dumps(e.aliases, ensure_ascii=False),
    }


def _entity(row: Row[Any]) -> Entity:
    return Entity(
        id=row.id,
        name=row.name,
        type=row.type,
        aliases=list(json.loads(row.aliases)),
        side=row.side,
        lat=row.lat,
        lon=row.lon,
    )


def _relation(row: Row[Any]) -> Relation:
    return Relation(
        type=row.type, claims=(row.claim_a, row.claim_b), explanation=row.explanation, score=row.score, id=row.id
    )


def _claim(row: Row[Any]) -> Claim:
    claim = claim_from_dict(json.loads(row.data))
    claim.status = row.status  # the column is the truth: set_claim_status updates only it
    return claim


_DOC_COLUMNS = [c for c in documents.c if c.name not in {"seq", "signature"}]
_CLAIM_COLUMNS = [claims.c.seq, claims.c.data, claims.c.status]


def _document(row: Row[Any]) -> Document:
    return Document(
        text=getattr(row, "text", ""),
        title=row.title,
        outlet=row.outlet,
        byline=row.byline,
        url=row.url,
        published=row.published,
        path=row.path,
        language=row.language,
        outlet_id=row.outlet_id,
        outlet_country=row.outlet_country,
        outlet_kind=row.outlet_kind,
        handle=row.handle,
        source_ref=row.source_ref,
        id=row.id,
    )


class Store:
    """The claim ledger. Open one with ``crosscheck.storage.open_store``; close it (or use ``with``)."""

    dialect = ""

    def __init__(self, engine: Engine, *, url: URL) -> None:
        self.engine = engine
        self.url = mask(url)
        self._writer = engine.execution_options(**WRITE)

    # -- what a back end supplies -------------------------------------------------------------

    def _insert(self, table: sa.Table) -> Any:
        """An INSERT with ``on_conflict_do_nothing`` / ``on_conflict_do_update`` (dialect construct)."""
        raise NotImplementedError

    def _claims_text_match(self, query: str) -> ColumnElement[bool]:
        raise NotImplementedError

    def _documents_text_match(self, query: str) -> ColumnElement[bool]:
        raise NotImplementedError

    def _retryable(self, err: sa.exc.DBAPIError) -> bool:
        return False

    def _clean(self, text: str) -> str:
        """Text as the back end can store it, with the same length (offsets stay valid)."""
        return text

    def _clean_row(self, row: dict[str, Any]) -> dict[str, Any]:
        return {k: self._clean(v) if isinstance(v, str) else v for k, v in row.items()}

    def _save_batch(self, batch: Sequence[Analysis], signatures: Mapping[str, bytes]) -> list[SaveResult]:
        """Seam for a bulk path (PostgreSQL COPY); by default one transaction per document."""
        return [self.save_analysis(a, signature=signatures.get(a.document.id)) for a in batch]

    # -- plumbing -----------------------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @property
    def schema_version(self) -> int:
        with self._read("read the schema version") as conn:
            return current_version(conn)

    def _fail(self, action: str, err: sa.exc.SQLAlchemyError) -> StorageError:
        reason = getattr(err, "orig", None) or err
        first_line = str(reason).strip().splitlines()[0] if str(reason).strip() else type(reason).__name__
        return StorageError(f"{self.url}: cannot {action}: {first_line}")

    @contextmanager
    def _read(self, action: str) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except sa.exc.SQLAlchemyError as err:
            raise self._fail(action, err) from err

    def _write(self, action: str, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in one write transaction, retried on lock conflicts; errors become StorageError."""
        for attempt in range(RETRIES):
            try:
                with self._writer.begin() as conn:
                    return work(conn)
            except sa.exc.DBAPIError as err:
                if attempt + 1 < RETRIES and self._retryable(err):
                    time.sleep(0.05 * 2**attempt)
                    continue
                raise self._fail(action, err) from err
            except sa.exc.SQLAlchemyError as err:
                raise self._fail(action, err) from err
        raise AssertionError("unreachable")  # pragma: no cover

    def _all(self, action: str, stmt: sa.Select[Any]) -> list[Row[Any]]:
        with self._read(action) as conn:
            return list(conn.execute(stmt).all())

    def _scalar(self, action: str, stmt: sa.Select[Any]) -> Any:
        with self._read(action) as conn:
            return conn.execute(stmt).scalar_one()

    # -- writing documents --------------------------------------------------------------------

    def save_analysis(self, analysis: Analysis, *, signature: bytes | None = None) -> SaveResult:
        """Store a document with its claims, places, blocking keys and entities, in one transaction.

        A document whose id is already stored is left untouched (``inserted=False``), so saving
        again, or from two processes at once, neither duplicates nor fails. ``signature`` is the
        document's MinHash signature, kept to rebuild the near-duplicate index.
        """
        doc = analysis.document
        for claim in analysis.claims:
            if claim.document_id != doc.id:
                raise StorageError(
                    f"{self.url}: cannot save document {doc.id}: claim {claim.id} belongs to document "
                    f"{claim.document_id} (build the claims from the document they are saved with)"
                )
        return self._write(f"save document {doc.id}", lambda conn: self._save(conn, analysis, signature))

    def _save(self, conn: Connection, analysis: Analysis, signature: bytes | None) -> SaveResult:
        doc = analysis.document
        if not self._insert_document(conn, analysis, signature):
            return SaveResult(doc.id, False, 0)
        self.merge_entities(conn, analysis.entities)
        self._insert_claims(conn, analysis)
        self._insert_places(conn, analysis.claims)
        self._insert_blocks(conn, analysis.claims)
        return SaveResult(doc.id, True, len(analysis.claims))

    def _insert_document(self, conn: Connection, analysis: Analysis, signature: bytes | None) -> bool:
        doc = analysis.document
        values = {c.name: getattr(doc, c.name) for c in _DOC_COLUMNS if hasattr(doc, c.name)}
        values.update(
            duplicate_of=analysis.duplicate_of,
            added_at=datetime.now(UTC).isoformat(timespec="seconds"),
            signature=signature,
        )
        stmt = self._insert(documents).values(**self._clean_row(values)).on_conflict_do_nothing(index_elements=["id"])
        return conn.execute(stmt.returning(documents.c.seq)).first() is not None

    def _insert_claims(self, conn: Connection, analysis: Analysis) -> None:
        doc = analysis.document
        rows = [
            # JSON escapes NUL itself, so only the indexed columns are cleaned
            {**self._clean_row(claim_row(c, doc)), "data": json.dumps(claim_record(c), ensure_ascii=False)}
            for c in analysis.claims
        ]
        if rows:
            conn.execute(claims.insert(), rows)

    def _insert_places(self, conn: Connection, items: Sequence[Claim]) -> None:
        rows = [self._clean_row(row) for c in items for row in place_rows(c)]
        if rows:
            conn.execute(claim_places.insert(), rows)

    def _insert_blocks(self, conn: Connection, items: Sequence[Claim]) -> None:
        rows = [self._clean_row(row) for c in items for row in block_rows(c)]
        if rows:
            conn.execute(claim_blocks.insert(), rows)

    def merge_entities(self, conn: Connection, items: Sequence[Entity]) -> None:
        """Insert new entities and merge aliases into stored ones, inside the caller's transaction."""
        # Insert the new ones, then lock and merge every one in id order, so concurrent writers
        # of overlapping entities wait for each other instead of deadlocking or losing aliases.
        wanted: dict[str, Entity] = {}
        for e in items:
            wanted[e.id] = _merge_entity(wanted.get(e.id), e)
        if not wanted:
            return
        ids = sorted(wanted)
        conn.execute(
            self._insert(entities).on_conflict_do_nothing(index_elements=["id"]),
            [self._clean_row(_entity_row(wanted[i])) for i in ids],
        )
        stored = conn.execute(
            sa.select(entities).where(entities.c.id.in_(ids)).order_by(entities.c.id).with_for_update()
        ).all()
        for row in stored:
            old = _entity(row)
            new = _merge_entity(old, wanted[old.id])
            if new != old:
                values = self._clean_row(_entity_row(new))
                del values["id"]
                conn.execute(sa.update(entities).where(entities.c.id == old.id).values(**values))

    def bulk_save(
        self, analyses: Iterable[Analysis], *, signatures: Mapping[str, bytes] | None = None, batch: int = 500
    ) -> list[SaveResult]:
        """Save many analyses (each still all-or-nothing); ``signatures`` maps document id to signature."""
        results: list[SaveResult] = []
        pending: list[Analysis] = []
        for analysis in analyses:
            pending.append(analysis)
            if len(pending) >= batch:
                results.extend(self._save_batch(pending, signatures or {}))
                pending = []
        if pending:
            results.extend(self._save_batch(pending, signatures or {}))
        return results

    def save_signature(self, document_id: str, signature: bytes) -> None:
        """Keep a document's MinHash signature; NotFound when the document is not stored."""

        def work(conn: Connection) -> int:
            stmt = sa.update(documents).where(documents.c.id == document_id).values(signature=signature)
            return conn.execute(stmt).rowcount

        if not self._write(f"save the signature of document {document_id}", work):
            raise NotFound(f"document {document_id!r} is not in the ledger at {self.url}")

    def iter_signatures(self, *, batch: int = 5000) -> Iterator[tuple[str, bytes]]:
        """Every stored (document id, signature), oldest document first, read in batches."""
        last = 0
        while True:
            rows = self._all(
                "read signatures",
                sa.select(documents.c.seq, documents.c.id, documents.c.signature)
                .where(documents.c.seq > last, documents.c.signature.is_not(None))
                .order_by(documents.c.seq)
                .limit(batch),
            )
            if not rows:
                return
            last = rows[-1].seq
            for row in rows:
                yield row.id, bytes(row.signature)

    # -- relations and reconciliation ---------------------------------------------------------

    def save_relations(self, relations: Sequence[Relation]) -> int:
        """Insert or replace relations by id, all in one transaction; returns how many distinct ids were given."""
        unique = {r.id: r for r in relations}
        if not unique:
            return 0
        rows = [
            self._clean_row(
                {
                    "id": r.id,
                    "type": r.type,
                    "claim_a": r.claims[0],
                    "claim_b": r.claims[1],
                    "explanation": r.explanation,
                    "score": r.score,
                }
            )
            for r in sorted(unique.values(), key=lambda r: r.id)
        ]
        stmt = self._insert(relations_table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["id"],
            set_={name: stmt.excluded[name] for name in ("type", "claim_a", "claim_b", "explanation", "score")},
        )
        self._write("save relations", lambda conn: conn.execute(stmt, rows))
        return len(rows)

    def relations(
        self, *, claim_id: str | None = None, type: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Relation]:
        """Relations by id, optionally those touching ``claim_id`` and of one ``type``."""
        _page(limit, offset)
        stmt = sa.select(relations_table).order_by(relations_table.c.id).offset(offset)
        if claim_id is not None:
            stmt = stmt.where(sa.or_(relations_table.c.claim_a == claim_id, relations_table.c.claim_b == claim_id))
        if type is not None:
            stmt = stmt.where(relations_table.c.type == type)
        if limit is not None:
            stmt = stmt.limit(limit)
        return [_relation(r) for r in self._all("read relations", stmt)]

    def count_relations(self, *, type: str | None = None) -> int:
        stmt = sa.select(sa.func.count()).select_from(relations_table)
        if type is not None:
            stmt = stmt.where(relations_table.c.type == type)
        return int(self._scalar("count relations", stmt))

    def iter_relations(self, *, batch: int = 1000) -> Iterator[Relation]:
        """Every relation, by id, read in batches."""
        last = ""
        while True:
            stmt = (
                sa.select(relations_table)
                .where(relations_table.c.id > last)
                .order_by(relations_table.c.id)
                .limit(batch)
            )
            rows = self._all("read relations", stmt)
            if not rows:
                return
            last = rows[-1].id
            yield from (_relation(r) for r in rows)

    def set_claim_status(self, updates: Mapping[str, str | None]) -> None:
        """Set the status of many claims in one transaction; unknown ids are ignored."""
        rows = [{"b_id": cid, "b_status": status} for cid, status in sorted(updates.items())]
        if not rows:
            return
        stmt = sa.update(claims).where(claims.c.id == sa.bindparam("b_id")).values(status=sa.bindparam("b_status"))
        self._write("set claim status", lambda conn: conn.execute(stmt, rows))

    def claims_by_blocks(self, keys: Iterable[str]) -> list[Claim]:
        """Claims filed under any of the blocking keys (candidates to reconcile), oldest first."""
        wanted = list(dict.fromkeys(keys))
        found: dict[int, Claim] = {}
        for chunk in _chunks(wanted):
            ids = sa.select(claim_blocks.c.claim_id).where(claim_blocks.c.key.in_(list(chunk)))
            stmt = sa.select(*_CLAIM_COLUMNS).where(claims.c.id.in_(ids))
            for row in self._all("read claims by blocking key", stmt):
                found[row.seq] = _claim(row)
        return [found[seq] for seq in sorted(found)]

    def documents_info(self, ids: Iterable[str]) -> dict[str, DocInfo]:
        """Outlet, date, URL and near-duplicate link of each stored document among ``ids``."""
        wanted = list(dict.fromkeys(ids))
        info: dict[str, DocInfo] = {}
        cols = (documents.c.id, documents.c.outlet, documents.c.published, documents.c.url, documents.c.duplicate_of)
        for chunk in _chunks(wanted):
            for row in self._all("read documents", sa.select(*cols).where(documents.c.id.in_(list(chunk)))):
                info[row.id] = DocInfo(row.id, row.outlet, row.published, row.url, row.duplicate_of)
        return info

    # -- reading claims -----------------------------------------------------------------------

    def _claim_where(self, f: ClaimFilter | None) -> list[ColumnElement[bool]]:
        return claim_conditions(f, text_match=self._claims_text_match)

    def query_claims(
        self, f: ClaimFilter | None = None, *, limit: int = 100, offset: int = 0, order: str = "stated_at"
    ) -> list[Claim]:
        """A page of claims matching ``f``; ``order`` is stated_at, event_start, published, id or added,
        '-' first for descending (missing dates last either way)."""
        _page(limit, offset)
        stmt = (
            sa.select(*_CLAIM_COLUMNS)
            .where(*self._claim_where(f))
            .order_by(*_ordering(order, CLAIM_ORDERS, claims.c.seq))
            .limit(limit)
            .offset(offset)
        )
        return [_claim(r) for r in self._all("query claims", stmt)]

    def count_claims(self, f: ClaimFilter | None = None) -> int:
        stmt = sa.select(sa.func.count()).select_from(claims).where(*self._claim_where(f))
        return int(self._scalar("count claims", stmt))

    def iter_claims(self, f: ClaimFilter | None = None, *, batch: int = 1000) -> Iterator[Claim]:
        """Every claim matching ``f`` in the order stored, read ``batch`` at a time."""
        where = self._claim_where(f)
        last = 0
        while True:
            stmt = sa.select(*_CLAIM_COLUMNS).where(claims.c.seq > last, *where).order_by(claims.c.seq).limit(batch)
            rows = self._all("read claims", stmt)
            if not rows:
                return
            last = rows[-1].seq
            yield from (_claim(r) for r in rows)

    def get_claim(self, claim_id: str) -> Claim:
        """The claim with this id; NotFound when there is none."""
        row = next(iter(self._all("read a claim", sa.select(*_CLAIM_COLUMNS).where(claims.c.id == claim_id))), None)
        if row is None:
            raise NotFound(f"claim {claim_id!r} is not in the ledger at {self.url}")
        return _claim(row)

    # -- reading documents and entities -------------------------------------------------------

    def _document_where(
        self, outlet: str | None, since: str | None, until: str | None, text: str | None
    ) -> list[ColumnElement[bool]]:
        conds: list[ColumnElement[bool]] = []
        if outlet is not None:
            conds.append(sa.func.lower(documents.c.outlet) == outlet.strip().lower())
        start = iso_date(since, field="since")
        end = iso_date(until, field="until")
        if start is not None:
            conds.append(documents.c.published >= start)
        if end is not None:
            conds.append(documents.c.published <= end)
        if text is not None and text.strip():
            conds.append(self._documents_text_match(text))
        return conds

    def get_document(self, document_id: str) -> Document:
        """The document with this id, text included; NotFound when there is none."""
        stmt = sa.select(*_DOC_COLUMNS).where(documents.c.id == document_id)
        row = next(iter(self._all("read a document", stmt)), None)
        if row is None:
            raise NotFound(f"document {document_id!r} is not in the ledger at {self.url}")
        return _document(row)

    def query_documents(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        text: str | None = None,
        limit: int = 100,
        offset: int = 0,
        order: str = "published",
    ) -> list[Document]:
        """A page of documents: ``outlet`` exact (any case), ``since``/``until`` bound the publication
        date, ``text`` searches title and text; ``order`` is published, added or id ('-': descending)."""
        _page(limit, offset)
        stmt = (
            sa.select(*_DOC_COLUMNS)
            .where(*self._document_where(outlet, since, until, text))
            .order_by(*_ordering(order, DOCUMENT_ORDERS, documents.c.seq))
            .limit(limit)
            .offset(offset)
        )
        return [_document(r) for r in self._all("query documents", stmt)]

    def count_documents(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        text: str | None = None,
    ) -> int:
        stmt = (
            sa.select(sa.func.count()).select_from(documents).where(*self._document_where(outlet, since, until, text))
        )
        return int(self._scalar("count documents", stmt))

    def document_ids(self) -> set[str]:
        return {row.id for row in self._all("read document ids", sa.select(documents.c.id))}

    def iter_documents(
        self, *, ids: Iterable[str] | None = None, batch: int = 100, with_text: bool = True
    ) -> Iterator[Document]:
        """Every document (or those among ``ids``), in the order stored, read in batches;
        ``with_text=False`` leaves ``text`` empty, for listings and exports that do not need it."""
        columns = _DOC_COLUMNS if with_text else [c for c in _DOC_COLUMNS if c.name != "text"]
        if ids is not None:
            wanted = list(dict.fromkeys(ids))
            for chunk in _chunks(wanted, batch):
                stmt = sa.select(*columns).where(documents.c.id.in_(list(chunk))).order_by(documents.c.seq)
                yield from (_document(r) for r in self._all("read documents", stmt))
            return
        last = 0
        while True:
            stmt = sa.select(documents.c.seq, *columns).where(documents.c.seq > last).order_by(documents.c.seq)
            rows = self._all("read documents", stmt.limit(batch))
            if not rows:
                return
            last = rows[-1].seq
            yield from (_document(r) for r in rows)

    def entities(
        self,
        *,
        type: str | None = None,
        side: str | None = None,
        name: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Entity]:
        """Entities by name (any case); ``name`` is a case-insensitive substring of the name or an alias."""
        _page(limit, offset)
        stmt = sa.select(entities).order_by(sa.func.lower(entities.c.name), entities.c.id).limit(limit).offset(offset)
        if type is not None:
            stmt = stmt.where(entities.c.type == type)
        if side is not None:
            stmt = stmt.where(entities.c.side == side)
        if name is not None and name.strip():
            stmt = stmt.where(
                sa.or_(contains(entities.c.name, name.strip()), contains(entities.c.aliases, name.strip()))
            )
        return [_entity(r) for r in self._all("read entities", stmt)]

    def get_entity(self, entity_id: str) -> Entity:
        """The entity with this id; NotFound when there is none."""
        row = next(iter(self._all("read an entity", sa.select(entities).where(entities.c.id == entity_id))), None)
        if row is None:
            raise NotFound(f"entity {entity_id!r} is not in the ledger at {self.url}")
        return _entity(row)

    def iter_entities(self, *, ids: Iterable[str] | None = None, batch: int = 1000) -> Iterator[Entity]:
        """Every entity (or those among ``ids``), by id, read in batches."""
        if ids is not None:
            for chunk in _chunks(sorted(set(ids)), batch):
                stmt = sa.select(entities).where(entities.c.id.in_(list(chunk))).order_by(entities.c.id)
                yield from (_entity(r) for r in self._all("read entities", stmt))
            return
        last = ""
        while True:
            stmt = sa.select(entities).where(entities.c.id > last).order_by(entities.c.id).limit(batch)
            rows = self._all("read entities", stmt)
            if not rows:
                return
            last = rows[-1].id
            yield from (_entity(r) for r in rows)

    # -- summary ------------------------------------------------------------------------------

    def stats(self, *, top: int = 10) -> dict[str, Any]:
        """Counts for a summary: totals, claims by side and mode, relations by type, top claimants,
        places and outlets (``top`` of each). A missing side is counted under "none"."""
        n_claims = sa.func.count().label("n")
        with self._read("summarise the ledger") as conn:

            def count(table: sa.Table, *where: ColumnElement[bool]) -> int:
                return int(conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar_one())

            def grouped(column: ColumnElement[Any]) -> dict[str, int]:
                rows = conn.execute(sa.select(column, n_claims).group_by(column).order_by(n_claims.desc(), column))
                return {("none" if key is None else str(key)): int(n) for key, n in rows}

            claimants = conn.execute(
                sa.select(claims.c.claimant_id, claims.c.claimant_name, n_claims)
                .where(claims.c.claimant_name.is_not(None))
                .group_by(claims.c.claimant_id, claims.c.claimant_name)
                .order_by(n_claims.desc(), claims.c.claimant_name)
                .limit(top)
            ).all()
            n_place_claims = sa.func.count(sa.distinct(claim_places.c.claim_id)).label("n")
            places = conn.execute(
                sa.select(claim_places.c.name, n_place_claims)
                .group_by(claim_places.c.name)
                .order_by(n_place_claims.desc(), claim_places.c.name)
                .limit(top)
            ).all()
            n_docs = sa.func.count().label("n")
            outlets = conn.execute(
                sa.select(documents.c.outlet, n_docs)
                .where(documents.c.outlet.is_not(None))
                .group_by(documents.c.outlet)
                .order_by(n_docs.desc(), documents.c.outlet)
                .limit(top)
            ).all()
            return {
                "documents": count(documents),
                "near_duplicates": count(documents, documents.c.duplicate_of.is_not(None)),
                "claims": count(claims),
                "relations": count(relations_table),
                "entities": count(entities),
                "claims_by_side": grouped(claims.c.side),
                "claims_by_mode": grouped(claims.c.mode),
                "relations_by_type": grouped(relations_table.c.type),
                "top_claimants": [{"id": r[0], "name": r[1], "claims": int(r[2])} for r in claimants],
                "top_places": [{"name": r[0], "claims": int(r[1])} for r in places],
                "top_outlets": [{"outlet": r[0], "documents": int(r[1])} for r in outlets],
            }
