"""The offline gazetteer: normalised names, spellings, regions, countries, demonyms and the index itself.

The index is built on first use (about half a minute) into ``$CROSSCHECK_CACHE`` or ``~/.cache/crosscheck``;
later runs reuse it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosscheck import gazetteer as gz
from crosscheck.gazetteer import Gazetteer, index_version, load_gazetteer, normalise


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def ids(gaz: Gazetteer, name: str) -> list[int]:
    return [c.id for c in gaz.lookup(name)]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kup'yans'k", "Kupyansk"),
        ("Kup’yans’k", "kupyansk"),
        ("Ivano-Frankivsk", "Ivano Frankivsk"),
        ("St. Louis", "St Louis"),
        ("Dnipró", "Dnipro"),
        ("Łódź", "Lodz"),
        ("  Khan   Younis ", "khan younis"),
        ("ПОКРОВСЬК", "Покровськ"),
    ],
)
def test_normalise_meets_spelling_variants(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_normalise_keeps_different_names_apart() -> None:
    assert normalise("Kyiv") != normalise("Kiev")  # spelling variants meet through the index, not the key
    assert normalise("Bath") != normalise("Baths")


@pytest.mark.parametrize(
    ("name", "geonames_id"),
    [
        ("Kupiansk", 703656),
        ("Kupyansk", 703656),
        ("Kup'yans'k", 703656),
        ("Kyiv", 703448),
        ("Kiev", 703448),
        ("Kharkov", 706483),
        ("Nikolaev", 700569),
        ("Mykolaiv", 700569),
        ("Krasnoarmiisk", 704422),  # Pokrovsk's Soviet-era name
        ("Artemivsk", 713174),  # Bakhmut
        ("Stepanakert", 146970),  # Khankendi
        ("Al Fashir", 379555),  # El Fasher
        ("Khan Yunis", 281124),
    ],
)
def test_other_names_reach_the_place(gaz: Gazetteer, name: str, geonames_id: int) -> None:
    assert geonames_id in ids(gaz, name)


def test_candidates_come_most_populous_first_with_how_they_matched(gaz: Gazetteer) -> None:
    pokrovsk = gaz.lookup("Pokrovsk")
    by_id = {c.id: c for c in pokrovsk}
    assert {704422, 563464, 2017824} <= set(by_id)  # Donetsk Oblast, Engels (old name), Yakutia
    assert by_id[704422].match == "name"
    assert by_id[563464].match == "alternate"
    pops = [c.population for c in pokrovsk]
    assert pops == sorted(pops, reverse=True)
    ua = by_id[704422]
    assert (ua.country, ua.admin1, ua.admin1_label) == ("UA", "05", "Donetsk Oblast")
    assert round(ua.lat, 2) == 48.28 and round(ua.lon, 2) == 37.18


def test_get_by_geonames_id(gaz: Gazetteer) -> None:
    dob = gaz.get(709900)
    assert dob is not None and dob.name == "Dobropillia" and dob.feature == "city"
    assert gaz.get(-5) is None  # local ids are not GeoNames ids


def test_countries_have_points_ids_and_short_names(gaz: Gazetteer) -> None:
    countries = gaz.countries()
    assert len(countries) > 240
    ua = countries["UA"]
    assert ua.geonames_id == 690791 and ua.feature == "country"
    assert 44 < ua.lat < 53 and 22 < ua.lon < 41
    for name, iso in [("US", "US"), ("U.S.", "US"), ("America", "US"), ("Britain", "GB"), ("UK", "GB")]:
        assert any(c.feature == "country" and c.country == iso for c in gaz.lookup(name)), name
    assert gaz.country("ps") is not None and gaz.country("XX") is None


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Donetsk region", "UA"),
        ("Donetsk Oblast", "UA"),
        ("Crimea", "UA"),
        ("Donbas", "UA"),
        ("Belgorod Oblast", "RU"),
        ("Gomel region", "BY"),
        ("Masovian Voivodeship", "PL"),
        ("Transnistria", "MD"),
        ("Abkhazia", "GE"),
        ("Negev", "IL"),
        ("Gaza Strip", "PS"),
        ("Idlib province", "SY"),
        ("Beqaa Valley", "LB"),
        ("Anbar province", "IQ"),
        ("Sistan and Baluchestan", "IR"),
        ("Hodeidah province", "YE"),
        ("North Darfur", "SD"),
        ("Helmand province", "AF"),
        ("Ohio", "US"),
    ],
)
def test_regions_resolve_with_feature_and_country(gaz: Gazetteer, name: str, country: str) -> None:
    regions = [c for c in gaz.lookup(name) if c.feature == "region"]
    assert regions, name
    assert regions[0].country == country


def test_region_admin1_code_matches_its_cities(gaz: Gazetteer) -> None:
    oblast = next(c for c in gaz.lookup("Donetsk Oblast") if c.feature == "region")
    assert oblast.admin1 == "05"
    assert gaz.region("UA", "05") == oblast
    texas = next(c for c in gaz.lookup("Texas") if c.feature == "region")
    with (gz._geonames_dir() / "us_states.json").open(encoding="utf-8") as fh:
        assert texas.geonames_id == json.load(fh)["TX"]["geonameid"]


def test_a_region_word_does_not_swallow_the_city(gaz: Gazetteer) -> None:
    top = gaz.lookup("Donetsk")[0]
    assert top.feature == "city" and top.id == 709717


def test_demonyms_and_capitals(gaz: Gazetteer) -> None:
    assert gaz.demonym("Ukrainian") == "UA"
    assert gaz.demonym("Russians") == "RU"
    assert gaz.demonym("Sudanese") == "SD"
    assert gaz.demonym("Pokrovsk") is None
    capital = gaz.capital("UA")
    assert capital is not None and capital.id == 703448


def test_abbreviations_are_flagged_as_such(gaz: Gazetteer) -> None:
    tex = gaz.lookup("Tex.")
    assert tex and all(c.match == "abbreviation" for c in tex if c.country == "US" and c.feature == "region")


def test_shipped_data_rows_all_place(gaz: Gazetteer) -> None:
    assert gaz.build_problems() == []


def test_index_version_follows_user_data_files(tmp_path: Path) -> None:
    before = index_version(data_dir=str(tmp_path))
    (tmp_path / "places_extra.csv").write_text(
        "name,feature,country,anchor,lat,lon,aliases\nTestville,area,UA,,48.0,37.0,\n", encoding="utf-8"
    )
    after = index_version(data_dir=str(tmp_path))
    assert before != after
    assert gz.index_path(cache_dir=tmp_path, data_dir=str(tmp_path)).name == f"gazetteer-{after}.sqlite"


def test_missing_index_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(gz.ConfigError, match="gazetteer index missing"):
        Gazetteer(tmp_path / "nope.sqlite")


def test_cli_lookup_prints_candidates(capsys: pytest.CaptureFixture[str]) -> None:
    assert gz.main(["lookup", "Dobropillia"]) == 0
    out = capsys.readouterr().out
    assert "709900" in out and "Donetsk Oblast" in out
