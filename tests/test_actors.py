"""Actors: one canonical entity per actor, across spellings and documents (``crosscheck.actors``).

Mentions are given to ``DocumentActors.resolve`` in reading order, with the offsets and NER
labels the pipeline would pass. People not in the shipped registry are invented for the tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.actors import ActorRegistry, DocumentActors, normalise
from crosscheck.errors import ConfigError
from crosscheck.records import Actor


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> ActorRegistry:
    # an empty data_dir: the shipped registry only, whatever the user's own data folder holds
    return ActorRegistry.load(data_dir=str(tmp_path_factory.mktemp("no-user-data")))


def resolve_all(registry: ActorRegistry, mentions: list[tuple[str, str | None]]) -> list[Actor]:
    """Resolve mentions in one document, 100 characters apart, in order."""
    doc = DocumentActors(registry)
    return [doc.resolve(m, offset=100 * i, label=label) for i, (m, label) in enumerate(mentions)]


def one(registry: ActorRegistry, mention: str, label: str | None = None) -> Actor:
    return DocumentActors(registry).resolve(mention, offset=0, label=label)


# ------------------------------------------------------------------ the registry


def test_registry_loads_shipped_entries(registry: ActorRegistry) -> None:
    for actor_id in ("ua-zelenskyy", "ru-putin", "ru-armed-forces", "ua-government", "il-idf", "sd-rsf", "ps-hamas"):
        assert actor_id in registry.entries
    assert registry.entries["ua-zelenskyy"].type == "person"
    assert registry.entries["ru-government"].side == "Russia"
    assert {"russia", "ukraine", "israel", "hamas"} <= registry.parties


def test_normalise_ignores_case_accents_apostrophes_and_punctuation() -> None:
    assert normalise("Zelens’kyy") == normalise("zelens'kyy")
    assert normalise("Russia’s Defence Ministry") == normalise("russia's defence ministry") == "russia defence ministry"
    assert normalise("Al-Burhan") == "al burhan"
    assert normalise("  Kupiansk,  ") == "kupiansk"


# ------------------------------------------------------------------ spellings


@pytest.mark.parametrize(
    "mention",
    [
        "Zelensky",
        "Zelenskyy",
        "Zelenskiy",
        "Zelenskyj",  # not in the registry: a near spelling
        "President Volodymyr Zelensky",
        "Ukrainian President Volodymyr Zelenskiy",
        "Volodymyr Zelenskyy",
    ],
)
def test_spellings_of_zelenskyy_are_one_actor(registry: ActorRegistry, mention: str) -> None:
    a = one(registry, mention, "PERSON")
    assert (a.id, a.name, a.type, a.side) == ("ua-zelenskyy", "Volodymyr Zelenskyy", "person", "Ukraine")
    assert a.mention == mention


def test_spellings_in_one_document_share_one_entity(registry: ActorRegistry) -> None:
    doc = DocumentActors(registry)
    ids = {
        doc.resolve(m, offset=i * 50, label="PERSON").id for i, m in enumerate(["Zelensky", "Zelenskiy", "Zelenskyy"])
    }
    assert ids == {"ua-zelenskyy"}
    assert list(doc.entities) == ["ua-zelenskyy"]


@pytest.mark.parametrize(
    ("mention", "actor_id"),
    [
        ("Gen. Oleksandr Syrsky", "ua-syrskyi"),
        ("Syrskyi", "ua-syrskyi"),
        ("Major General Igor Konashenkov", "ru-konashenkov"),
        ("Kremlin spokesman Dmitry Peskov", "ru-peskov"),
        ("Dmitri Peskov", "ru-peskov"),
        ("Hemedti", "sd-hemedti"),
        ("Abdel-Fattah Burhan", "sd-burhan"),
    ],
)
def test_titles_and_transliterations(registry: ActorRegistry, mention: str, actor_id: str) -> None:
    assert one(registry, mention, "PERSON").id == actor_id


@pytest.mark.parametrize(
    ("mention", "actor_id"),
    [
        ("ministry spokesman Igor Konashenkov", "ru-konashenkov"),
        ("Commander-in-Chief Oleksandr Syrskyi", "ua-syrskyi"),
        ("Ukraine's top commander Oleksandr Syrskyi", "ua-syrskyi"),
    ],
)
def test_role_words_before_a_registered_name(registry: ActorRegistry, mention: str, actor_id: str) -> None:
    # attribution hands over the whole noun phrase, role words and all
    assert one(registry, mention, "PERSON").id == actor_id


@pytest.mark.parametrize(
    ("mention", "actor_id"),
    [
        ("The Institute for the Study of War (ISW)", "org-isw"),
        ("the US-based Institute for the Study of War", "org-isw"),
        ("ISW", "org-isw"),
        ("Hamas’s armed wing", "ps-hamas"),
        ("the Hamas-run Gaza health ministry", "ps-hamas"),
        ("the paramilitary Rapid Support Forces", "sd-rsf"),
        ("the RSF", "sd-rsf"),
    ],
)
def test_organisations(registry: ActorRegistry, mention: str, actor_id: str) -> None:
    assert one(registry, mention, "ORG").id == actor_id


# ------------------------------------------------------------------ metonymy and institutions


@pytest.mark.parametrize(
    ("mention", "label", "actor_id", "side"),
    [
        ("Kyiv", "GPE", "ua-government", "Ukraine"),
        ("Kiev", "GPE", "ua-government", "Ukraine"),
        ("the Kremlin", "ORG", "ru-government", "Russia"),
        ("Kremlin", "ORG", "ru-government", "Russia"),
        ("Moscow", "GPE", "ru-government", "Russia"),
        ("Jerusalem", "GPE", "il-government", "Israel"),
        ("Washington", "GPE", "us-government", None),
    ],
)
def test_capitals_stand_for_governments(
    registry: ActorRegistry, mention: str, label: str, actor_id: str, side: str | None
) -> None:
    a = one(registry, mention, label)
    assert (a.id, a.side) == (actor_id, side)
    assert a.type == "government"


@pytest.mark.parametrize(
    ("mention", "actor_id", "side", "type_"),
    [
        ("the Russian army", "ru-armed-forces", "Russia", "military"),
        ("Russian servicemen", "ru-armed-forces", "Russia", "military"),
        ("Russia's defence ministry", "ru-armed-forces", "Russia", "military"),
        ("Russia’s Defense Ministry", "ru-armed-forces", "Russia", "military"),
        ("Ukrainian forces", "ua-armed-forces", "Ukraine", "military"),
        ("the Ukrainian General Staff", "ua-armed-forces", "Ukraine", "military"),
        ("Ukraine’s military", "ua-armed-forces", "Ukraine", "military"),
        ("Ukrainian officials", "ua-government", "Ukraine", "government"),
        ("Israeli troops", "il-idf", "Israel", "military"),
        ("the Israeli military", "il-idf", "Israel", "military"),
        ("Israeli officials", "il-government", "Israel", "government"),
        ("the Sudanese army", "sd-saf", "Sudan", "military"),
        ("Sudan's army", "sd-saf", "Sudan", "military"),
    ],
)
def test_demonym_plus_institution(registry: ActorRegistry, mention: str, actor_id: str, side: str, type_: str) -> None:
    a = one(registry, mention)
    assert (a.id, a.side, a.type) == (actor_id, side, type_)


def test_institution_of_an_unregistered_party_gets_its_side(registry: ActorRegistry) -> None:
    a = one(registry, "Armenian troops")
    assert (a.name, a.side, a.type) == ("Armenian armed forces", "Armenia", "military")
    assert a.id == one(registry, "the Armenian army").id


@pytest.mark.parametrize(
    ("mention", "name", "side"),
    [
        ("the Thai army", "Thai armed forces", "Thailand"),
        ("Cambodia's defence ministry", "Cambodian armed forces", "Cambodia"),
        ("Indian officials", "Indian government", "India"),
        ("the Pakistani military", "Pakistani armed forces", "Pakistan"),
        ("the Congolese army", "Congolese armed forces", "Democratic Republic of the Congo"),
        ("M23 rebels", "M23", "M23"),
        ("India", "Indian government", "India"),
        ("Cambodia", "Cambodian government", "Cambodia"),
    ],
)
def test_parties_of_other_wars_get_their_sides(registry: ActorRegistry, mention: str, name: str, side: str) -> None:
    a = one(registry, mention)
    assert (a.name, a.side) == (name, side)


def test_a_third_countrys_bare_name_is_no_government(registry: ActorRegistry) -> None:
    assert registry.institution("Germany") is None  # "Germany said": left to the named-entity reading
    assert registry.institution("Indian") is None  # an adjective alone names nobody


def test_institution_of_a_third_country_has_no_side(registry: ActorRegistry) -> None:
    a = one(registry, "Belarusian troops")
    assert a.name == "Belarusian armed forces"
    assert a.side is None


# ------------------------------------------------------------------ back-references


def test_he_refers_to_the_last_named_person(registry: ActorRegistry) -> None:
    zelensky, _kyiv, he = resolve_all(registry, [("Zelenskiy", "PERSON"), ("Kyiv", "GPE"), ("he", None)])
    assert he.id == zelensky.id == "ua-zelenskyy"
    assert he.mention == "he"


def test_he_prefers_the_most_recent_person(registry: ActorRegistry) -> None:
    actors = resolve_all(registry, [("Zelensky", "PERSON"), ("Oksana Bilyk", "PERSON"), ("he", None)])
    assert actors[2].id == actors[1].id != "ua-zelenskyy"


def test_they_refers_to_the_last_group(registry: ActorRegistry) -> None:
    actors = resolve_all(registry, [("Russian forces", None), ("Syrskyi", "PERSON"), ("they", None)])
    assert actors[2].id == "ru-armed-forces"


def test_pronoun_does_not_look_ahead(registry: ActorRegistry) -> None:
    doc = DocumentActors(registry)
    he = doc.resolve("he", offset=0)
    doc.resolve("Zelensky", offset=50, label="PERSON")
    assert he.id != "ua-zelenskyy"


def test_unresolved_pronoun_is_not_an_actor_shared_across_documents(registry: ActorRegistry) -> None:
    a = one(registry, "he")
    b = one(registry, "he")
    assert a.id is None or a.id != b.id, "an unresolved 'he' in two documents would be one actor"


@pytest.mark.parametrize("role", ["the president", "the head of state", "The president", "the Ukrainian president"])
def test_role_refers_to_the_named_holder(registry: ActorRegistry, role: str) -> None:
    actors = resolve_all(registry, [("President Volodymyr Zelensky", "PERSON"), ("Kupiansk", "GPE"), (role, None)])
    assert actors[2].id == "ua-zelenskyy"


def test_shared_role_goes_to_the_most_recent_holder(registry: ActorRegistry) -> None:
    actors = resolve_all(
        registry,
        [("Zelensky", "PERSON"), ("the president", None), ("Vladimir Putin", "PERSON"), ("the president", None)],
    )
    assert [a.id for a in actors] == ["ua-zelenskyy", "ua-zelenskyy", "ru-putin", "ru-putin"]


def test_specific_role_of_an_unnamed_holder(registry: ActorRegistry) -> None:
    assert one(registry, "the Russian president").id == "ru-putin"
    assert one(registry, "the Kremlin spokesman").id == "ru-peskov"


def test_ambiguous_role_with_nobody_named_is_not_guessed(registry: ActorRegistry) -> None:
    a = one(registry, "the head of state")
    assert a.id not in {"ua-zelenskyy", "ru-putin"}


def test_generic_role_refers_to_the_last_named_person(registry: ActorRegistry) -> None:
    actors = resolve_all(registry, [("Nazar Hrytsenko", "PERSON"), ("the official", None)])
    assert actors[1].id == actors[0].id
    assert actors[1].mention == "the official"


@pytest.mark.parametrize("role", ["the spokesman", "the mayor"])
def test_generic_role_prefers_the_named_person_over_an_unnamed_registry_holder(
    registry: ActorRegistry, role: str
) -> None:
    # A Ukrainian brigade's spokesman is not Peskov, and Kharkiv's mayor is not Klitschko.
    actors = resolve_all(registry, [("Serhii Marchenko", "PERSON"), ("Kupiansk", "GPE"), (role, None)])
    assert actors[2].id == actors[0].id


def test_role_in_the_earlier_mention(registry: ActorRegistry) -> None:
    actors = resolve_all(registry, [("Governor Oleh Marchuk", "PERSON"), ("the governor", None)])
    assert actors[1].id == actors[0].id


def test_surname_refers_to_the_full_name(registry: ActorRegistry) -> None:
    smith, smith2 = resolve_all(registry, [("John Smith", "PERSON"), ("Smith", "PERSON")])
    assert smith2.id == smith.id
    assert smith2.name == "John Smith"
    assert smith2.mention == "Smith"


@pytest.mark.parametrize("later", ["Mr. Hrytsenko", "Col. Hrytsenko", "Hrytsenko"])
def test_surname_with_a_title_refers_to_the_full_name(registry: ActorRegistry, later: str) -> None:
    first, second = resolve_all(registry, [("Nazar Hrytsenko", "PERSON"), (later, "PERSON")])
    assert second.id == first.id


def test_name_with_a_place_and_title_before_it_is_the_same_person(registry: ActorRegistry) -> None:
    first, second = resolve_all(registry, [("Kharkiv Governor Oleh Marchuk", "PERSON"), ("Oleh Marchuk", "PERSON")])
    assert second.id == first.id
    assert first.name == "Oleh Marchuk"


def test_surname_does_not_match_a_different_first_word(registry: ActorRegistry) -> None:
    first, second = resolve_all(registry, [("John Smith", "PERSON"), ("Johnson", "PERSON")])
    assert second.id != first.id


@pytest.mark.parametrize(
    ("named", "label", "later", "actor_id"),
    [
        ("the Sudanese army", None, "the army", "sd-saf"),
        ("Russia's defence ministry", "ORG", "the ministry", "ru-armed-forces"),
        ("the RSF", "ORG", "the group", "sd-rsf"),
        ("the Rapid Support Forces", "ORG", "the paramilitary group", "sd-rsf"),
    ],
)
def test_bare_institution_noun_refers_to_the_named_institution(
    registry: ActorRegistry, named: str, label: str | None, later: str, actor_id: str
) -> None:
    # "the ministry" after "Russia's defence ministry" is that ministry, not an actor called "ministry"
    actors = resolve_all(registry, [(named, label), ("El Fasher", "GPE"), (later, None)])
    assert actors[0].id == actor_id
    assert actors[2].id == actor_id


def test_he_after_an_unnamed_official(registry: ActorRegistry) -> None:
    # "the Kharkiv regional governor said ... He said ...": both are the governor
    governor, he = resolve_all(registry, [("the Kharkiv regional governor", None), ("He", None)])
    assert governor.id is not None
    assert he.id == governor.id


def test_unknown_organisation_keeps_its_whole_name(registry: ActorRegistry) -> None:
    a = one(registry, "the General Staff", "ORG")
    assert a.name == "General Staff"


def test_unknown_spokesman_description_keeps_a_readable_name(registry: ActorRegistry) -> None:
    a = one(registry, "a spokesman for the Khortytsia group of forces")
    assert not a.name.lower().startswith(("for ", "of ")), a.name


# ------------------------------------------------------------------ unknown actors


def test_unknown_person_gets_a_stable_id_across_documents(registry: ActorRegistry) -> None:
    a = one(registry, "Serhii Marchenko", "PERSON")
    b = one(registry, "Col. Serhii Marchenko", "PERSON")
    assert a.id is not None and a.id == b.id
    assert a.name == b.name == "Serhii Marchenko"
    assert a.type == "person" and a.side is None


def test_unknown_actors_with_different_names_get_different_ids(registry: ActorRegistry) -> None:
    assert one(registry, "Serhii Marchenko", "PERSON").id != one(registry, "Serhii Martschenko", "PERSON").id
    assert one(registry, "Adam Yahya", "PERSON").id != one(registry, "Yahya Adam", "PERSON").id


def test_unknown_actor_type_follows_the_ner_label(registry: ActorRegistry) -> None:
    assert one(registry, "DeepState", "ORG").type == "organisation"
    assert one(registry, "Oksana Bilyk", "PERSON").type == "person"


def test_named_actors_become_document_entities(registry: ActorRegistry) -> None:
    doc = DocumentActors(registry)
    doc.resolve("Zelenskiy", offset=0, label="PERSON")
    doc.resolve("Serhii Marchenko", offset=40, label="PERSON")
    doc.resolve("he", offset=80)
    ids = set(doc.entities)
    assert "ua-zelenskyy" in ids
    assert len(ids) == 2
    assert "Zelenskiy" in doc.entities["ua-zelenskyy"].aliases


# ------------------------------------------------------------------ a user's data_dir extends the registry

USER_ACTORS = """
[parties]
names = ["Eritrea"]

[demonyms]
eritrean = "Eritrea"

[[actor]]
id = "ua-hrytsenko-test"
name = "Nazar Hrytsenko"
type = "person"
side = "Ukraine"
aliases = ["Hrytsenko", "Nazariy Hrytsenko"]
roles = ["eastern grouping spokesman"]

[[actor]]
id = "ua-zelenskyy"
name = "Volodymyr Zelenskyy"
type = "person"
side = "Ukraine"
aliases = ["Selenskyj"]
"""


@pytest.fixture()
def user_registry(tmp_path: Path) -> ActorRegistry:
    (tmp_path / "actors.toml").write_text(USER_ACTORS, encoding="utf-8")
    return ActorRegistry.load(data_dir=str(tmp_path))


def test_user_file_adds_an_actor(user_registry: ActorRegistry) -> None:
    a = one(user_registry, "Nazariy Hrytsenko", "PERSON")
    assert (a.id, a.name, a.side, a.type) == ("ua-hrytsenko-test", "Nazar Hrytsenko", "Ukraine", "person")
    assert one(user_registry, "the eastern grouping spokesman").id == "ua-hrytsenko-test"


def test_user_file_extends_an_existing_actor(user_registry: ActorRegistry) -> None:
    assert one(user_registry, "Selenskyj", "PERSON").id == "ua-zelenskyy"
    # the shipped aliases are kept
    assert one(user_registry, "Zelenskiy", "PERSON").id == "ua-zelenskyy"


def test_user_file_adds_a_party_and_a_demonym(user_registry: ActorRegistry) -> None:
    a = one(user_registry, "Eritrean troops")
    assert (a.side, a.type) == ("Eritrea", "military")


def test_shipped_registry_is_unchanged_without_the_user_file(registry: ActorRegistry) -> None:
    assert "ua-hrytsenko-test" not in registry.entries
    assert one(registry, "Eritrean troops").side is None


def test_invalid_user_file_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "actors.toml").write_text("[[actor]]\nid = 'x'\nname = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"actors\.toml"):
        ActorRegistry.load(data_dir=str(tmp_path))


def test_user_actor_without_a_name_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "actors.toml").write_text("[[actor]]\nid = 'x-only-id'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="name"):
        ActorRegistry.load(data_dir=str(tmp_path))


def test_he_skips_a_person_named_only_as_an_object_or_owner(registry: ActorRegistry) -> None:
    text = "Oksana Bilyk said the sanctions against Zelensky had failed. He said talks would go on."
    doc = DocumentActors(registry, text=text)
    bilyk = doc.resolve("Oksana Bilyk", offset=text.index("Oksana"), label="PERSON")
    doc.resolve("Zelensky", offset=text.index("Zelensky"), label="PERSON")
    he = doc.resolve("He", offset=text.index("He said"))
    assert he.id == bilyk.id
    # without the text, the most recent person is taken, as before
    plain = DocumentActors(registry)
    plain.resolve("Oksana Bilyk", offset=0, label="PERSON")
    plain.resolve("Zelensky", offset=40, label="PERSON")
    assert plain.resolve("He", offset=60).id == "ua-zelenskyy"


def test_he_skips_a_person_named_inside_a_closed_quote(registry: ActorRegistry) -> None:
    text = 'Oksana Bilyk told reporters: "We will never trust Zelensky again." He added that talks would go on.'
    doc = DocumentActors(registry, text=text)
    bilyk = doc.resolve("Oksana Bilyk", offset=0, label="PERSON")
    doc.resolve("Zelensky", offset=text.index("Zelensky"), label="PERSON")
    assert doc.resolve("He", offset=text.index("He added")).id == bilyk.id


def test_an_office_named_after_a_party_speaks_for_it(registry: ActorRegistry) -> None:
    pm = one(registry, "Thailand's prime minister")
    assert (pm.type, pm.side) == ("person", "Thailand")
    envoy = one(registry, "the Cambodian defence minister")
    assert envoy.side == "Cambodia"
    assert one(registry, "Indian experts").side is None  # experts named after a side do not speak for it


def test_a_generic_role_is_not_the_last_person_named_by_another_office(registry: ActorRegistry) -> None:
    actors = resolve_all(registry, [("Thailand's prime minister", None), ("the governor", None)])
    assert actors[1].id != actors[0].id
    named = resolve_all(
        registry, [("Governor Somchai Wong", "PERSON"), ("Thailand's prime minister", None), ("the governor", None)]
    )
    assert named[2].id == named[0].id  # the one named by that office, though another spoke since
    assert resolve_all(registry, [("Somchai Wong", "PERSON"), ("the governor", None)])[1].name == "Somchai Wong"


@pytest.mark.parametrize(
    ("capital", "actor_id"),
    [("Phnom Penh", "kh-government"), ("Bangkok", "th-government"), ("Islamabad", "pk-government")],
)
def test_capitals_of_the_parties_stand_for_their_governments(
    registry: ActorRegistry, capital: str, actor_id: str
) -> None:
    assert one(registry, capital).id == actor_id


def test_the_ministry_is_the_last_one_named_ministry_not_the_last_government(registry: ActorRegistry) -> None:
    # "Cambodian authorities accused ... The British Ministry of Defence noted ... 'the ministry said'"
    actors = resolve_all(
        registry, [("Cambodian authorities", None), ("the British Ministry of Defence", "ORG"), ("the ministry", None)]
    )
    assert actors[2].id == actors[1].id and actors[2].side is None


def test_the_duma_speaker_speaks_for_russia(registry: ActorRegistry) -> None:
    # a party's own parliament is no accuser of it: its speaker and its lawmakers are on its side
    speaker = one(registry, "the State Duma speaker")
    assert (speaker.id, speaker.side) == ("ru-volodin", "Russia")
    assert one(registry, "Russian lawmakers").side == "Russia"
