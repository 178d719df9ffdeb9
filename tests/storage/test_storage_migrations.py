"""Schema migrations: an older database is upgraded (and its rows back-filled) when opened."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from crosscheck.errors import StorageError
from crosscheck.records import Analysis
from crosscheck.storage import LATEST, ClaimFilter, claim_record, open_store
from crosscheck.storage.migrations import MIGRATIONS, current_version, migrate
from crosscheck.storage.tables import metadata


def test_steps_are_numbered_in_order() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert LATEST == MIGRATIONS[-1].version


def test_a_new_database_gets_every_step(db_url: str) -> None:
    with open_store(db_url) as store:
        assert store.schema_version == LATEST
        with store.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT version, name FROM schema_version ORDER BY version")).all()
    assert [tuple(r) for r in rows] == [(m.version, m.name) for m in MIGRATIONS]


def test_migrated_tables_have_every_column_queries_use(db_url: str) -> None:
    with open_store(db_url) as store, store.engine.connect() as conn:
        inspector = sa.inspect(conn)
        for table in metadata.sorted_tables:
            present = {c["name"] for c in inspector.get_columns(table.name)}
            assert {c.name for c in table.columns} <= present, table.name


def _write_version_1_rows(conn: sa.Connection, analysis: Analysis) -> None:
    """Rows as crosscheck wrote them at schema version 1 (no blocks table, no signature column)."""
    doc = analysis.document
    conn.execute(
        sa.text(
            "INSERT INTO documents (id, title, outlet, published, text, added_at) "
            "VALUES (:id, :title, :outlet, :published, :text, :added_at)"
        ),
        {
            "id": doc.id,
            "title": doc.title,
            "outlet": doc.outlet,
            "published": doc.published,
            "text": doc.text,
            "added_at": datetime.now(UTC).isoformat(),
        },
    )
    for claim in analysis.claims:
        conn.execute(
            sa.text(
                "INSERT INTO claims (id, document_id, claimant_id, claimant_name, side, mode, stated_at, outlet, "
                "published, text, sentence, data) VALUES (:id, :document_id, :claimant_id, :claimant_name, :side, "
                ":mode, :stated_at, :outlet, :published, :text, :sentence, :data)"
            ),
            {
                "id": claim.id,
                "document_id": doc.id,
                "claimant_id": claim.claimant.id if claim.claimant else None,
                "claimant_name": claim.claimant.name if claim.claimant else None,
                "side": claim.claimant.side if claim.claimant else None,
                "mode": claim.mode,
                "stated_at": claim.stated_at,
                "outlet": doc.outlet,
                "published": doc.published,
                "text": claim.text,
                "sentence": claim.sentence,
                "data": json.dumps(claim_record(claim)),
            },
        )


def test_an_older_database_is_upgraded_and_back_filled(db_url: str, sample: list[Analysis]) -> None:
    analysis = sample[0]
    with open_store(db_url, upgrade=False) as old:
        assert migrate(old.engine, target=1) == 1
        with old.engine.begin() as conn:
            _write_version_1_rows(conn, analysis)
        assert old.schema_version == 1
    with open_store(db_url) as store:
        assert store.schema_version == LATEST
        a1, a2, _ = analysis.claims
        assert store.get_claim(a1.id) == a1
        # version 2 indexed the existing claims for full-text search ...
        assert [c.id for c in store.query_claims(ClaimFilter(text="repelled assault"))] == [a1.id]
        assert store.count_documents(text="Shambat") == 1
        # ... and version 3 filed them under their blocking keys and added signatures
        assert store.claims_by_blocks(["365137|2023-06-11"]) == [a1, a2]
        store.save_signature(analysis.document.id, b"sig")
        assert list(store.iter_signatures()) == [(analysis.document.id, b"sig")]
        # new documents are written as usual after the upgrade
        assert store.save_analysis(sample[1]).inserted
        assert store.count_claims(ClaimFilter(text="drones")) == 1


def test_opening_twice_applies_nothing_again(db_url: str) -> None:
    with open_store(db_url) as first:
        first_rows = first.stats()
    with open_store(db_url) as second, second.engine.connect() as conn:
        assert current_version(conn) == LATEST
        assert conn.execute(sa.text("SELECT count(*) FROM schema_version")).scalar_one() == LATEST
        assert second.stats() == first_rows


def test_a_newer_database_is_refused(db_url: str) -> None:
    with open_store(db_url) as store, store.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', 'x')"))
    with pytest.raises(StorageError, match="newer than this crosscheck"):
        open_store(db_url)
