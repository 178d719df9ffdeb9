"""Fixtures for the web tests: the project's sample ledger (tests/conftest.py) plus a contradiction
and a hostile article, and API clients over it with a known token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from webdata import TOKEN, MakeClient, hostile_analysis

from crosscheck.records import Analysis, Relation
from crosscheck.storage import Store, open_store
from crosscheck.web import create_app


def add_conflict_and_hostile(store: Store, sample: list[Analysis]) -> Store:
    """The army's and the RSF's Omdurman claims made to contradict each other, and the hostile article added."""
    saf, rsf = sample[0].claims[0], sample[0].claims[1]
    store.save_relations(
        [
            Relation(
                type="contradicts",
                claims=(saf.id, rsf.id),
                explanation="contradicts: the army says it repelled the assault; the RSF says it holds the bridge",
                score=0.8,
            )
        ]
    )
    store.set_claim_status({saf.id: "contested", rsf.id: "contested"})
    store.save_analysis(hostile_analysis())
    return store


@pytest.fixture
def ledger(filled_store: Store, sample: list[Analysis]) -> Store:
    """The sample ledger on each back end, with a contradiction and the hostile article."""
    return add_conflict_and_hostile(filled_store, sample)


@pytest.fixture
def local_ledger(sqlite_url: str, sample: list[Analysis]) -> Iterator[Store]:
    """The same ledger on SQLite only, for tests of the web layer itself (parameters, auth, headers)."""
    with open_store(sqlite_url) as store:
        for analysis in sample:
            store.save_analysis(analysis)
        yield add_conflict_and_hostile(store, sample)


def _maker(store: Store, made: list[TestClient]) -> MakeClient:
    def make(**settings: Any) -> TestClient:
        client = TestClient(create_app(store=store, settings={"api_token": TOKEN, "public_read": True, **settings}))
        made.append(client)
        return client

    return make


@pytest.fixture
def make_client(ledger: Store) -> Iterator[MakeClient]:
    """``make_client(api_token=..., public_read=...)``: a client over ``ledger`` with those settings."""
    made: list[TestClient] = []
    yield _maker(ledger, made)
    for client in made:
        client.close()


@pytest.fixture
def make_local_client(local_ledger: Store) -> Iterator[MakeClient]:
    made: list[TestClient] = []
    yield _maker(local_ledger, made)
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    """A client over the sample ledger, on each back end."""
    return make_client()


@pytest.fixture
def local_client(make_local_client: MakeClient) -> TestClient:
    """A client over the sample ledger on SQLite."""
    return make_local_client()
