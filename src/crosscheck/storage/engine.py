"""Turning a database URL or a path into a configured SQLAlchemy engine.

SQLite connections get WAL journaling, foreign keys, a busy timeout, a Unicode-aware ``lower()``
and real transactions (SQLAlchemy emits ``BEGIN``, so DDL is transactional too); a write
transaction starts with ``BEGIN IMMEDIATE`` so concurrent writers wait instead of failing halfway.
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import StaticPool

from crosscheck.errors import StorageError

# Execution options of a connection that is going to write (see ``_sqlite_begin``).
WRITE = {"crosscheck_write": True}
SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 10


def mask(url: str | URL) -> str:
    """The URL with any password replaced by ``***``, for messages."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def parse_url(url: str | Path) -> URL:
    """A SQLAlchemy URL from a URL string or a bare path (SQLite); driverless PostgreSQL gets psycopg."""
    text = str(url).strip()
    if not text:
        raise StorageError("empty database URL (give sqlite:///path.db, a file path, or postgresql+psycopg://...)")
    if "://" not in text:
        if text == ":memory:":
            return sa.make_url("sqlite://")
        return sa.make_url("sqlite:///" + str(Path(text).expanduser().resolve()))
    try:
        parsed = sa.make_url(text)
    except (sa.exc.ArgumentError, ValueError) as err:
        raise StorageError(f"cannot parse database URL {mask(text)}: {err}") from err
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername not in {"sqlite", "sqlite+pysqlite", "postgresql+psycopg"}:
        raise StorageError(
            f"unsupported database {mask(parsed)}: use sqlite:///path.db, a file path, or postgresql+psycopg://..."
        )
    return parsed


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _sqlite_begin)
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        _use_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _use_wal(cursor: Any) -> None:
    # WAL is stored in the file, so only the first connection to a new database switches it. The
    # switch needs the file to itself and does not wait on the busy timeout: two processes opening a
    # new ledger at once would see "database is locked", so wait here until the other has done it.
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _lower(value: Any) -> Any:
    # SQLite's own lower() folds ASCII only; names in the ledger are not all ASCII.
    return value.lower() if isinstance(value, str) else value


def _sqlite_begin(conn: sa.Connection) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get("crosscheck_write") else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: URL) -> Engine:
    """An engine for ``url`` (from ``parse_url``); creates the folder of a SQLite file."""
    kwargs: dict[str, Any] = {}
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        if database in {"", ":memory:"}:
            kwargs["poolclass"] = StaticPool
        else:
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StorageError(f"cannot create the folder of {mask(url)}: {err}") from err
    else:
        if "connect_timeout" not in url.query:
            kwargs["connect_args"] = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
        kwargs["pool_pre_ping"] = True
    engine = sa.create_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
    return engine
