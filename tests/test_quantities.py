"""crosscheck.quantities: amounts, their vagueness and units, on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.errors import ConfigError
from crosscheck.quantities import find_quantities, load_quantity_lexicon
from crosscheck.records import Quantity


def one(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


def values(text: str) -> list[tuple[float | None, float | None, float | None, str | None]]:
    return [(q.value, q.low, q.high, q.unit) for q in find_quantities(text)]


# -- the cases the seed articles need ---------------------------------------------------------------------------
def test_hundreds_of_soldiers_is_an_interval_within_100_to_1000() -> None:
    q = one("Hundreds of Russian soldiers slipped into the town overnight.")
    assert q.low is not None and q.high is not None
    assert 100 <= q.low and q.high <= 1000
    assert q.value is None and q.approximate and q.unit == "soldiers"
    assert q.text == "Hundreds of Russian soldiers"


def test_a_few_dozen_buildings() -> None:
    q = one("The army said it had cleared a few dozen buildings on the eastern edge.")
    assert q.low is not None and q.high is not None
    assert 12 <= q.low <= q.high <= 100
    assert q.unit == "buildings" and q.approximate


def test_around_200_soldiers_is_approximate_200() -> None:
    q = one("Around 200 Russian soldiers are currently in the city, the commander said.")
    assert q.value == 200 and q.approximate
    assert q.low == 180 and q.high == 220
    assert q.unit == "soldiers"


def test_60000_people_exact() -> None:
    q = one("Some aid groups said 60,000 people had fled the fighting.")
    assert (q.value, q.low, q.high, q.unit, q.approximate) == (60000, 60000, 60000, "people", False)


# -- numbers ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Officials counted 1.5 million refugees by spring.", 1_500_000, "refugees"),
        ("The fund pledged $2.3 billion for rebuilding.", 2_300_000_000, "USD"),
        ("Donors raised £40m within a week.", 40_000_000, "GBP"),
        ("Turnout fell to 62% in the northern districts.", 62, "percent"),
        ("Turnout fell to 62 per cent in the northern districts.", 62, "percent"),
        ("Twenty-five fighters surrendered at dawn.", 25, "fighters"),
        ("Two hundred and fifty civilians were evacuated.", 250, "civilians"),
        ("Militants fired a dozen rockets at the base.", 12, "rockets"),
        ("Half a million people lost power after the strikes.", 500_000, "people"),
        ("The convoy of three armoured vehicles was hit.", 3, "vehicles"),
        ("Engineers laid 2bn dollars of cable, the ministry said.", 2_000_000_000, "USD"),
        ("The rebels hold 3,400 square kilometres of farmland.", 3400, "km2"),
    ],
)
def test_exact_numbers(text: str, value: float, unit: str) -> None:
    q = one(text)
    assert q.value == value == q.low == q.high
    assert q.unit == unit and not q.approximate


def test_number_without_unit_keeps_value() -> None:
    assert values("Two were killed and 30 wounded in the blast.") == [(2, 2, 2, None), (30, 30, 30, None)]


def test_unknown_plural_noun_is_kept_as_unit() -> None:
    assert one("By Friday 4,500 evacuees had crossed into Chad.").unit == "refugees"
    assert one("The shelling damaged 17 mosques in the old quarter.").unit == "mosques"


# -- vagueness --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("Dozens of drones crossed the border.", 24, 99, "drones"),
        ("Thousands of residents queued for water.", 2000, 9999, "people"),
        ("Tens of thousands of people marched in Tbilisi.", 20_000, 99_000, "people"),
        ("Hundreds of thousands of civilians remain trapped.", 200_000, 999_000, "civilians"),
        ("Several drones were shot down over the port.", 3, 9, "drones"),
        ("Several hundred marines landed on the island.", 300, 900, "soldiers"),
        ("Between 5 and 10 missiles struck the airfield.", 5, 10, "missiles"),
        ("Rebels seized 200-300 shells from the depot.", 200, 300, "shells"),
        ("Two or three tanks were seen near the bridge.", 2, 3, "tanks"),
        ("Some 1-2 million people fled Khartoum.", 1_000_000, 2_000_000, "people"),
        ("Two to three thousand troops massed near the border.", 2000, 3000, "soldiers"),
    ],
)
def test_vague_amounts_and_ranges(text: str, low: float, high: float, unit: str) -> None:
    q = one(text)
    assert (q.low, q.high, q.unit) == (low, high, unit)
    assert q.value is None and q.approximate


def test_bounds() -> None:
    assert values("More than 500 drones were launched.") == [(None, 501, None, "drones")]
    assert values("At least 12 civilians died.") == [(None, 12, None, "civilians")]
    assert values("Up to 30,000 troops took part.") == [(None, None, 30000, "soldiers")]
    assert values("Fewer than 40 soldiers remain.") == [(None, None, 39, "soldiers")]
    assert values("As many as 80 people were detained.") == [(None, None, 80, "people")]
    assert values("The siege has lasted over a year.") == [(None, 1, None, "years")]
    assert values("The lines moved more than 2.5 km.") == [(None, 2.5, None, "km")]
    assert values("Nearly 500 soldiers deserted.") == [(500, 450, 500, "soldiers")]
    assert values("Roughly 75 militiamen, 200 or so fighters and 1,000-plus civilians") == [
        (75, 67, 83, "fighters"),
        (200, 180, 220, "fighters"),
        (None, 1000, None, "civilians"),
    ]


def test_quantity_text_and_span() -> None:
    text = "Witnesses saw about 40 tanks near Shusha."
    q = one(text)
    assert q.text == "about 40 tanks"
    assert q.span is not None and text[q.span[0] : q.span[1]] == q.text
    shifted = find_quantities(text, offset=1000)[0]
    assert shifted.span == (q.span[0] + 1000, q.span[1] + 1000)


def test_conversion_in_parentheses_is_one_quantity() -> None:
    q = one("The column stopped 20 kilometers (12 miles) from Goma.")
    assert q.text == "20 kilometers (12 miles)"
    assert (q.value, q.unit) == (20, "km")


def test_hyphenated_measure() -> None:
    assert values("They agreed a 24-hour truce and a 20-kilometre buffer zone.") == [
        (24, 24, 24, "hours"),
        (20, 20, 20, "km"),
    ]


# -- things that are not amounts --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "The war began in 2022 and escalated in 2023.",
        "The truce was signed on November 4, 2025.",
        "The truce was signed on 4 November.",
        "Talks resume on Nov. 4 in Doha.",
        "The 93rd Brigade and the 1st Corps were moved north.",
        "The strike came at 10:30 local time.",
        "Sirens sounded at 6 am and again at 0600 GMT.",
        "Pilots flew Su-34 jets and crews drove T-72 tanks.",
        "Germany sent Leopard 2 tanks and 2S19 howitzers.",
        "Article 5 of the treaty and Resolution 2231 were cited.",
        "They fired 155mm shells at the trenches.",
        "The order dated 2022-03-01 was leaked.",
        "The town was rebuilt in the 1990s.",
        "One of the officers said no one had left.",
        "The 2022-23 winter was hard; from 2014 to 2022 the front barely moved.",
        "It was a 24/7 operation.",
        "A 52-year-old farmer was hurt.",
    ],
)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_year_with_adjacent_count_unit_is_a_quantity() -> None:
    assert values("Officials said 2000 soldiers had been rotated.") == [(2000, 2000, 2000, "soldiers")]


def test_year_before_a_nationality_is_still_a_year() -> None:
    assert find_quantities("In 2022 Russian soldiers crossed the river.") == []


def test_unit_search_stops_at_function_words() -> None:
    assert values("Officials said 200 were killed by Sudanese soldiers.") == [(200, 200, 200, None)]


# -- the data file ----------------------------------------------------------------------------------------------
def test_user_file_extends_units(tmp_path: Path) -> None:
    (tmp_path / "quantity_words.toml").write_text(
        '[units.trenches]\nkind = "count"\nforms = ["trench", "trenches", "dugouts"]\n', encoding="utf-8"
    )
    lex = load_quantity_lexicon(data_dir=str(tmp_path))
    assert find_quantities("They took 14 dugouts overnight.", lexicon=lex)[0].unit == "trenches"
    # the shipped units are still there
    assert find_quantities("and 60,000 people fled", lexicon=lex)[0].unit == "people"


def test_bad_user_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "quantity_words.toml").write_text('[modifiers]\nabout = "roughly"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"quantity_words\.toml"):
        load_quantity_lexicon(data_dir=str(tmp_path))
