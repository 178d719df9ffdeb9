"""Property-based checks of the whole API against its own OpenAPI document (schemathesis over ASGI):
no request, however odd, gets a 5xx, and every response matches the schema it is documented with."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from webdata import TOKEN, contested_analysis, contested_relation, hostile_analysis

from crosscheck.storage import open_store
from crosscheck.web import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[schemathesis.BaseSchema]:
    db: Path = tmp_path_factory.mktemp("schemathesis") / "ledger.db"
    with open_store(f"sqlite:///{db}") as store:
        contested = contested_analysis()
        store.save_analysis(contested)
        store.save_analysis(hostile_analysis())
        store.save_relations([contested_relation(contested)])
        app = create_app(store=store, settings={"api_token": TOKEN, "public_read": True})
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate()
