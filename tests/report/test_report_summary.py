from __future__ import annotations

from crosscheck.records import Quantity
from crosscheck.report.gather import Scope, gather
from crosscheck.report.summary import Link, Ref, Statement, bounds, interval, number, plural, quote, summarise
from crosscheck.storage import Store


def _by_section(statements: list[Statement]) -> dict[str, list[Statement]]:
    out: dict[str, list[Statement]] = {}
    for s in statements:
        out.setdefault(s.section, []).append(s)
    return out


def test_headlines_name_contested_subject_sides_numbers_and_counts(ledger: Store) -> None:
    data = gather(ledger, Scope())
    statements = summarise(data)
    sections = _by_section(statements)
    overview = sections["overview"][0].text
    assert overview.startswith(
        "The ledger holds 7 claims, from 4 articles in 2 outlets, dated 2031-05-02 to 2031-05-04"
    )
    assert "by side: North 3, South 3, no side 1" in sections["overview"][1].text
    assert "1 subject is contested in the ledger; the most contested: Shusha" in sections["contested"][0].text
    conflict = sections["conflict"][0].text
    assert conflict.startswith("On Shusha, ")
    assert "North (" in conflict and "South (" in conflict
    assert "President Arvo Lenn (North) says “Northern forces captured Shusha on Saturday”" in conflict
    numbers = sections["numbers"][0].text
    assert "“hundreds of soldiers” (200–999)" in numbers and "“around 50 soldiers” (45–55)" in numbers
    assert numbers.endswith("these ranges do not all overlap: they cannot all be right.")
    corroborated = sections["corroborated"][0].text
    assert corroborated.startswith("2 claims are backed by at least one independent source")
    assert "from 2 independent sources" in corroborated
    disputed = sections["disputed"]
    assert disputed[0].text == "1 claim is disputed (rejected by another claimant) and 3 more contested (contradicted)."
    assert disputed[1].text.startswith("Most challenged: “Northern forces captured Shusha on Saturday”")
    assert "disputed by 1 claim and contradicted by 1 claim" in disputed[1].text


def test_every_statement_links_to_claims_or_a_section(ledger: Store) -> None:
    statements = summarise(gather(ledger, Scope()))
    assert [s.id for s in statements] == [f"s{i}" for i in range(1, len(statements) + 1)]
    for s in statements:
        assert any(isinstance(p, Ref | Link) for p in s.parts), s.text
    known = {c.id for c in ledger.query_claims()}
    assert {cid for s in statements for cid in s.claims} <= known


def test_scoped_statements_say_the_scope(ledger: Store) -> None:
    statements = summarise(gather(ledger, Scope.of(place="Lachin", since="2031-05-01")))
    assert statements[0].text.startswith("The ledger holds 1 claim about Lachin, since 2031-05-01, from 1 article")
    empty = summarise(gather(ledger, Scope.of(place="Atlantis")))
    assert [s.text for s in empty] == ["The ledger holds no claim about Atlantis. See the claims."]
    assert empty[0].parts[-1] == Link("claims", "See the claims.")


def test_intervals_read_as_words() -> None:
    assert interval(Quantity(text="hundreds", low=200, high=999)) == "200–999"
    assert interval(Quantity(text="12", value=12)) == "12"
    assert interval(Quantity(text="more than 1,000", low=1001)) == "at least 1,001"
    assert interval(Quantity(text="up to 30", high=30)) == "at most 30"
    assert bounds(Quantity(text="more than 5", low=6)) == (6, float("inf"))
    assert number(0.25) == "0.25" and number(1500.0) == "1,500"
    assert plural(1, "claim") == "1 claim" and plural(2, "claim is", "claims are") == "2 claims are"
    assert quote("  “a   b”  ") == "a b"
    assert quote("x" * 200, 10) == "x" * 9 + "…"
