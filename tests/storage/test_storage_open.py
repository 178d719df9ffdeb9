"""Opening a ledger: URLs and paths, SQLite settings, clear errors with passwords hidden."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.errors import StorageError
from crosscheck.records import Analysis
from crosscheck.storage import PostgresStore, SQLiteStore, open_store
from crosscheck.storage.engine import mask, parse_url


def test_a_bare_path_is_sqlite_and_its_folder_is_created(tmp_path: Path, sample: list[Analysis]) -> None:
    path = tmp_path / "deep" / "er" / "ledger.db"
    with open_store(path) as store:
        assert isinstance(store, SQLiteStore)
        store.save_analysis(sample[2])
    assert path.is_file()
    with open_store(str(path)) as again:
        assert again.count_claims() == 1


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) > 0


def test_an_in_memory_ledger_works(sample: list[Analysis]) -> None:
    with open_store(":memory:") as store:
        store.save_analysis(sample[0])
        assert store.count_claims() == 3


def test_driverless_postgres_urls_use_psycopg() -> None:
    assert parse_url("postgresql://u:p@db.example/x").drivername == "postgresql+psycopg"
    assert parse_url("postgres://db.example/x").drivername == "postgresql+psycopg"


def test_passwords_are_hidden_in_messages() -> None:
    assert mask("postgresql+psycopg://ana:s3cret@db.example/x") == "postgresql+psycopg://ana:***@db.example/x"
    assert "s3cret" not in mask(parse_url("postgresql://ana:s3cret@db.example/x"))


@pytest.mark.parametrize("url", ["mysql://ana:s3cret@db.example/x", "", "postgresql+psycopg://ana:s3cret@[::1"])
def test_unusable_urls_are_refused_clearly(url: str) -> None:
    with pytest.raises(StorageError) as info:
        open_store(url)
    assert "s3cret" not in str(info.value)


def test_an_unreachable_server_is_a_storage_error_naming_it() -> None:
    url = "postgresql+psycopg://ana:s3cret@127.0.0.1:1/ledger?connect_timeout=2"
    with pytest.raises(
        StorageError, match=r"cannot open database postgresql\+psycopg://ana:\*\*\*@127\.0\.0\.1:1"
    ) as info:
        open_store(url)
    assert "s3cret" not in str(info.value)


def test_an_unwritable_sqlite_location_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="cannot create the folder"):
        open_store(blocker / "ledger.db")


@pytest.mark.postgres
def test_a_postgres_url_gives_a_postgres_store(pg_url: str) -> None:
    with open_store(pg_url) as store:
        assert isinstance(store, PostgresStore)
        assert "search_path" in store.url
