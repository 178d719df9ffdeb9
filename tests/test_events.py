"""crosscheck.events: event type, status, negation and hedging, on sentences written for these tests."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import crosscheck.events as events
from crosscheck.errors import ConfigError
from crosscheck.events import EventInfo, classify_event, load_event_lexicon


def kind(text: str) -> tuple[str | None, str | None]:
    e = classify_event(text)
    return e.event_type, e.status


# -- the cases the seed articles need (in our own words) ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "event_type", "status"),
    [
        ("Our units keep tightening the encirclement around the enemy grouping.", "territorial_control", "encircled"),
        ("The ministry claimed to have captured a few dozen buildings.", "territorial_control", "captured"),
        ("We are holding Kupiansk and will not give it up.", "territorial_control", "holding"),
        ("Enemy soldiers have infiltrated the logistics hub.", "territorial_control", "infiltrated"),
        ("Around 200 Russian soldiers are currently in the city.", "force_presence", None),
        ("The president visited troops near the front line.", "visit", None),
        ("Ukraine at the weekend deployed special forces to the town.", "deployment", None),
        ("It's just lies.", "statement_of_falsehood", None),
    ],
)
def test_seed_style_sentences(text: str, event_type: str, status: str | None) -> None:
    assert kind(text) == (event_type, status)


def test_claimed_capture_is_hedged() -> None:
    e = classify_event("The ministry claimed to have captured a few dozen buildings.")
    assert e.hedged and e.hedge_cue == "claimed" and not e.negated


def test_trigger_and_span() -> None:
    text = "Witnesses said RSF fighters seized the airport in El Fasher."
    e = classify_event(text, offset=100)
    assert e.trigger == "seized"
    assert e.trigger_span is not None
    assert text[e.trigger_span[0] - 100 : e.trigger_span[1] - 100] == "seized"


# -- other wars, other styles ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "event_type", "status"),
    [
        ("Sudan's army said it had retaken the presidential palace in Khartoum.", "territorial_control", "retaken"),
        ("Azerbaijani forces took control of the heights above Shusha.", "territorial_control", "captured"),
        ("M23 rebels are closing in on Goma, residents say.", "territorial_control", "advancing"),
        ("The garrison pulled out of Kidal after two days.", "territorial_control", "withdrew"),
        ("Fierce fighting for the airport continued into the night.", "territorial_control", "contested"),
        ("Tigrayan fighters said the town was surrounded on three sides.", "territorial_control", "encircled"),
        ("Houthi forces have besieged Taiz for years.", "territorial_control", "encircled"),
        ("The junta's troops still hold the airport.", "territorial_control", "holding"),
        ("Israeli strikes killed 12 people in Rafah, officials said.", "casualties", "killed"),
        ("Three medics were wounded by a drone in Kherson.", "casualties", "wounded"),
        ("The marines captured 30 enemy soldiers near the dam.", "casualties", "captured"),
        ("Hundreds of fighters surrendered to the army.", "casualties", "captured"),
        ("Air defences shot down 40 drones over Kyiv overnight.", "attack", "repelled"),
        ("Ukrainian forces repelled 14 attacks near Pokrovsk.", "attack", "repelled"),
        ("Rebels shelled the camp at dawn.", "attack", "attacked"),
        ("Russia launched 90 drones and six missiles at the west.", "attack", "attacked"),
        ("Moscow sent fresh troops to the Kursk border.", "deployment", None),
        ("Reinforcements arrived from the south.", "deployment", None),
        ("The minister toured the front near Mariupol.", "visit", None),
        ("Russia plans to capture the whole region by spring.", "intent", None),
        ("Ankara wants to push the militia back 30 km.", "intent", None),
        ("The general denied the report.", "denial", None),
        ("Hamas called the report fabricated.", "statement_of_falsehood", None),
        ("There is no truth in these claims.", "statement_of_falsehood", None),
        ("The weather was mild and the markets reopened.", "other", None),
    ],
)
def test_many_styles(text: str, event_type: str, status: str | None) -> None:
    assert kind(text) == (event_type, status)


def test_empty_text_has_no_event() -> None:
    assert classify_event("   ") == EventInfo(None)


# -- negation ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "event_type", "status", "cue"),
    [
        ("Russian forces achieved no success near the village.", "territorial_control", "advancing", "no"),
        ("The assault troops did not capture the bridge.", "territorial_control", "captured", "not"),
        ("The rebels failed to take control of the refinery.", "territorial_control", "captured", "failed to"),
        ("Government forces have never withdrawn from Marib.", "territorial_control", "withdrew", "never"),
        ("Attempts by the militia to break through the lines failed.", "territorial_control", "advancing", "failed"),
        ("Moscow denied that its troops had withdrawn from the town.", "territorial_control", "withdrew", "denied"),
        ("Kyiv says Moscow's report of the capture is fake.", "territorial_control", "captured", "fake"),
        ("The enemy couldn't enter the district.", "territorial_control", "infiltrated", "n't"),
    ],
)
def test_negation(text: str, event_type: str, status: str, cue: str) -> None:
    e = classify_event(text)
    assert (e.event_type, e.status, e.negated, e.negation_cue) == (event_type, status, True, cue)


@pytest.mark.parametrize(
    "text",
    [
        "There is no doubt that the army retook the airport.",
        "The army not only retook the airport but also the port.",
        "Russia, not Ukraine, captured the island.",
        "The village lies 5 km north of the river and was shelled overnight.",
        "They staged an assault on the bridgehead.",
    ],
)
def test_not_negated(text: str) -> None:
    e = classify_event(text)
    assert e.event_type not in (None, "other", "statement_of_falsehood")
    assert not e.negated, e


def test_a_negated_trigger_loses_to_a_plain_one_of_the_same_type() -> None:
    e = classify_event("The battalion failed to capture the hill and retreated.")
    assert (e.event_type, e.status, e.negated) == ("territorial_control", "withdrew", False)


# -- hedging ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Reportedly, Sudanese paramilitaries seized the airport.", "Reportedly"),
        ("Ethiopian troops may have entered the town of Adigrat.", "may"),
        ("It is unclear whether the town has fallen.", "It is unclear"),
        ("The strike could not be independently verified.", "could"),
        ("Officials doubt the brigade was encircled.", "doubt"),
        ("The allegedly captured tanks were shown on television.", "allegedly"),
    ],
)
def test_hedged(text: str, cue: str) -> None:
    e = classify_event(text)
    assert e.hedged and e.hedge_cue == cue


def test_month_may_is_not_a_hedge() -> None:
    e = classify_event("In May the rebels captured the airport.")
    assert (e.event_type, e.status, e.hedged) == ("territorial_control", "captured", False)


def test_no_doubt_is_not_a_hedge() -> None:
    assert not classify_event("There is no doubt that the army retook the airport.").hedged


# -- the ontology is documented ------------------------------------------------------------------------------------
def test_every_type_and_status_in_the_data_file_is_documented() -> None:
    lex = load_event_lexicon()
    doc = events.__doc__ or ""
    for name, t in lex.types.items():
        assert f"``{name}``" in doc, name
        assert t.description, name
        for status in t.statuses:
            assert f"``{status}``" in doc, status


def test_every_status_has_a_description_in_the_shipped_file() -> None:
    path = Path(events.__file__).parent / "data" / "events.toml"
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    for name, spec in table["types"].items():
        for status, sspec in spec.get("statuses", {}).items():
            assert sspec.get("description"), f"{name}.{status}"


# -- the data file ----------------------------------------------------------------------------------------------
def test_user_file_adds_triggers_and_types(tmp_path: Path) -> None:
    (tmp_path / "events.toml").write_text(
        "[types.territorial_control.statuses.captured]\n"
        'forms = ["mopped up"]\n'
        "[types.ceasefire]\n"
        'kind = "content"\npriority = 80\ndescription = "A truce."\nforms = ["truce", "ceasefire"]\n',
        encoding="utf-8",
    )
    lex = load_event_lexicon(data_dir=str(tmp_path))
    assert classify_event("The paratroopers mopped up the last pockets.", lexicon=lex).status == "captured"
    assert classify_event("A truce took hold after the shelling.", lexicon=lex).event_type == "ceasefire"
    assert classify_event("Rebels seized the port.", lexicon=lex).status == "captured"


def test_bad_pattern_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "events.toml").write_text(
        '[types.visit]\npatterns = ["(unclosed"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"events\.toml"):
        load_event_lexicon(data_dir=str(tmp_path))


# -- background states and irrealis (other wars, our own sentences) ----------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Aid convoys reached Armenian-held villages in the valley.",
        "Residents of the occupied districts were told to register.",
        "The militia still runs the annexed province.",
        "Refugees fled the RSF-controlled suburbs of the capital.",
        "Sudan's occupied border town has no power.",
        "The enclave has been occupied since the spring of 2021.",
    ],
)
def test_background_states_are_not_capture_events(text: str) -> None:
    e = classify_event(text)
    assert (e.event_type, e.status) == ("territorial_control", "occupied")
    assert e.state


def test_a_finite_occupation_with_an_object_is_a_capture() -> None:
    e = classify_event("Rebel troops occupied the airport on Sunday.")
    assert (e.status, e.state) == ("captured", False)


def test_an_event_beats_a_background_state_in_the_same_sentence() -> None:
    e = classify_event("Drones struck a depot in the Azerbaijani-held district overnight.")
    assert (e.event_type, e.status, e.state) == ("attack", "attacked", False)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Officials fear that the militia could attack the camp again.", "fear"),
        ("There are fears of a new assault on the port.", "fears"),
        ("Capturing the pass would be a major prize for the rebels.", "would be"),
        ("We hope there will be no more shelling of the town.", "hope"),
        ("There is no need for airstrikes on the valley now.", "no need"),
        ("If the army advances on the town, the rebels say they are ready.", "if"),
        ("Is the militia attacking the airport?", "?"),
    ],
)
def test_modal_and_hoped_for_events_are_irrealis(text: str, cue: str) -> None:
    e = classify_event(text)
    assert e.irrealis and e.irrealis_cue is not None and e.irrealis_cue.lower() == cue


@pytest.mark.parametrize(
    "text",
    [
        "The rebels claimed they had captured the airport.",
        "The army allegedly shelled the market on Friday.",
        "Troops could not capture the hill despite three attempts.",
        "In May the militia attacked the convoy.",
    ],
)
def test_reported_and_failed_events_stay_realis(text: str) -> None:
    assert not classify_event(text).irrealis


def test_an_unsuccessful_attack_still_happened() -> None:
    e = classify_event("The rebels' unsuccessful drone attack on the harbour")
    assert (e.event_type, e.negated) == ("attack", False)


def test_quotes_do_not_end_the_scope_of_a_modal() -> None:
    assert classify_event('He said there was no need for more "massive" strikes for now.').irrealis


@pytest.mark.parametrize(
    "text",
    [
        "Officials in Tbilisi neither confirmed nor denied the report of troop movements.",
        "Reporters were denied access to the besieged district of Marawi.",
        "The border guards denied entry to two aid convoys on Friday.",
    ],
)
def test_denied_without_a_claim_is_no_rejection(text: str) -> None:
    assert classify_event(text).event_type not in {"denial", "statement_of_falsehood"}


def test_denied_that_still_negates_the_event() -> None:
    info = classify_event("The army denied that its artillery shelled the market in Kharkiv.")
    assert info.event_type == "attack" and info.negated
