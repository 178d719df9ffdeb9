"""Claim frames: families, stances, agents, counts, time windows and grouping keys."""

from __future__ import annotations

import itertools
import random

import pytest

from crosscheck.errors import ConfigError
from crosscheck.frames import build_frame, build_frames, load_rules, unit_family, weeks_between
from crosscheck.records import Actor, Claim, Interval, Place, Quantity

MAREV = Place(name="Marevka", lat=47.10, lon=35.20, geonames_id=9100001)
MAREV_SUBURB = Place(name="Marevka-Pivnich", lat=47.11, lon=35.21, geonames_id=9100002)  # ~1.4 km away
DALNO = Place(name="Dalnohrad", lat=49.90, lon=31.00, geonames_id=9100003)
ARMY_A = Actor("Armenian armed forces", id="am-army", side="Armenia", type="military")
ARMY_B = Actor("Azerbaijani defence ministry", id="az-mod", side="Azerbaijan", type="military")
PRESS = Actor("a regional newspaper", id="org-paper", type="outlet")


def claim(
    text: str,
    *,
    doc: str = "d1",
    at: int = 0,
    claimant: Actor | None = ARMY_A,
    event_type: str | None = "territorial_control",
    status: str | None = None,
    places: tuple[Place, ...] = (MAREV,),
    stated: str | None = "2024-03-06",
    event_time: Interval | None = None,
    cue: str | None = "said",
    mode: str = "indirect",
    negated: bool = False,
    hedged: bool = False,
    quantities: tuple[Quantity, ...] = (),
) -> Claim:
    c = Claim(
        document_id=doc,
        text=text,
        sentence=text,
        span=(at, at + len(text)),
        mode=mode,
        claimant=claimant,
        cue=cue,
        event_type=event_type,
        places=list(places),
        quantities=list(quantities),
        event_time=event_time,
        stated_at=stated,
        negated=negated,
        hedged=hedged,
    )
    c.frame = {"status": status} if status else None
    return c


def test_frame_fields_are_filled_from_the_claim() -> None:
    c = claim(
        "Azerbaijani troops have entered Marevka",
        status="infiltrated",
        quantities=(Quantity("about 300", value=300, unit="troops", approximate=True),),
        event_time=Interval("2024-03-04", "2024-03-05"),
    )
    f = build_frame(c)
    assert f["family"] == "ground_situation"
    assert f["status"] == "infiltrated"
    assert f["polarity"] == "positive"
    assert f["stance"] == "asserts"
    assert f["claimant"] == {"id": "am-army", "name": "Armenian armed forces", "side": "Armenia"}
    assert f["agent"] == "Azerbaijan"  # who acts, not who claims
    assert f["target"] == "geo:9100001"
    assert f["quantities"] == [{"text": "about 300", "low": 300, "high": 300, "unit": "personnel", "approximate": True}]
    assert f["time"] == {"start": "2024-03-04", "end": "2024-03-05", "from": "event_time"}
    assert "place:geo:9100001:2024-W10" in f["blocks"]
    assert {"place:geo:9100001:2024-W09", "place:geo:9100001:2024-W11"} <= set(f["probes"])
    assert "place:geo:9100001:undated" in f["probes"] and "doc:d1" in f["blocks"]


def test_frame_keeps_what_the_orchestrator_put_there() -> None:
    c = claim("They are holding the line", status="holding")
    c.frame = {"status": "holding", "trigger": "holding", "note": 1}
    f = build_frame(c)
    assert f["note"] == 1 and f["status"] == "holding" and f["trigger"] == "holding"


def test_default_status_for_event_types_without_one() -> None:
    f = build_frame(claim("300 soldiers are in Marevka", event_type="force_presence"))
    assert f["status"] == "present"
    assert build_frame(claim("something", event_type=None))["family"] == "other"


@pytest.mark.parametrize(
    ("text", "kwargs", "stance", "rejects"),
    [
        ("they struck the depot", {"cue": "denied", "event_type": "attack"}, "denies", True),
        ("it", {"cue": "doubted", "event_type": "other"}, "doubts", True),
        ("All of that is a pack of lies", {"event_type": "statement_of_falsehood"}, "denies", True),
        ("Their maps are fake, he said", {"event_type": "other"}, "denies", True),
        ("the town fell", {"mode": "according_to", "event_type": "territorial_control"}, "reports", False),
        ("the town fell", {"hedged": True}, "reports", False),
        ("we hold the town and their story is pure propaganda", {"status": "holding"}, "asserts", True),
        ("the fall would be a propaganda gift", {"claimant": None, "event_type": "other"}, "asserts", False),
    ],
)
def test_stance_of_the_claimant(text: str, kwargs: dict, stance: str, rejects: bool) -> None:
    f = build_frame(claim(text, **kwargs))
    assert (f["stance"], f["rejects"]) == (stance, rejects)


@pytest.mark.parametrize(
    ("text", "claimant", "status", "agent"),
    [
        ("we are holding Marevka", ARMY_A, "holding", "Armenia"),
        ("Azerbaijani units captured Marevka", ARMY_A, "captured", "Azerbaijan"),
        ("the assault on Marevka was repelled by Armenian units", ARMY_A, "repelled", "Armenia"),
        ("the enemy has entered the outskirts", ARMY_A, "infiltrated", "not:Armenia"),
        ("it is tightening the ring around the enemy", ARMY_B, "encircled", "Azerbaijan"),
        ("around 500 Azerbaijani soldiers are there now", ARMY_A, None, "Azerbaijan"),
        ("Hundreds of Azerbaijani soldiers have infiltrated the town", ARMY_A, "infiltrated", "Azerbaijan"),
    ],
)
def test_agent_side(text: str, claimant: Actor, status: str | None, agent: str) -> None:
    et = "force_presence" if status is None else "territorial_control"
    assert build_frame(claim(text, claimant=claimant, status=status, event_type=et))["agent"] == agent


def test_negation_sets_polarity() -> None:
    assert build_frame(claim("they did not capture Marevka", negated=True, status="captured"))["polarity"] == "negative"


def test_countries_are_not_subjects() -> None:
    country = Place(name="Armenia", feature="country", geonames_id=174982, lat=40.0, lon=45.0)
    f = build_frame(claim("Armenia is holding", places=(country,), status="holding"))
    assert f["targets"] == []
    assert not any(k.startswith("place:") for k in f["blocks"])


def test_undated_claim_probes_its_whole_place() -> None:
    f = build_frame(claim("we hold Marevka", stated=None, status="holding"))
    assert f["time"]["start"] is None
    assert set(f["blocks"]) >= {"place:geo:9100001:undated", "place:geo:9100001"}
    assert "place:geo:9100001" in f["probes"]
    assert not any("-W" in k for k in f["probes"])


def test_long_windows_count_as_undated_for_grouping() -> None:
    f = build_frame(claim("since spring they hold it", event_time=Interval("2024-01-01", "2024-06-30")))
    assert "place:geo:9100001:undated" in f["blocks"]
    assert f["time"]["start"] == "2024-01-01"


def test_placeless_claims_group_by_claimant() -> None:
    f = build_frame(claim("we will never give up", places=(), event_type="intent"))
    assert "actor:am-army:2024-W10" in f["blocks"]


def test_quantity_units_normalise() -> None:
    rules = load_rules()
    assert unit_family("Azerbaijani servicemen", rules) == "personnel"
    assert unit_family("civilians", rules) == "people"
    assert unit_family("tanks", rules) == "vehicle"
    assert unit_family(None, rules) is None
    f = build_frame(claim("Hundreds of enemy fighters entered", quantities=(Quantity("Hundreds", low=100, high=999),)))
    assert f["quantities"][0]["unit"] == "personnel"  # read from the words after the number


def _shares(a: dict, b: dict) -> bool:
    return bool(set(a["probes"]) & set(b["blocks"]))


def test_grouping_keys_are_symmetric_and_local() -> None:
    rng = random.Random(7)
    claims = []
    for i in range(60):
        day = rng.choice(["2024-03-01", "2024-03-06", "2024-03-13", "2024-03-20", "2024-05-01", None])
        place = rng.choice([MAREV, MAREV_SUBURB, DALNO])
        claims.append(claim(f"claim {i}", doc=f"d{i}", stated=day, places=(place,)))
    frames = [build_frame(c) for c in claims]
    for (ca, fa), (cb, fb) in itertools.combinations(zip(claims, frames, strict=True), 2):
        assert _shares(fa, fb) == _shares(fb, fa)
        if ca.places[0] is DALNO and cb.places[0] is not DALNO:
            assert not _shares(fa, fb)  # 300 km apart
        if ca.stated_at == "2024-03-01" and cb.stated_at == "2024-05-01" and ca.places == cb.places:
            assert not _shares(fa, fb)  # two months apart
        if None in (ca.stated_at, cb.stated_at) and ca.places == cb.places:
            assert _shares(fa, fb)  # an undated claim meets every claim about its place


def test_nearby_places_share_a_grid_cell_key() -> None:
    a = build_frame(claim("x", places=(MAREV,)))
    b = build_frame(claim("y", places=(MAREV_SUBURB,), doc="d2"))
    assert _shares(a, b)


def test_weeks_between_spans_iso_weeks() -> None:
    from datetime import date

    assert weeks_between(date(2024, 12, 30), date(2025, 1, 6)) == ["2025-W01", "2025-W02"]


def test_rejection_without_place_takes_the_place_of_the_claim_before_it() -> None:
    before = claim("Azerbaijani units captured Marevka", claimant=ARMY_B, status="captured", at=0)
    lies = claim("That is a lie", at=60, places=(), event_type="statement_of_falsehood")
    far = claim("Lies, all of it", at=5000, places=(), event_type="statement_of_falsehood")
    frames = build_frames([before, lies, far])
    assert frames[1]["targets_from"] == before.id and frames[1]["target"] == "geo:9100001"
    assert frames[2]["target"] is None


def test_user_rules_extend_the_shipped_ones(tmp_path) -> None:
    (tmp_path / "relate.toml").write_text(
        '[families]\nsiege = "ground_situation"\n\n[[contradicts]]\na = "besieged"\nb = "holding"\nagents = "other"\n',
        encoding="utf-8",
    )
    rules = load_rules(data_dir=str(tmp_path))
    assert rules.family("siege") == "ground_situation"
    assert rules.family("attack") == "attack"
    assert ("besieged", "holding") in rules.contradicts and ("captured", "holding") in rules.contradicts


def test_broken_user_rules_name_the_file(tmp_path) -> None:
    (tmp_path / "relate.toml").write_text("[families\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"relate\.toml"):
        load_rules(data_dir=str(tmp_path))


def test_dispute_flag_from_attribution_makes_a_denial() -> None:
    c = claim("the claims about Marevka", status="captured")
    c.frame = {"status": "captured", "disputes": True}
    f = build_frame(c)
    assert f["stance"] == "denies" and f["rejects"]


def test_a_claim_with_anothers_claim_inside_relays_it() -> None:
    outer = claim("They show maps claiming they have taken Marevka", claimant=ARMY_A, status="captured", at=0)
    inner = claim("they have taken Marevka", claimant=ARMY_B, status="captured", at=24)
    same = claim("we hold Marevka", claimant=ARMY_A, status="holding", at=100)
    frames = build_frames([outer, inner, same])
    assert frames[0]["relays"] == [inner.id]
    assert "relays" not in frames[1] and "relays" not in frames[2]


def test_condemning_is_not_denying() -> None:
    f = build_frame(claim("the shelling of Marevka", cue="denounced", event_type="attack", status="attacked"))
    assert f["stance"] == "asserts" and not f["rejects"]


# -- agents, targets bound to the trigger, metonyms, irrealis, background states -----------------------------------
BAKU = Place(name="Baku", lat=40.41, lon=49.87, geonames_id=9100010)


def placed(text: str, *names: tuple[Place, str], **kwargs) -> Claim:
    """A claim whose places carry spans where their names stand in ``text`` (at offset 0)."""
    places = []
    for place, mention in names:
        i = text.index(mention)
        places.append(Place(**{**place.__dict__, "mention": mention, "span": (i, i + len(mention))}))
    return claim(text, places=tuple(places), **kwargs)


@pytest.mark.parametrize(
    ("text", "status", "agent"),
    [
        ("Shells fell on Armenian-held Marevka overnight", "occupied", "Armenia"),
        ("Armenia's Azerbaijani-occupied Marevka has no water", "occupied", "Azerbaijan"),
        ("Azerbaijani forces captured Marevka", "captured", "Azerbaijan"),
    ],
)
def test_agent_reads_compounds_and_not_the_owner(text: str, status: str, agent: str) -> None:
    f = build_frame(claim(text, claimant=PRESS, status=status))
    assert f["agent"] == agent and f["agent_from"] == "text"


def test_owner_and_civilians_are_not_the_agent() -> None:
    f = build_frame(
        claim("Armenian citizens in occupied Marevka were told to leave", claimant=PRESS, status="occupied")
    )
    assert f["agent"] is None and f["agent_from"] == "claimant"


def test_background_state_is_flagged() -> None:
    f = build_frame(claim("residents of occupied Marevka", claimant=PRESS, status="occupied"))
    assert f["background"] is True
    assert build_frame(claim("Azerbaijani units captured Marevka", status="captured"))["background"] is False


def test_target_is_the_place_near_the_trigger() -> None:
    text = "Speaking in Dalnohrad on Tuesday after a long meeting with the governor, he said troops captured Marevka"
    f = build_frame(placed(text, (DALNO, "Dalnohrad"), (MAREV, "Marevka"), status="captured"))
    assert [t["name"] for t in f["targets"]] == ["Marevka"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Azerbaijani drones struck Marevka as Baku's envoy arrived", False),
        ("the ambassador to Baku said the army shelled Marevka", False),
        ("Armenian missiles struck Baku overnight near Marevka", True),
        ("fighting continued in Baku and near Marevka", True),
    ],
)
def test_capital_standing_for_its_government_is_no_target(text: str, kept: bool) -> None:
    event_type = "territorial_control" if "fighting" in text else "attack"
    f = build_frame(placed(text, (BAKU, "Baku"), (MAREV, "Marevka"), event_type=event_type))
    assert ("Baku" in [t["name"] for t in f["targets"]]) is kept
    assert "Marevka" in [t["name"] for t in f["targets"]]


def test_far_relative_anchor_is_no_target() -> None:
    far = Place(**{**DALNO.__dict__, "relation": "50 miles south of"})
    f = build_frame(claim("a depot 50 miles south of Dalnohrad was shelled", places=(far,), event_type="attack"))
    assert f["targets"] == []


def test_irrealis_is_in_the_frame_but_claimed_is_not() -> None:
    feared = claim("Officials fear the militia could attack Marevka", event_type="attack")
    feared.frame = {"trigger": "attack"}
    claimed = claim("The militia claimed it attacked Marevka", event_type="attack", hedged=True)
    claimed.frame = {"trigger": "attacked"}
    assert build_frame(feared)["irrealis"] is True
    assert build_frame(claimed)["irrealis"] is False


def test_rejection_records_what_it_answers_in_its_article() -> None:
    theirs = claim("Azerbaijani units captured Marevka", claimant=ARMY_B, status="captured", at=0)
    lies = claim("That is a lie", claimant=ARMY_A, event_type="statement_of_falsehood", places=(), at=60)
    f = build_frames([theirs, lies])[1]
    assert f["answers"]["id"] == theirs.id and f["answers"]["own"] is False
    assert f["answers"]["status"] == "captured"


def test_where_an_attack_was_fired_from_is_no_target() -> None:
    text = "its forces shot down three missiles fired from Marevka and aimed at Dalnohrad"
    f = build_frame(placed(text, (MAREV, "Marevka"), (DALNO, "Dalnohrad"), status="repelled", event_type="attack"))
    assert [t["name"] for t in f["targets"]] == ["Dalnohrad"]
