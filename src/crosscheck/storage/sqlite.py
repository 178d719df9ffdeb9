"""The SQLite back end: FTS5 tables kept in step with claims and documents by triggers."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.elements import ColumnElement

from crosscheck.storage.store import Store
from crosscheck.storage.tables import claims, documents

_WORD = re.compile(r"\w+")


def fts_query(text: str) -> str | None:
    """Plain words as an FTS5 query that needs every word (each quoted, so none is an operator)."""
    words = _WORD.findall(text)
    return " ".join(f'"{w}"' for w in words) if words else None


def _match(table: str, rowid: ColumnElement[Any], text: str) -> ColumnElement[bool]:
    query = fts_query(text)
    if query is None:
        return sa.false()
    fts = sa.table(table, sa.column("rowid"))
    hits = sa.select(fts.c.rowid).where(sa.literal_column(table).bool_op("MATCH")(query))
    return rowid.in_(hits)


class SQLiteStore(Store):
    """The ledger in one SQLite file (WAL mode, foreign keys on)."""

    dialect = "sqlite"

    def _insert(self, table: sa.Table) -> Any:
        return sqlite_insert(table)

    def _claims_text_match(self, query: str) -> ColumnElement[bool]:
        return _match("claims_fts", claims.c.seq, query)

    def _documents_text_match(self, query: str) -> ColumnElement[bool]:
        return _match("documents_fts", documents.c.seq, query)

    def _retryable(self, err: sa.exc.DBAPIError) -> bool:
        return "database is locked" in str(err.orig) or "database is busy" in str(err.orig)
