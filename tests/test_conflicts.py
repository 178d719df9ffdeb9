"""Contested subjects: which relations make one subject, what it is called and what it is about."""

from __future__ import annotations

from crosscheck.conflicts import thread_subject, thread_topic, threads
from crosscheck.records import Actor, Claim, Place, Relation

ARMENIA = Place(name="Armenia", lat=40.0, lon=45.0, geonames_id=174982, feature="country")
SHUSHA = Place(name="Shusha", lat=39.76, lon=46.75, geonames_id=585170, feature="city")
AZ = Actor("Azerbaijani defence ministry", id="az-mod", side="Azerbaijan", type="military")
AM = Actor("Armenian defence ministry", id="am-mod", side="Armenia", type="military")


def claim(
    text: str, at: int, *, places: tuple[Place, ...] = (), claimant: Actor = AZ, stance: str = "reports"
) -> Claim:
    c = Claim(document_id="d1", text=text, sentence=text, span=(at, at + len(text)), mode="indirect", claimant=claimant)
    c.places = list(places)
    c.frame = {"stance": stance}
    return c


def test_claims_joined_through_another_claim_are_one_thread() -> None:
    accusation = claim("Armenian units shelled Shusha", 0, places=(SHUSHA,))
    denial = claim("the accusation", 100, claimant=AM, stance="denies")
    echo = claim("the claims are lies", 200, claimant=AM, stance="denies")
    other = claim("Armenia is hiding weapons in schools", 300, places=(ARMENIA,))
    other_denial = claim("that allegation", 400, claimant=AM, stance="denies")
    rels = [
        Relation("disputes", (denial.id, accusation.id), "x"),
        Relation("disputes", (echo.id, accusation.id), "x"),
        Relation("disputes", (other_denial.id, other.id), "x"),
    ]
    found = sorted(threads(rels), key=len)
    assert [len(t) for t in found] == [1, 2]
    assert {cid for r in found[1] for cid in r.claims} == {accusation.id, denial.id, echo.id}


def test_a_thread_is_named_by_its_town_before_its_country_and_shows_what_it_answers() -> None:
    accusation = claim("Armenian units shelled Shusha in Armenia's old positions", 0, places=(ARMENIA, SHUSHA))
    denial = claim("the accusation", 100, claimant=AM, stance="denies", places=(ARMENIA,))
    echo = claim("the claims are lies", 200, claimant=AM, stance="denies")
    rels = [
        Relation("disputes", (denial.id, accusation.id), "x"),
        Relation("disputes", (echo.id, accusation.id), "x"),
    ]
    claims = {c.id: c for c in (accusation, denial, echo)}
    _key, name, place = thread_subject(rels, claims)
    assert (name, place) == ("Shusha", SHUSHA)
    assert (
        thread_topic(rels, claims)
        == "Azerbaijani defence ministry says: “Armenian units shelled Shusha in Armenia's old positions”"
    )
    assert thread_topic(rels[:1], {**claims, denial.id: denial}).startswith("Azerbaijani defence ministry says")
