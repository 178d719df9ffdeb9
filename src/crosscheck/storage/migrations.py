"""Ordered schema migrations, applied when a store is opened.

The ``schema_version`` table lists the steps a database has had. Opening an older database runs the
missing steps, in order, in one transaction (under an advisory lock on PostgreSQL, ``BEGIN
IMMEDIATE`` on SQLite), so two processes opening it at once do not both upgrade it. Steps are
frozen once released: each defines the tables it creates itself instead of reading ``tables.py``,
and a change to the schema is a new step at the end of ``MIGRATIONS``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from crosscheck.errors import StorageError
from crosscheck.storage.engine import WRITE


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _v1_core(conn: Connection) -> None:
    """Documents, claims with their places, entities and relations."""
    md = sa.MetaData()
    sa.Table(
        "documents",
        md,
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text, nullable=False, unique=True),
        *(
            sa.Column(name, sa.Text)
            for name in (
                "title",
                "outlet",
                "byline",
                "url",
                "published",
                "path",
                "language",
                "outlet_id",
                "outlet_country",
                "outlet_kind",
                "handle",
                "source_ref",
            )
        ),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("duplicate_of", sa.Text),
        sa.Column("added_at", sa.Text, nullable=False),
        sa.Index("ix_documents_outlet", "outlet"),
        sa.Index("ix_documents_published", "published"),
        sa.Index("ix_documents_duplicate_of", "duplicate_of"),
    )
    sa.Table(
        "claims",
        md,
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text, nullable=False, unique=True),
        sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("claimant_id", sa.Text),
        sa.Column("claimant_name", sa.Text),
        sa.Column("claimant_mention", sa.Text),
        sa.Column("side", sa.Text),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("event_type", sa.Text),
        sa.Column("status", sa.Text),
        sa.Column("stated_at", sa.Text),
        sa.Column("event_start", sa.Text),
        sa.Column("event_end", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Index("ix_claims_document_id", "document_id"),
        sa.Index("ix_claims_claimant_id", "claimant_id"),
        sa.Index("ix_claims_side", "side"),
        sa.Index("ix_claims_event_type", "event_type"),
        sa.Index("ix_claims_status", "status"),
        sa.Index("ix_claims_stated_at", "stated_at"),
        sa.Index("ix_claims_event_start", "event_start"),
        sa.Index("ix_claims_event_end", "event_end"),
        sa.Index("ix_claims_outlet", "outlet"),
    )
    sa.Table(
        "claim_places",
        md,
        sa.Column("claim_id", sa.Text, sa.ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("ord", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("geonames_id", sa.BigInteger),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("country", sa.Text),
        sa.Index("ix_claim_places_name", "name"),
        sa.Index("ix_claim_places_geonames_id", "geonames_id"),
        sa.Index("ix_claim_places_lon_lat", "lon", "lat"),
    )
    sa.Table(
        "entities",
        md,
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("side", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("aliases", sa.Text, nullable=False),
        sa.Index("ix_entities_type", "type"),
        sa.Index("ix_entities_side", "side"),
    )
    sa.Table(
        "relations",
        md,
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("claim_a", sa.Text, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
        sa.Column("claim_b", sa.Text, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("score", sa.Float),
        sa.Index("ix_relations_claim_a", "claim_a"),
        sa.Index("ix_relations_claim_b", "claim_b"),
        sa.Index("ix_relations_type", "type"),
    )
    md.create_all(conn)


_SQLITE_FTS = (
    """CREATE VIRTUAL TABLE {name}_fts USING fts5({cols}, content='{name}', content_rowid='seq',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER {name}_fts_insert AFTER INSERT ON {name} BEGIN
        INSERT INTO {name}_fts(rowid, {cols}) VALUES (new.seq, {new});
    END""",
    """CREATE TRIGGER {name}_fts_delete AFTER DELETE ON {name} BEGIN
        INSERT INTO {name}_fts({name}_fts, rowid, {cols}) VALUES ('delete', old.seq, {old});
    END""",
    """CREATE TRIGGER {name}_fts_update AFTER UPDATE OF {cols} ON {name} BEGIN
        INSERT INTO {name}_fts({name}_fts, rowid, {cols}) VALUES ('delete', old.seq, {old});
        INSERT INTO {name}_fts(rowid, {cols}) VALUES (new.seq, {new});
    END""",
    "INSERT INTO {name}_fts({name}_fts) VALUES ('rebuild')",
)

# PostgreSQL refuses a tsvector over 1 MB, so a document is indexed on its first 200,000 characters.
_PG_FTS = (
    """ALTER TABLE claims ADD COLUMN search tsvector GENERATED ALWAYS AS
        (to_tsvector('english', coalesce(text, '') || ' ' || coalesce(sentence, ''))) STORED""",
    "CREATE INDEX ix_claims_search ON claims USING GIN (search)",
    """ALTER TABLE documents ADD COLUMN search tsvector GENERATED ALWAYS AS
        (to_tsvector('english', coalesce(title, '') || ' ' || left(text, 200000))) STORED""",
    "CREATE INDEX ix_documents_search ON documents USING GIN (search)",
)


def _v2_full_text(conn: Connection) -> None:
    """Full-text search over claim text and sentence, and over document title and text."""
    if conn.dialect.name == "sqlite":
        for name, cols in (("claims", ("text", "sentence")), ("documents", ("title", "text"))):
            names = {
                "name": name,
                "cols": ", ".join(cols),
                "new": ", ".join(f"new.{c}" for c in cols),
                "old": ", ".join(f"old.{c}" for c in cols),
            }
            for statement in _SQLITE_FTS:
                conn.exec_driver_sql(statement.format(**names))
    else:
        for statement in _PG_FTS:
            conn.exec_driver_sql(statement)


def _v3_blocks_and_signatures(conn: Connection) -> None:
    """Blocking keys for reconciliation (filled from claims already stored) and MinHash signatures."""
    md = sa.MetaData()
    sa.Table("claims", md, sa.Column("id", sa.Text))  # the existing table, for the foreign key only
    blocks = sa.Table(
        "claim_blocks",
        md,
        sa.Column("claim_id", sa.Text, sa.ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Index("ix_claim_blocks_key", "key"),
    )
    blocks.create(conn)
    binary = sa.LargeBinary().compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE documents ADD COLUMN signature {binary}")
    claims = sa.table("claims", sa.column("seq"), sa.column("id"), sa.column("data"))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(claims.c.seq, claims.c.id, claims.c.data)
            .where(claims.c.seq > last)
            .order_by(claims.c.seq)
            .limit(1000)
        ).all()
        if not rows:
            break
        last = rows[-1].seq
        keys: list[dict[str, str]] = []
        for row in rows:
            frame = json.loads(row.data).get("frame") or {}
            keys.extend({"claim_id": row.id, "key": key} for key in dict.fromkeys(frame.get("blocks") or []))
        if keys:
            conn.execute(blocks.insert(), keys)


def _v4_list_indexes(conn: Connection) -> None:
    """Indexes for the pages the API and CLI list most: newest first, optionally by side or event type."""
    pg = conn.dialect.name == "postgresql"
    newest = "stated_at DESC NULLS LAST, seq DESC" if pg else "stated_at DESC, seq DESC"
    conn.exec_driver_sql(f"CREATE INDEX ix_claims_newest ON claims ({newest})")
    conn.exec_driver_sql(f"CREATE INDEX ix_claims_side_newest ON claims (side, {newest})")
    conn.exec_driver_sql(f"CREATE INDEX ix_claims_event_type_newest ON claims (event_type, {newest})")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "core tables", _v1_core),
    Migration(2, "full-text search", _v2_full_text),
    Migration(3, "reconciliation blocks and signatures", _v3_blocks_and_signatures),
    Migration(4, "indexes for newest-first claim pages", _v4_list_indexes),
)
LATEST = MIGRATIONS[-1].version

_version_table = sa.Table(
    "schema_version",
    sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("applied_at", sa.Text, nullable=False),
)


def current_version(conn: Connection) -> int:
    """The last step applied to the database ``conn`` reaches; 0 for an empty database."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(_version_table.c.version), 0))).scalar_one())


def migrate(engine: Engine, *, target: int | None = None) -> int:
    """Apply the missing steps up to ``target`` (default: all); return the version reached."""
    goal = LATEST if target is None else target
    with engine.connect() as conn:
        found = current_version(conn)
        conn.rollback()
    if found > LATEST:
        raise StorageError(
            f"the database has schema version {found}, newer than this crosscheck knows ({LATEST}); "
            "upgrade crosscheck to open it"
        )
    if found >= goal:
        return found
    with engine.connect() as conn:
        conn.execution_options(**WRITE)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7291, hashtext(current_schema()))"))
            _version_table.create(conn, checkfirst=True)
            found = current_version(conn)
            for step in MIGRATIONS:
                if found < step.version <= goal:
                    step.apply(conn)
                    conn.execute(
                        _version_table.insert().values(
                            version=step.version, name=step.name, applied_at=datetime.now(UTC).isoformat()
                        )
                    )
            return max(found, goal)
