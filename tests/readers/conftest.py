"""Fixtures for the reader tests: the fixture folder, the shipped registry, a fake resolver."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.readers import fetch
from crosscheck.sources import SourceRegistry

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def registry() -> SourceRegistry:
    return SourceRegistry.load(data_dir="/nonexistent-crosscheck-data-dir")


@pytest.fixture
def public_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Name resolution without the network: every host is public unless the test says otherwise."""
    table: dict[str, list[str]] = {}

    def resolve(host: str, port: int) -> list[str]:
        if host in table:
            return table[host]
        return ["93.184.216.34"]

    monkeypatch.setattr(fetch, "resolve_host", resolve)
    return table
