"""The ledger's tables as they stand after the latest migration (SQLAlchemy Core).

Queries are built from these objects. The tables themselves are created and changed only by
``migrations.py``, whose steps are frozen; ``tests/storage/test_migrations.py`` checks that a migrated
database has every column named here. Each back end adds its full-text index outside these tables
(SQLite: FTS5 tables ``claims_fts`` and ``documents_fts``; PostgreSQL: a generated ``search`` column).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("applied_at", sa.Text, nullable=False),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.Text, nullable=False, unique=True),
    sa.Column("title", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("byline", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("published", sa.Text),
    sa.Column("path", sa.Text),
    sa.Column("language", sa.Text),
    sa.Column("outlet_id", sa.Text),
    sa.Column("outlet_country", sa.Text),
    sa.Column("outlet_kind", sa.Text),
    sa.Column("handle", sa.Text),
    sa.Column("source_ref", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("duplicate_of", sa.Text),
    sa.Column("added_at", sa.Text, nullable=False),
    sa.Column("signature", sa.LargeBinary),
)

claims = sa.Table(
    "claims",
    metadata,
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
    sa.Column("data", sa.Text, nullable=False),  # the whole claim as JSON (codec.claim_record)
)

claim_places = sa.Table(
    "claim_places",
    metadata,
    sa.Column("claim_id", sa.Text, sa.ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("ord", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("geonames_id", sa.BigInteger),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("country", sa.Text),
)

claim_blocks = sa.Table(
    "claim_blocks",
    metadata,
    sa.Column("claim_id", sa.Text, sa.ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("key", sa.Text, primary_key=True),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("side", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("aliases", sa.Text, nullable=False),  # JSON list of strings
)

relations = sa.Table(
    "relations",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("claim_a", sa.Text, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    sa.Column("claim_b", sa.Text, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    sa.Column("explanation", sa.Text, nullable=False),
    sa.Column("score", sa.Float),
)
