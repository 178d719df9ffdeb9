from __future__ import annotations

import pytest

from crosscheck.errors import InputError
from crosscheck.records import Quantity
from crosscheck.report.gather import ClaimRow, Scope, detail, gather, number_groups
from crosscheck.storage import Store


def test_scope_checks_dates_and_drops_blank_names() -> None:
    scope = Scope.of(place="  ", actor=" North ", since="2031-05-01", until=None)
    assert scope == Scope(actor="North", since="2031-05-01")
    assert scope.describe() == "by North, since 2031-05-01"
    with pytest.raises(InputError, match="until"):
        Scope.of(until="last week")


def test_actor_scope_is_claimant_or_side() -> None:
    filters = Scope.of(actor="North").filters()
    assert [(f.claimant, f.side) for f in filters] == [("North", None), (None, "North")]
    assert [(f.claimant, f.side) for f in Scope.of(place="Shusha").filters()] == [(None, None)]


def test_gather_place_scope_and_partners(ledger: Store) -> None:
    data = gather(ledger, Scope.of(place="Lachin"))
    assert set(data.rows) == {c.id for c in ledger.query_claims() if "fighting" in c.text}
    # the claim it contradicts is outside the scope but joined by a relation
    assert [ledger.get_claim(cid).text for cid in data.partners] == ["Northern forces captured Shusha on Saturday"]


def test_gather_actor_scope_matches_side_and_claimant(ledger: Store) -> None:
    by_side = gather(ledger, Scope.of(actor="South"))
    assert {r.claimant for r in by_side.rows.values()} == {"Southern officials", "Southern defence ministry"}
    by_name = gather(ledger, Scope.of(actor="Lenn"))
    assert [r.claimant for r in by_name.rows.values()] == ["President Arvo Lenn"]


def test_standings_count_independent_sources_once_per_outlet(ledger: Store) -> None:
    data = gather(ledger, Scope())
    by_text = {ledger.get_claim(cid).text: s for cid, s in data.standing.items()}
    entered = by_text["hundreds of soldiers had entered Shusha"]
    # corroborated by the leader (another outlet) and by an analyst in the same outlet: 2 sources, not 3
    assert len(entered.corroborated_by) == 2
    assert entered.sources == 2
    assert len(entered.contradicted_by) == 1
    captured = by_text["Northern forces captured Shusha on Saturday"]
    assert len(captured.disputed_by) == 1 and captured.sources == 2
    assert len(by_text["the claim about Shusha is false"].disputes) == 1


def test_number_groups_compare_counts_of_one_unit_about_one_place(ledger: Store) -> None:
    data = gather(ledger, Scope())
    assert len(data.numbers) == 1
    group = data.numbers[0]
    assert group.subject == "soldiers in Shusha"
    texts = sorted(q.text for _, q in group.entries)
    assert texts == ["around 50 soldiers", "hundreds of soldiers", "hundreds of soldiers"]
    # a duration ("3 years") is a measure, not a count: never compared
    (fake,) = [r for r in data.rows.values() if r.event_type == "other"]
    assert fake.counts == () and ledger.get_claim(fake.id).quantities[0].unit == "years"


def _row(cid: str, claimant: str | None, side: str, q: Quantity, place: str = "Town") -> ClaimRow:
    return ClaimRow(cid, "doc", side, claimant, "asserted", None, None, None, ((place, 1.0, 2.0, "city"),), (q,))


def test_number_groups_need_two_claimants_and_skip_repeats() -> None:
    q = Quantity(text="200 drones", value=200, low=200, high=200, unit="drones")
    same = [_row("c1", "A", "X", q), _row("c2", "A", "X", q)]
    assert number_groups(same) == []
    rows = [*same, _row("c3", "B", "Y", Quantity(text="12 drones", value=12, unit="drones"))]
    (group,) = number_groups(rows)
    assert [cid for cid, _ in group.entries] == ["c1", "c3"]  # c2 repeats c1's number by the same claimant


def test_detail_reads_cited_claims_first_then_fills(ledger: Store) -> None:
    data = gather(ledger, Scope())
    last = max(data.rows)
    listed = detail(ledger, data, [last], max_claims=3)
    assert listed[0] == last and len(listed) == 3
    assert set(data.claims) == set(listed)
    assert {c.document_id for c in data.claims.values()} <= set(data.sources)
