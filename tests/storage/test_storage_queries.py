"""Claim queries: every filter, full-text search, ordering, paging, streaming, on both back ends."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from crosscheck.errors import InputError, NotFound
from crosscheck.records import Analysis, Claim
from crosscheck.storage import ClaimFilter, Store
from crosscheck.storage.store import Store as StoreBase


@pytest.fixture
def named(sample: list[Analysis]) -> dict[str, Claim]:
    """The sample claims by short name: A1..A3, B1, C1, D1, D2 (letter: document, digit: order)."""
    out = {}
    for letter, analysis in zip("ABCD", sample, strict=False):
        for i, claim in enumerate(analysis.claims, start=1):
            out[f"{letter}{i}"] = claim
    return out


def _names(claims: list[Claim], named: dict[str, Claim]) -> list[str]:
    by_id = {c.id: name for name, c in named.items()}
    return [by_id[c.id] for c in claims]


CASES = [
    (ClaimFilter(), ["A1", "A2", "A3", "B1", "C1", "D1", "D2"]),
    (ClaimFilter(claimant="ent_saf"), ["A1", "B1"]),
    (ClaimFilter(claimant="army officials"), ["B1"]),  # a mention
    (ClaimFilter(claimant="SUPPORT forces"), ["A2"]),  # a substring of the name
    (ClaimFilter(claimant="ortíz"), ["D1"]),
    (ClaimFilter(claimant="ORTÍZ"), ["D1"]),
    (ClaimFilter(claimant="%"), []),  # wildcards are literal
    (ClaimFilter(claimant="ent_sa"), []),  # ids match exactly
    (ClaimFilter(side="SAF"), ["A1", "B1"]),
    (ClaimFilter(side="RSF"), ["A2"]),
    (ClaimFilter(place="nyala"), ["D1", "D2"]),
    (ClaimFilter(place="Fash"), ["C1", "D1"]),
    (ClaimFilter(place=379303), ["C1", "D1"]),
    (ClaimFilter(place="377039"), ["B1"]),
    (ClaimFilter(bbox=(24.0, 11.0, 26.0, 14.0)), ["C1", "D1", "D2"]),
    (ClaimFilter(bbox=(37.0, 19.0, 38.0, 20.0)), ["B1"]),
    (ClaimFilter(bbox=(30.0, 10.0, -170.0, 20.0)), ["A1", "A2", "B1"]),  # across the antimeridian
    (ClaimFilter(bbox=(170.0, -10.0, -170.0, 10.0)), []),
    (ClaimFilter(outlet="nile courier"), ["A1", "A2", "A3", "C1"]),
    (ClaimFilter(outlet="Horn Monitor"), ["D1", "D2"]),
    (ClaimFilter(event_type="attack"), ["A1"]),
    (ClaimFilter(mode="according_to"), ["B1"]),
    (ClaimFilter(mode="mixed", event_type="strike"), ["C1"]),
    (ClaimFilter(status="confirmed"), []),
    (ClaimFilter(since="2023-07-01"), ["C1", "D1", "D2"]),
    (ClaimFilter(since=date(2023, 7, 1)), ["C1", "D1", "D2"]),
    (ClaimFilter(until="2023-06-11"), ["A1", "A2", "D1"]),
    (ClaimFilter(since="2023-06-12", until="2023-06-12"), ["A3", "B1", "D1"]),
    (ClaimFilter(since="2023-07-21", until="2023-12-31"), ["D2"]),
    (ClaimFilter(text="drones"), ["B1"]),
    (ClaimFilter(text="drone shot"), ["B1"]),  # stems, every word
    (ClaimFilter(text="killed civilians"), ["C1"]),
    (ClaimFilter(text="Nyala"), ["D1", "D2"]),
    (ClaimFilter(text="account"), ["A2"]),  # in the sentence only
    (ClaimFilter(text='drones^ (shot* "'), ["B1"]),  # search syntax is not interpreted
    (ClaimFilter(text="   "), ["A1", "A2", "A3", "B1", "C1", "D1", "D2"]),
    (ClaimFilter(text="?!"), []),
    (ClaimFilter(side="SAF", text="drones", since="2023-06-01", place="port"), ["B1"]),
    (ClaimFilter(side="RSF", text="drones"), []),
]


def test_filters(filled_store: Store, named: dict[str, Claim]) -> None:
    # One test over every case (a fresh PostgreSQL schema per case would be slow); all mismatches are reported.
    wrong = []
    for f, expected in CASES:
        got = _names(filled_store.query_claims(f, order="added"), named)
        count = filled_store.count_claims(f)
        if got != expected or count != len(expected):
            wrong.append(f"{f}: got {got} (count {count}), expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_document_and_id_filters(filled_store: Store, named: dict[str, Claim], sample: list[Analysis]) -> None:
    got = filled_store.query_claims(ClaimFilter(document_id=sample[3].document.id), order="added")
    assert _names(got, named) == ["D1", "D2"]
    f = ClaimFilter(ids=[named["C1"].id, named["A3"].id, "clm_missing"])
    assert _names(filled_store.query_claims(f, order="added"), named) == ["A3", "C1"]
    assert filled_store.query_claims(ClaimFilter(ids=[])) == []
    with pytest.raises(InputError, match="ids"):
        filled_store.query_claims(ClaimFilter(ids=named["C1"].id))


def test_bad_filter_values_are_input_errors(filled_store: Store) -> None:
    with pytest.raises(InputError, match="since"):
        filled_store.query_claims(ClaimFilter(since="last week"))
    with pytest.raises(InputError, match="bbox"):
        filled_store.count_claims(ClaimFilter(bbox=(1.0, 2.0, 3.0)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("stated_at", ["A1", "A2", "A3", "B1", "C1", "D1", "D2"]),
        ("-stated_at", ["C1", "B1", "A3", "A2", "A1", "D2", "D1"]),
        ("event_start", ["A1", "B1", "C1", "D2", "A2", "A3", "D1"]),
        ("published", ["A1", "A2", "A3", "B1", "C1", "D1", "D2"]),
        ("-added", ["D2", "D1", "C1", "B1", "A3", "A2", "A1"]),
    ],
)
def test_order(filled_store: Store, named: dict[str, Claim], order: str, expected: list[str]) -> None:
    assert _names(filled_store.query_claims(order=order), named) == expected


def test_pages_cover_the_result_once(filled_store: Store, named: dict[str, Claim]) -> None:
    f = ClaimFilter(since="2023-01-01")
    pages = [filled_store.query_claims(f, limit=2, offset=o, order="-stated_at") for o in range(0, 8, 2)]
    assert [len(p) for p in pages] == [2, 2, 2, 1]
    assert [c for p in pages for c in p] == filled_store.query_claims(f, order="-stated_at")
    assert filled_store.query_claims(limit=0) == []
    assert filled_store.query_claims(offset=100) == []


@pytest.mark.parametrize("batch", [1, 3, 1000])
def test_iter_claims_streams_every_match(filled_store: Store, named: dict[str, Claim], batch: int) -> None:
    assert _names(list(filled_store.iter_claims(batch=batch)), named) == ["A1", "A2", "A3", "B1", "C1", "D1", "D2"]
    f = ClaimFilter(place="nyala")
    assert _names(list(filled_store.iter_claims(f, batch=batch)), named) == ["D1", "D2"]


def test_get_claim_of_unknown_id(filled_store: Store) -> None:
    with pytest.raises(NotFound, match="clm_missing"):
        filled_store.get_claim("clm_missing")


def test_iter_claims_reads_a_batch_at_a_time(filled_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[int] = []
    real = StoreBase._all

    def counting(self: Store, action: str, stmt: Any) -> Any:
        rows = real(self, action, stmt)
        sizes.append(len(rows))
        return rows

    monkeypatch.setattr(StoreBase, "_all", counting)
    assert len(list(filled_store.iter_claims(batch=3))) == 7
    assert sizes == [3, 3, 1, 0]
