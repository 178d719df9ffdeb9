"""Toponym recognition, resolution with document context, relative locations and nominal references.

The articles below are written for these tests (other wars, other spellings, ambiguous names).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.gazetteer import Gazetteer, distance_km, load_gazetteer
from crosscheck.places import (
    PlaceMention,
    document_focus,
    find_relation,
    find_toponyms,
    geoparse,
    resolve_nominal,
    resolve_places,
)
from crosscheck.records import Place

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

DONBAS = (
    "Ukrainian troops said on Monday they had pushed back an assault near Pokrovsk, in Ukraine's Donetsk "
    "region. The logistics hub, once home to 60,000 people, sits on the road to Kramatorsk. Russian units "
    "also attacked Dobropillia, a town some 20 kilometers (12 miles) north of Pokrovsk, and shelled "
    "Kup'yans'k, further north. Officials in Kyiv said the town had been without power for a week."
)
YAKUTIA = (
    "Floods on the Lena River cut the road between Yakutsk and Pokrovsk on Tuesday, officials of the Sakha "
    "Republic said. The town is about 80 km upstream of the regional capital."
)
SUDAN = (
    "Fighters of the Rapid Support Forces shelled El Fasher, the last army stronghold in North Darfur, aid "
    "workers said. Families fled the city toward Tawila, west of El Fasher, while others reached Nyala in "
    "South Darfur. Sudan's army said the siege of the city would be broken."
)
GAZA = (
    "Israeli strikes hit Khan Yunis and Rafah in the southern Gaza Strip overnight, Palestinian health "
    "officials said. Residents of Deir al-Balah reported heavy shelling on the outskirts of Khan Younis."
)
SYRIA = (
    "Rebels entered Aleppo from the west after taking villages in Idlib province. Government forces withdrew "
    "to Hama, some 130 km south of Aleppo, Syrian state media reported."
)
BAKHMUT = (
    "Wagner fighters claimed the capture of Artemivsk, the Soviet-era name of Bakhmut in eastern Ukraine. "
    "Ukrainian forces still held positions on the western outskirts of the city and near Chasiv Yar."
)
KARABAKH = (
    "Azerbaijani forces entered Khankendi, which Armenians call Stepanakert, after a one-day offensive in "
    "Nagorno-Karabakh. Thousands of Armenians drove toward Goris across the border in Armenia."
)
PARIS_TEXAS = (
    "PARIS, Texas -- The Lamar County sheriff said a tornado damaged homes in Paris and Reno, Tex., on Sunday."
)
PARIS_FRANCE = "Thousands marched in Paris on Saturday, and French police said protests also took place in Lyon."


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def places_of(text: str, **kw: object) -> list[Place]:
    return geoparse(text, **kw)  # type: ignore[arg-type]


def by_mention(places: list[Place], mention: str) -> list[Place]:
    return [p for p in places if p.mention == mention]


# ---------------------------------------------------------------------------------------------------- recognition


def test_find_toponyms_returns_spans_and_keys() -> None:
    mentions = find_toponyms(DONBAS)
    texts = [m.text for m in mentions]
    assert "Pokrovsk" in texts and "Dobropillia" in texts and "Kup'yans'k" in texts and "Kyiv" in texts
    assert "Donetsk region" in texts  # the region, not the city of Donetsk
    for m in mentions:
        assert DONBAS[m.start : m.end] == m.text
    assert next(m for m in mentions if m.text == "Kup'yans'k").key == "kupyansk"
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


def test_possessive_is_not_part_of_the_name() -> None:
    m = next(m for m in find_toponyms(DONBAS) if m.text.startswith("Ukraine"))
    assert m.text == "Ukraine"


def test_common_words_are_not_places() -> None:
    text = "Police said Reading the report was hard. Mobile phones were cut. Nice work, said Split officials."
    assert find_toponyms(text) == []


def test_person_names_that_are_towns_are_not_places() -> None:
    text = (
        "George Washington was born in Virginia. Mr. Lincoln spoke later. Henry Smith, a farmer, said Jones "
        "had left. Jones said the road to Omaha was closed."
    )
    found = {m.text for m in find_toponyms(text)}
    assert {"Virginia", "Omaha"} <= found
    assert not found & {"Washington", "Lincoln", "Henry", "Jones", "Smith", "George"}


def test_acronyms_only_for_countries_and_regions() -> None:
    found = [m.text for m in find_toponyms("The UN and AFP reported that US and UK envoys met in the UAE.")]
    assert found == ["US", "UK", "UAE"]


def test_demonyms_are_optional_mentions() -> None:
    text = "Ukrainian drones hit a Russian depot."
    assert find_toponyms(text) == []
    mentions = find_toponyms(text, demonyms=True)
    assert [(m.text, m.kind) for m in mentions] == [("Ukrainian", "demonym"), ("Russian", "demonym")]
    places = resolve_places(text, mentions)
    assert [p.country for p in places] == ["UA", "RU"]


def test_qualifier_abbreviation_counts_only_after_a_place() -> None:
    mentions = find_toponyms(PARIS_TEXAS)
    assert ("Tex.", "abbreviation") in [(m.text, m.kind) for m in mentions]
    assert not [m for m in find_toponyms("Tex. said nothing.") if m.kind == "abbreviation"]


def test_arabic_article_prefix_and_hyphenated_names() -> None:
    texts = [m.text for m in find_toponyms("Clashes near al-Bab and in Ivano-Frankivsk and Rostov-on-Don.")]
    assert texts == ["al-Bab", "Ivano-Frankivsk", "Rostov-on-Don"]


def test_ner_spans_trim_and_veto() -> None:
    text = "Paris Hilton flew over the Donetsk region."
    ner = [(0, 12, "PERSON"), (23, 41, "GPE")]
    mentions = find_toponyms(text, ner_spans=ner)
    assert [(m.text, m.source) for m in mentions] == [("Donetsk region", "ner")]


def test_ner_place_unknown_to_the_gazetteer_is_dropped() -> None:
    text = "They met in Xqzville yesterday."
    assert find_toponyms(text, ner_spans=[(12, 20, "GPE")]) == []


# ---------------------------------------------------------------------------------------------------- resolution


def test_pokrovsk_in_donbas_context_is_the_ukrainian_city() -> None:
    places = places_of(DONBAS)
    pok = by_mention(places, "Pokrovsk")
    assert pok and all(p.geonames_id == 704422 for p in pok)
    assert abs(pok[0].lat - 48.28) < 0.01 and abs(pok[0].lon - 37.18) < 0.01  # type: ignore[operator]
    assert (pok[0].country, pok[0].admin1, pok[0].feature) == ("UA", "Donetsk Oblast", "city")
    assert by_mention(places, "Dobropillia")[0].geonames_id == 709900
    kup = by_mention(places, "Kup'yans'k")[0]
    assert abs(kup.lat - 49.71) < 0.01 and abs(kup.lon - 37.62) < 0.01  # type: ignore[operator]
    region = by_mention(places, "Donetsk region")[0]
    assert (region.feature, region.country, region.admin1) == ("region", "UA", "Donetsk Oblast")


def test_pokrovsk_in_yakutia_context_is_the_siberian_town() -> None:
    pok = by_mention(places_of(YAKUTIA), "Pokrovsk")
    assert pok and pok[0].geonames_id == 2017824 and pok[0].country == "RU"


def test_paris_texas_and_paris_france() -> None:
    tx = by_mention(places_of(PARIS_TEXAS), "Paris")
    assert tx and all(p.country == "US" and p.admin1 == "Texas" for p in tx)
    assert tx[0].resolved_by == "context"
    fr = by_mention(places_of(PARIS_FRANCE), "Paris")
    assert fr[0].country == "FR" and fr[0].resolved_by == "name"


@pytest.mark.parametrize(
    ("text", "mention", "geonames_id"),
    [
        (SUDAN, "El Fasher", 379555),
        (SUDAN, "Nyala", 369004),
        (GAZA, "Khan Yunis", 281124),
        (GAZA, "Khan Younis", 281124),
        (SYRIA, "Aleppo", 170063),
        (SYRIA, "Hama", 170017),
        (BAKHMUT, "Artemivsk", 713174),
        (KARABAKH, "Khankendi", 146970),
        (KARABAKH, "Stepanakert", 146970),
    ],
)
def test_places_in_other_wars(text: str, mention: str, geonames_id: int) -> None:
    found = by_mention(places_of(text), mention)
    assert found, f"{mention} not found"
    assert found[0].geonames_id == geonames_id


def test_regions_and_areas_in_other_wars() -> None:
    sudan = places_of(SUDAN)
    assert {(p.mention, p.feature) for p in sudan} >= {("North Darfur", "region"), ("South Darfur", "region")}
    gaza = places_of(GAZA)
    strip = by_mention(gaza, "Gaza Strip")
    assert strip and strip[0].country == "PS"
    assert by_mention(gaza, "Deir al-Balah")[0].country == "PS"
    assert by_mention(places_of(SYRIA), "Idlib province")[0].feature == "region"
    nk = by_mention(places_of(KARABAKH), "Nagorno-Karabakh")[0]
    assert distance_km(nk.lat, nk.lon, 39.8, 46.75) < 60  # type: ignore[arg-type]


def test_outlet_country_breaks_a_tie() -> None:
    text = "The council met in Alexandria on Tuesday."
    assert places_of(text)[0].country == "EG"
    assert places_of(text, outlet_country="US")[0].country == "US"


def test_outlet_country_does_not_override_the_article() -> None:
    pok = by_mention(places_of(DONBAS, outlet_country="RU"), "Pokrovsk")
    assert pok and all(p.geonames_id == 704422 for p in pok)


def test_unknown_keys_resolve_to_nothing() -> None:
    text = "Xqzville and Kyiv."
    mentions = [PlaceMention("Xqzville", 0, 8, "xqzville"), PlaceMention("Kyiv", 13, 17, "kyiv")]
    places = resolve_places(text, mentions)
    assert [p.mention for p in places] == ["Kyiv"]


# ---------------------------------------------------------------------------------------------------- relations


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("a town some 20 kilometers (12 miles) from Pokrovsk", "20 km from"),
        ("about 30 miles northeast of Aleppo", "30 mi northeast of"),
        ("fighting south of Kherson", "south of"),
        ("positions on the outskirts of Bakhmut", "outskirts of"),
        ("on the southern outskirts of Bakhmut", "south outskirts of"),
        ("troops near the embattled city of Pokrovsk", "near"),
        ("a drone fell outside Odesa", "outside"),
        ("the army entered Pokrovsk", None),
    ],
)
def test_relative_locations(text: str, relation: str | None) -> None:
    assert find_relation(text, len(text) - len(text.split()[-1])) == relation


def test_relation_is_kept_on_the_anchor_place() -> None:
    dob = [p for p in places_of(DONBAS) if p.mention == "Pokrovsk" and p.relation]
    assert [p.relation for p in dob] == ["near", "20 km north of"]
    assert all(p.geonames_id == 704422 for p in dob)


# ---------------------------------------------------------------------------------------------------- focus, nominals


def test_document_focus_is_the_most_named_city() -> None:
    focus = document_focus(places_of(DONBAS))
    assert focus is not None and focus.geonames_id == 704422
    assert document_focus([]) is None
    only_country = [Place(name="Ukraine", feature="country", country="UA", span=(0, 7))]
    assert document_focus(only_country) == only_country[0]


def test_nominals_refer_to_the_focus_or_the_city_just_named() -> None:
    places = places_of(DONBAS)
    nominal = [p for p in places if p.resolved_by == "nominal"]
    hub = next(p for p in nominal if p.mention == "The logistics hub")
    assert hub.geonames_id == 704422 and hub.span == (DONBAS.index("The logistics hub"), DONBAS.index(", once"))
    town = next(p for p in nominal if p.mention == "the town")
    assert town.geonames_id == 704422  # a later sentence: the article's focus, not Kyiv


def test_nominal_in_the_same_sentence_takes_the_recent_city() -> None:
    text = "Troops reached Bakhmut on Monday and entered the city from the north. Kyiv said nothing."
    nominal = [p for p in places_of(text) if p.resolved_by == "nominal"]
    assert [(p.mention, p.geonames_id) for p in nominal] == [("the city", 713174)]


def test_city_of_name_is_not_a_nominal() -> None:
    text = "Shelling hit the city of Kherson and the port city of Odesa."
    places = places_of(text)
    assert not [p for p in places if p.resolved_by == "nominal"]
    assert {p.mention for p in places} == {"Kherson", "Odesa"}


def test_region_and_capital_nominals(gaz: Gazetteer) -> None:
    text = (
        "Russian missiles struck Kramatorsk again. Officials in the region said two people died, and the "
        "capital sent rescue teams."
    )
    places = places_of(text, gazetteer=gaz)
    nominal = {p.mention: p for p in places if p.resolved_by == "nominal"}
    assert nominal["the region"].name == "Donetsk Oblast"
    assert nominal["the capital"].geonames_id == 703448


def test_resolve_nominal_with_explicit_focus() -> None:
    text = "The town was quiet."
    focus = Place(name="Avdiivka", country="UA", feature="city", geonames_id=713122, lat=48.14, lon=37.75)
    [p] = resolve_nominal(text, [], focus=focus)
    assert (p.name, p.mention, p.span, p.resolved_by) == ("Avdiivka", "The town", (0, 8), "nominal")


# ---------------------------------------------------------------------------------------------------- seeds


@pytest.mark.skipif(not SEEDS.is_dir(), reason="no ../shared/seeds")
def test_seed_articles_resolve_to_the_expected_points() -> None:
    expected = {"Pokrovsk": (48.2801, 37.1771), "Dobropillia": (48.4667, 37.0857), "Kupiansk": (49.71, 37.6158)}
    found: dict[str, Place] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        for p in places_of(path.read_text(encoding="utf-8")):
            if p.mention in expected and p.resolved_by != "nominal":
                found.setdefault(p.mention, p)
                assert distance_km(p.lat, p.lon, *expected[p.mention]) < 25, p  # type: ignore[arg-type]
    assert set(found) == set(expected)
