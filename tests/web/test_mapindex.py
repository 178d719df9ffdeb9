"""The in-memory map index answers /api/places exactly as the SQL aggregation does, and keeps up."""

from __future__ import annotations

from dataclasses import replace

import pytest
from webdata import contested_analysis, contested_relation

from crosscheck.records import Analysis, Interval
from crosscheck.storage import ClaimFilter, Store
from crosscheck.web.mapindex import MapIndex
from crosscheck.web.queries import place_summaries

FILTERS = [
    ClaimFilter(),
    ClaimFilter(side="SAF"),
    ClaimFilter(side="nobody"),
    ClaimFilter(status="contested"),
    ClaimFilter(mode="indirect"),
    ClaimFilter(event_type="aid"),
    ClaimFilter(outlet=" NILE courier "),
    ClaimFilter(since="2023-07-01"),
    ClaimFilter(until="2023-06-12"),
    ClaimFilter(since="2023-06-12", until="2023-07-10"),
    ClaimFilter(since="2030-01-01"),
    ClaimFilter(bbox=(20.0, 10.0, 30.0, 15.0)),
    ClaimFilter(bbox=(170.0, -10.0, -170.0, 10.0)),
    ClaimFilter(bbox=(30.0, 10.0, 40.0, 40.0), side="SAF"),
    ClaimFilter(place="El Fasher"),
    ClaimFilter(place="fash"),
    ClaimFilter(place="365137"),
    ClaimFilter(claimant="ent_suna"),
    ClaimFilter(claimant="monitoring"),
    ClaimFilter(text="bridge"),
    ClaimFilter(text="killed", since="2023-07-01"),
]


def as_dicts(found: list | None) -> list[dict]:  # type: ignore[type-arg]
    assert found is not None
    return [p.to_dict() for p in found]


@pytest.mark.parametrize("f", FILTERS, ids=[str(i) for i in range(len(FILTERS))])
def test_index_and_sql_agree(ledger: Store, f: ClaimFilter) -> None:
    assert as_dicts(MapIndex(ledger).summaries(f)) == as_dicts(place_summaries(ledger, f))


def test_index_follows_new_claims_and_statuses(ledger: Store) -> None:
    index = MapIndex(ledger)
    assert "Tal Afar" not in {p.name for p in as_index(index)}
    contested = contested_analysis()
    for claim in contested.claims:
        claim.status = None
    ledger.save_analysis(contested)
    tal_afar = next(p for p in as_index(index) if p.name == "Tal Afar")
    assert (tal_afar.claims, tal_afar.sides, tal_afar.contested) == (2, {"North": 1, "South": 1}, False)
    ledger.save_relations([contested_relation(contested)])
    ledger.set_claim_status({c.id: "contested" for c in contested.claims})
    assert next(p for p in as_index(index) if p.name == "Tal Afar").contested
    assert as_dicts(index.summaries()) == as_dicts(place_summaries(ledger))


def as_index(index: MapIndex) -> list:  # type: ignore[type-arg]
    found = index.summaries()
    assert found is not None
    return found


def test_a_date_the_index_cannot_hold_sends_the_query_to_sql(ledger: Store, sample: list[Analysis]) -> None:
    doc = replace(sample[2].document, title="Undated report", id="")
    claims = [replace(c, document_id=doc.id, id="", event_time=Interval("2023-07", None)) for c in sample[2].claims]
    ledger.save_analysis(Analysis(document=doc, claims=claims))
    assert MapIndex(ledger).summaries() is None
