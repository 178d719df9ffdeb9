"""The PostgreSQL back end: generated ``tsvector`` columns with GIN indexes for full-text search."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.sql.elements import ColumnElement

from crosscheck.storage.store import Store

# Deadlock and serialization failure: the transaction can simply be run again.
_RETRY_SQLSTATES = {"40P01", "40001"}


def _match(search_column: str, text: str) -> ColumnElement[bool]:
    query = sa.func.plainto_tsquery(sa.literal_column("'english'::regconfig"), text)
    return sa.literal_column(search_column).bool_op("@@")(query)


class PostgresStore(Store):
    """The ledger in a PostgreSQL database (the schema first on the connection's search_path)."""

    dialect = "postgresql"

    def _insert(self, table: sa.Table) -> Any:
        return pg_insert(table)

    def _claims_text_match(self, query: str) -> ColumnElement[bool]:
        return _match("claims.search", query)

    def _documents_text_match(self, query: str) -> ColumnElement[bool]:
        return _match("documents.search", query)

    def _retryable(self, err: sa.exc.DBAPIError) -> bool:
        return getattr(err.orig, "sqlstate", None) in _RETRY_SQLSTATES

    def _clean(self, text: str) -> str:
        # PostgreSQL text cannot hold NUL; U+FFFD keeps the length, so offsets stay valid.
        return text.replace("\x00", "\ufffd")
