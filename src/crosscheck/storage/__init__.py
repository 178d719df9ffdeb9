"""The claim ledger: ``open_store(url)`` gives a ``Store`` over SQLite or PostgreSQL.

with open_store("sqlite:///ledger.db") as store:
    store.save_analysis(analysis)
    store.query_claims(ClaimFilter(side="...", since="2024-01-01"))
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from crosscheck.errors import StorageError
from crosscheck.storage.codec import (
    claim_from_dict,
    claim_record,
    document_from_dict,
    entity_from_dict,
    relation_from_dict,
)
from crosscheck.storage.engine import make_engine, mask, parse_url
from crosscheck.storage.filters import ClaimFilter
from crosscheck.storage.migrations import LATEST, migrate
from crosscheck.storage.postgres import PostgresStore
from crosscheck.storage.sqlite import SQLiteStore
from crosscheck.storage.store import DocInfo, SaveResult, Store

__all__ = [
    "LATEST",
    "ClaimFilter",
    "DocInfo",
    "PostgresStore",
    "SQLiteStore",
    "SaveResult",
    "Store",
    "claim_from_dict",
    "claim_record",
    "document_from_dict",
    "entity_from_dict",
    "open_store",
    "relation_from_dict",
]


def open_store(url: str | Path, *, upgrade: bool = True) -> Store:
    """Open the ledger at ``url`` (a SQLAlchemy URL, or a file path meaning SQLite), creating it and
    applying pending migrations unless ``upgrade`` is False. StorageError names the URL (password
    hidden) when the database cannot be reached or upgraded."""
    parsed = parse_url(url)
    engine = make_engine(parsed)
    cls = SQLiteStore if parsed.get_backend_name() == "sqlite" else PostgresStore
    store = cls(engine, url=parsed)
    try:
        if upgrade:
            migrate(engine)
        else:
            with engine.connect():
                pass
    except StorageError as err:
        engine.dispose()
        raise StorageError(f"{mask(parsed)}: {err}") from err
    except (sa.exc.SQLAlchemyError, OSError) as err:
        engine.dispose()
        reason = getattr(err, "orig", None) or err
        lines = str(reason).strip().splitlines()
        raise StorageError(
            f"cannot open database {mask(parsed)}: {lines[0] if lines else type(reason).__name__} "
            "(check the URL, that the server runs and that the file is writable)"
        ) from err
    return store
