"""Cross-checking: contradictions, disputes, corroborations, repeats, and each claim's standing."""

from __future__ import annotations

import copy
from collections.abc import Sequence

import pytest

from crosscheck.errors import InputError
from crosscheck.frames import build_frames
from crosscheck.records import Actor, Claim, Interval, Place, Quantity, Relation
from crosscheck.relate import BlockIndex, DocInfo, claim_status, relate, standings, statuses

# A war in the Sudan and one in the Caucasus, written for these tests.
KORDAL = Place(name="Kordal", lat=13.62, lon=25.35, geonames_id=9200001)
WADI = Place(name="Wadi Senna", lat=15.10, lon=30.20, geonames_id=9200002)
SHUR = Place(name="Shurabad", lat=39.80, lon=46.70, geonames_id=9200003)
SAF = Actor("Sudanese Armed Forces", id="sd-saf", side="Sudan", type="military")
RSF = Actor("Rapid Support Forces", id="sd-rsf", side="Rapid Support Forces", type="armed_group")
MEDICS = Actor("Kordal doctors' union", id="org-medics", type="organisation")
ANALYSTS = Actor("conflict analysts", id="org-analysts", type="organisation")
AZ = Actor("Azerbaijani defence ministry", id="az-mod", side="Azerbaijan", type="military")
AM = Actor("Armenian armed forces", id="am-army", side="Armenia", type="military")
AM_PM = Actor("Armenian prime minister", id="am-pm", side="Armenia", type="person")
WIRE = Actor("Caucasus Wire", id="out-wire", type="outlet")

DOCS = {
    "d1": DocInfo("d1", outlet="Khartoum Courier", published="2024-05-10"),
    "d2": DocInfo("d2", outlet="Nile Daily", published="2024-05-11"),
    "d3": DocInfo("d3", outlet="Nile Daily", published="2024-05-11"),
    "d4": DocInfo("d4", outlet="Desert Post", published="2024-05-11", duplicate_of="d5"),
    "d5": DocInfo("d5", outlet="Savanna News", published="2024-05-10", duplicate_of="d2"),
    "d6": DocInfo("d6", outlet="Caucasus Wire", published="2024-05-11"),
    "d7": DocInfo("d7", outlet="Mountain Herald", published="2024-05-12"),
    "d8": DocInfo("d8", outlet=None, published=None),
}


def claim(
    text: str,
    *,
    doc: str = "d1",
    at: int = 0,
    claimant: Actor | None = SAF,
    event_type: str | None = "territorial_control",
    status: str | None = None,
    places: Sequence[Place] = (KORDAL,),
    stated: str | None = "2024-05-10",
    cue: str | None = "said",
    negated: bool = False,
    quantities: Sequence[Quantity] = (),
    via: Sequence[Actor] = (),
    event_time: Interval | None = None,
) -> Claim:
    c = Claim(
        document_id=doc,
        text=text,
        sentence=text,
        span=(at, at + len(text)),
        mode="indirect",
        claimant=claimant,
        cue=cue,
        event_type=event_type,
        places=list(places),
        quantities=list(quantities),
        stated_at=stated,
        negated=negated,
        via=list(via),
        event_time=event_time,
    )
    c.frame = {"status": status} if status else None
    return c


def framed(*claims: Claim) -> list[Claim]:
    for c, f in zip(claims, build_frames(claims), strict=True):
        c.frame = f
    return list(claims)


def between(rels: list[Relation], a: Claim, b: Claim) -> list[Relation]:
    return [r for r in rels if set(r.claims) == {a.id, b.id}]


def only(rels: list[Relation], a: Claim, b: Claim) -> Relation:
    found = between(rels, a, b)
    assert len(found) == 1, [r.explanation for r in rels]
    return found[0]


def test_town_captured_by_one_side_and_held_by_the_other_contradicts() -> None:
    taken = claim("our forces captured Kordal", claimant=RSF, status="captured")
    held = claim("the army is holding Kordal", doc="d2", status="holding", stated="2024-05-12")
    rels = relate([held], framed(taken), documents=DOCS)
    r = only(rels, taken, held)
    assert r.type == "contradicts"
    assert r.claims == (held.id, taken.id)
    assert r.score is not None and r.score >= 0.8
    for word in ("Rapid Support Forces", "Sudan", "captured Kordal", "holds Kordal", "same place", "overlapping time"):
        assert word in r.explanation


def test_held_one_day_and_captured_the_next_are_states_in_turn() -> None:
    held = claim("the army is still holding Kordal", doc="d2", status="holding", stated="2024-05-09")
    taken = claim("our forces captured Kordal", claimant=RSF, status="captured", stated="2024-05-10")
    assert between(relate([held], framed(taken), documents=DOCS), taken, held) == []
    same_day = claim("the army is still holding Kordal", doc="d2", status="holding", stated="2024-05-10")
    assert only(relate([same_day], framed(taken), documents=DOCS), taken, same_day).type == "contradicts"


def test_no_relation_when_times_are_apart_or_places_differ() -> None:
    taken = claim("our forces captured Kordal", claimant=RSF, status="captured")
    later = claim("the army is holding Kordal", doc="d2", status="holding", stated="2024-08-01")
    elsewhere = claim("the army is holding Wadi Senna", doc="d3", status="holding", places=(WADI,))
    assert relate([later, elsewhere], framed(taken), documents=DOCS) == []


def test_undated_claim_does_not_contradict() -> None:
    # a contradiction needs both claims' times to overlap; with one undated we cannot say they clash
    taken = claim("our forces captured Kordal", claimant=RSF, status="captured")
    held = claim("the army is holding Kordal", doc="d8", status="holding", stated=None)
    assert between(relate([held], framed(taken), documents=DOCS), taken, held) == []


def test_casualty_counts_that_cannot_both_be_true_contradict() -> None:
    few = claim(
        "12 civilians were killed in the shelling of Kordal",
        event_type="casualties",
        quantities=[Quantity("12", value=12, unit="civilians")],
    )
    many = claim(
        "dozens of civilians were killed in Kordal",
        doc="d2",
        claimant=MEDICS,
        event_type="casualties",
        quantities=[Quantity("dozens", low=24, high=99, unit="civilians", approximate=True)],
    )
    r = only(relate([many], framed(few), documents=DOCS), few, many)
    assert r.type == "contradicts" and "counts cannot both be true (dozens ~ 12)" in r.explanation


def test_a_claim_with_two_counts_of_one_unit_does_not_contradict_by_count() -> None:
    # "12 killed and 40 wounded" or "40 killed, including 12 in Kordal": which count is comparable is not said
    few = claim(
        "12 civilians were killed in the shelling of Kordal",
        event_type="casualties",
        quantities=[Quantity("12", value=12, unit="civilians")],
    )
    breakdown = claim(
        "the shelling killed 40 civilians across the province, including 15 in Kordal",
        doc="d2",
        claimant=MEDICS,
        event_type="casualties",
        quantities=[Quantity("40", value=40, unit="civilians"), Quantity("15", value=15, unit="civilians")],
    )
    found = between(relate([breakdown], framed(few), documents=DOCS), few, breakdown)
    assert all(r.type != "contradicts" for r in found)


def test_close_casualty_counts_from_independent_sources_corroborate() -> None:
    twelve = claim(
        "12 civilians were killed in Kordal",
        event_type="casualties",
        quantities=[Quantity("12", value=12, unit="civilians")],
    )
    dozen = claim(
        "about a dozen people died in Kordal",
        doc="d2",
        claimant=MEDICS,
        event_type="casualties",
        quantities=[Quantity("about a dozen", value=12, unit="people", approximate=True)],
    )
    assert only(relate([dozen], framed(twelve), documents=DOCS), twelve, dozen).type == "corroborates"


def test_airstrike_claimed_and_denied_is_a_dispute() -> None:
    strike = claim(
        "a Sudanese army airstrike hit the market in Kordal",
        claimant=RSF,
        event_type="attack",
        status="attacked",
    )
    denial = claim(
        "it carried out any strike on the market",
        doc="d2",
        cue="denied",
        event_type="attack",
        status="attacked",
    )
    r = only(relate([denial], framed(strike), documents=DOCS), strike, denial)
    assert r.type == "disputes"
    assert r.claims == (denial.id, strike.id)  # (the rejecting claim, the rejected one)
    assert "denies" in r.explanation


def test_attack_one_side_claims_and_the_other_says_it_repelled_contradicts() -> None:
    attack = claim("RSF fighters stormed the army base in Kordal", claimant=RSF, event_type="attack", status="attacked")
    repelled = claim("Sudanese troops repelled an attack on Kordal", doc="d2", event_type="attack", status="repelled")
    assert only(relate([repelled], framed(attack), documents=DOCS), attack, repelled).type == "contradicts"


def test_a_claim_and_its_negation_contradict() -> None:
    yes = claim("Azerbaijani units captured Shurabad", claimant=AZ, status="captured", places=(SHUR,), doc="d6")
    no = claim(
        "Azerbaijani units did not capture Shurabad",
        claimant=ANALYSTS,
        status="captured",
        places=(SHUR,),
        doc="d7",
        negated=True,
        stated="2024-05-12",
    )
    r = only(relate([no], framed(yes), documents=DOCS), yes, no)
    assert r.type == "contradicts" and "did not" in r.explanation


def test_denying_a_stronger_claim_does_not_contradict_a_weaker_one() -> None:
    advancing = claim("Azerbaijani units are advancing on Shurabad", claimant=AZ, status="advancing", places=(SHUR,))
    not_taken = claim(
        "Azerbaijani units have not captured Shurabad",
        claimant=ANALYSTS,
        status="captured",
        places=(SHUR,),
        doc="d7",
        negated=True,
    )
    assert between(relate([not_taken], framed(advancing), documents=DOCS), advancing, not_taken) == []


def test_doubt_in_the_same_article_disputes_the_claim_before_it() -> None:
    far = claim("Azerbaijan shelled Shurabad", claimant=AM, event_type="attack", places=(SHUR,), doc="d6", at=0)
    said = claim("Azerbaijan has encircled Shurabad", claimant=AZ, status="encircled", places=(SHUR,), doc="d6", at=600)
    also = claim("and cut the road to it", claimant=AZ, status="encircled", places=(SHUR,), doc="d6", at=640)
    doubt = claim("it", claimant=ANALYSTS, cue="doubt", event_type="other", places=(), doc="d6", at=670)
    rels = relate([far, said, also, doubt], [], documents=DOCS)
    r = only(rels, said, doubt)
    assert r.type == "disputes" and r.claims == (doubt.id, said.id)
    assert "doubts" in r.explanation and "same article" in r.explanation
    assert only(rels, also, doubt).type == "disputes"  # the same claimant's claim right there too
    assert only(rels, also, doubt).score != r.score  # the claim answered first is the strongest of the two
    assert between(rels, far, doubt) == []  # out of reach


def test_a_claim_under_another_cue_beside_the_answered_one_is_not_answered_with_it() -> None:
    # "Baku accused Armenian forces of shelling Shurabad, warning that ...": a denial of the shelling answers the
    # charge, not the warning said with it
    charge = claim(
        "Armenian forces of shelling Shurabad", claimant=AZ, cue="accused", event_type="attack", doc="d6", at=0
    )
    warned = claim(
        "further shelling could cut the road", claimant=AZ, cue="warning", event_type="attack", doc="d6", at=40
    )
    denial = claim("shelling Shurabad", claimant=AM, cue="denied", event_type="attack", places=(SHUR,), doc="d6", at=90)
    rels = relate(framed(charge, warned, denial), [], documents=DOCS)
    assert only(rels, charge, denial).type == "disputes"
    assert between(rels, warned, denial) == []


def test_in_article_rejection_skips_the_rejecters_own_claims() -> None:
    theirs = claim("they say they took Shurabad", claimant=AZ, status="captured", places=(SHUR,), doc="d7", at=0)
    mine = claim("we are still in our positions", claimant=AM_PM, status="holding", places=(SHUR,), doc="d7", at=30)
    lies = claim("It's all lies", claimant=AM_PM, event_type="statement_of_falsehood", places=(), doc="d7", at=62)
    rels = relate([theirs, mine, lies], [], documents=DOCS)
    assert only(rels, theirs, lies).type == "disputes"
    assert between(rels, mine, lies) == []
    assert only(rels, theirs, mine).type == "contradicts"


def test_rejection_disputes_the_other_sides_claims_about_the_same_place() -> None:
    taken = claim("Azerbaijani forces took Shurabad", claimant=AZ, status="captured", places=(SHUR,), doc="d6")
    ally = claim("Armenian units hold Shurabad", claimant=AM, status="holding", places=(SHUR,), doc="d6", at=40)
    before = claim("Armenian units still hold Shurabad", claimant=AM_PM, status="holding", places=(SHUR,), doc="d7")
    lies = claim(
        "Their maps are propaganda", claimant=AM_PM, event_type="statement_of_falsehood", places=(), doc="d7", at=60
    )
    rels = relate([before, lies], framed(taken, ally), documents=DOCS)
    r = only(rels, taken, lies)
    assert r.type == "disputes" and r.claims == (lies.id, taken.id)
    assert between(rels, ally, lies) == []  # its own side


def test_a_rejection_about_one_point_disputes_no_report_that_does_not_say_it() -> None:
    # "their claims about the nature of the target" rejects what the target was, not where the strike fell
    taken = claim("Azerbaijani forces took Shurabad", claimant=AZ, status="captured", places=(SHUR,), doc="d6")
    before = claim("Armenian units still hold Shurabad", claimant=AM_PM, status="holding", places=(SHUR,), doc="d7")
    about = claim(
        "their claims about the nature of the target",
        claimant=AM_PM,
        event_type="statement_of_falsehood",
        places=(),
        doc="d7",
        at=60,
    )
    assert between(relate([before, about], framed(taken), documents=DOCS), taken, about) == []


def test_soldier_counts_from_independent_outlets_corroborate() -> None:
    hundreds = claim(
        "Hundreds of Armenian soldiers have infiltrated Shurabad",
        claimant=AZ,
        status="infiltrated",
        places=(SHUR,),
        doc="d6",
        quantities=[Quantity("Hundreds", low=100, high=999, unit="soldiers", approximate=True)],
        event_time=Interval("2024-05-08", "2024-05-10"),
    )
    about = claim(
        "around 300 Armenian soldiers are now in Shurabad",
        claimant=Actor("Azerbaijani president", id="az-president", side="Azerbaijan", type="person"),
        event_type="force_presence",
        places=(SHUR,),
        doc="d8",
        stated=None,
        quantities=[Quantity("around 300", value=300, unit="soldiers", approximate=True)],
    )
    r = only(relate([about], framed(hundreds), documents=DOCS), hundreds, about)
    assert r.type == "corroborates"
    assert "counts agree" in r.explanation and "independent" in r.explanation


@pytest.mark.parametrize(
    ("doc_b", "via"),
    [
        ("d1", ()),  # same article
        ("d3", ()),  # d2 and d3: same outlet
        ("d4", ()),  # d4 -> d5 -> d2: a near-duplicate through a chain
        ("d7", (Actor("Nile Daily", type="outlet"),)),  # passes on what d2's outlet printed
    ],
)
def test_dependent_sources_do_not_corroborate(doc_b: str, via: tuple[Actor, ...]) -> None:
    base_doc = "d2" if doc_b != "d1" else "d1"
    a = claim("the army is holding Kordal", doc=base_doc, status="holding", at=0)
    b = claim("Sudanese forces are holding Kordal", doc=doc_b, status="holding", claimant=MEDICS, via=via, at=100)
    assert not [r for r in relate([b], framed(a), documents=DOCS) if r.type == "corroborates"]


def test_independent_sources_corroborate() -> None:
    a = claim("the army is holding Kordal", doc="d2", status="holding")
    b = claim("Sudanese forces are holding Kordal", doc="d7", status="holding", claimant=MEDICS)
    assert only(relate([b], framed(a), documents=DOCS), a, b).type == "corroborates"


def test_the_same_claim_re_reported_repeats() -> None:
    a = claim("the army is holding Kordal and will not leave", doc="d2", status="holding")
    b = claim("The army is holding Kordal and will not leave.", doc="d7", status="holding", stated="2024-05-12")
    r = only(relate([b], framed(a), documents=DOCS), a, b)
    assert r.type == "repeats"


def test_near_duplicate_articles_repeat_even_without_a_claimant() -> None:
    a = claim("fighting raged all night in Kordal", doc="d5", claimant=None, event_type="other")
    b = claim("Fighting raged all night in Kordal.", doc="d4", claimant=None, event_type="other")
    assert only(relate([b], framed(a), documents=DOCS), a, b).type == "repeats"


class _Stance:
    """A stand-in for the trained model: says 'against' with a set probability."""

    def __init__(self, prob: float) -> None:
        self.prob = prob
        self.calls: list[list[tuple[str, str]]] = []

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, float]]:
        self.calls.append(list(pairs))
        return [("against", self.prob) for _ in pairs]


def test_stance_model_is_a_thresholded_fallback_for_other_events() -> None:
    a = claim("the bridge at Kordal was blown up", doc="d2", event_type="other")
    b = claim("no one touched the bridge at Kordal", doc="d7", claimant=MEDICS, event_type="other")
    framed(a)
    confident = _Stance(0.95)
    rels = relate([b], [a], documents=DOCS, stance=confident)  # type: ignore[arg-type]
    assert only(rels, a, b).type == "contradicts" and "stance model" in only(rels, a, b).explanation
    assert confident.calls == [[(b.text, a.text)]]
    assert relate([b], [a], documents=DOCS, stance=_Stance(0.5)) == []  # type: ignore[arg-type]
    assert relate([b], [a], documents=DOCS) == []


def test_stance_model_is_not_asked_about_pairs_frames_can_judge() -> None:
    taken = claim("our forces captured Kordal", claimant=RSF, status="captured")
    held = claim("the army is holding Kordal", doc="d2", status="holding")
    model = _Stance(0.99)
    relate([held], framed(taken), documents=DOCS, stance=model)  # type: ignore[arg-type]
    assert model.calls == []


def test_relate_does_not_change_its_inputs_and_builds_missing_frames() -> None:
    taken = claim("our forces captured Kordal", claimant=RSF, status="captured")
    held = claim("the army is holding Kordal", doc="d2", status="holding")
    before = copy.deepcopy(held.frame)
    rels = relate([held], [taken], documents={})
    assert held.frame == before
    assert only(rels, taken, held).type == "contradicts"


def test_each_pair_is_related_once() -> None:
    a = claim("the army is holding Kordal", doc="d2", status="holding")
    b = claim("Sudanese forces are holding Kordal", doc="d7", status="holding", claimant=MEDICS)
    rels = relate([a, b], [a, b], documents=DOCS)
    assert len(rels) == 1 and len({r.id for r in rels}) == 1


def test_statuses() -> None:
    taken = claim("our forces captured Kordal", claimant=RSF, status="captured")
    held = claim("the army is holding Kordal", doc="d2", status="holding")
    held_too = claim("Sudanese forces are holding Kordal", doc="d7", status="holding", claimant=MEDICS)
    lies = claim("Their claims are lies", doc="d2", at=50, event_type="statement_of_falsehood", places=())
    lonely = claim("a convoy reached Wadi Senna", doc="d7", places=(WADI,), event_type="deployment", at=90)
    claims = framed(taken)
    rels = relate([held, lies], claims, documents=DOCS)
    rels += relate([held_too, lonely], [taken, held, lies], documents=DOCS)
    got = standings([taken, held, held_too, lies, lonely], rels, documents=DOCS)
    assert got[taken.id].status == "disputed"
    assert got[held.id].status == "contested" and got[held.id].sources == 2
    assert got[held_too.id].status == "contested"
    assert got[lies.id].status == "asserted"
    assert got[lonely.id] == ("asserted", 1)
    assert claim_status(held_too, rels).sources == 2
    assert statuses([taken, held, lonely], rels)[lonely.id] == "asserted"


def test_corroborated_status_counts_independent_sources() -> None:
    rels = [
        Relation("corroborates", ("a", "b"), ""),
        Relation("corroborates", ("a", "c"), ""),
        Relation("corroborates", ("a", "d"), ""),
    ]
    x = Actor("X", id="x")
    claims = [
        claim("p", claimant=x),
        claim("q", claimant=Actor("Y", id="y"), at=10),
        claim("r", claimant=Actor("Y", id="y"), at=20),
        claim("s", claimant=x, at=30),
    ]
    for c, cid in zip(claims, "abcd", strict=True):
        c.id = cid
    got = standings(claims, rels)
    assert got["a"] == ("corroborated", 2)  # Y twice counts once; X is the claim's own source
    assert statuses(claims, rels)["b"] == "corroborated"


def test_unattributed_claims_count_their_outlet_as_the_source() -> None:
    a = claim("fighting in Kordal", claimant=None, doc="d2", event_type="other")
    b = claim("fighting in Kordal", claimant=None, doc="d3", event_type="other", at=5)  # same outlet as d2
    c = claim("fighting in Kordal", claimant=None, doc="d7", event_type="other", at=9)
    rels = [Relation("corroborates", (a.id, b.id), ""), Relation("corroborates", (a.id, c.id), "")]
    assert standings([a, b, c], rels, documents=DOCS)[a.id] == ("corroborated", 2)


def test_block_index_finds_candidates_by_probe() -> None:
    index = BlockIndex()
    near = framed(claim("the army is holding Kordal", doc="d2", status="holding"))
    far = framed(claim("the army is holding Wadi Senna", doc="d3", status="holding", places=(WADI,)))
    index.add(near + far)
    new = framed(claim("our forces captured Kordal", claimant=RSF, status="captured", doc="d7"))
    assert [c.id for c in index.candidates(new)] == [near[0].id]
    assert len(index) == 2
    with pytest.raises(InputError):
        index.add([claim("unframed")])


def test_both_sides_taking_prisoners_is_no_contradiction() -> None:
    ours = claim(
        "RSF fighters took 40 soldiers prisoner in Kordal", claimant=RSF, event_type="casualties", status="captured"
    )
    theirs = claim("the army captured 25 RSF fighters in Kordal", doc="d2", event_type="casualties", status="captured")
    assert not [r for r in relate([theirs], framed(ours), documents=DOCS) if r.type == "contradicts"]


def test_capture_against_a_repelled_assault_across_event_families() -> None:
    taken = claim("RSF units captured Kordal", claimant=RSF, status="captured")
    repelled = claim("Sudanese troops repelled the assault on Kordal", doc="d2", event_type="attack", status="repelled")
    r = only(relate([repelled], framed(taken), documents=DOCS), taken, repelled)
    assert r.type == "contradicts" and "repelled an attack at Kordal" in r.explanation


def test_a_claim_relaying_another_speaks_through_it() -> None:
    held = claim("Sudanese troops are holding Kordal", doc="d2", status="holding")
    outer = claim(
        "they show videos claiming RSF units have captured Kordal", doc="d7", status="captured", claimant=MEDICS
    )
    inner = claim("RSF units have captured Kordal", doc="d7", status="captured", claimant=RSF, at=26)
    rels = relate([outer, inner], framed(held), documents=DOCS)
    assert between(rels, held, outer) == []
    assert only(rels, held, inner).type == "contradicts"
    alone = relate([outer], [held], documents=DOCS)  # without the claim inside it, it is judged on its own
    assert only(alone, held, outer).type == "contradicts"


def test_two_hedged_reports_do_not_corroborate_each_other() -> None:
    a = claim("the army is reportedly holding Kordal", doc="d2", status="holding", cue="reported")
    b = claim("Sudanese forces are said to hold Kordal", doc="d7", status="holding", claimant=MEDICS, cue="reported")
    assert relate([b], framed(a), documents=DOCS) == []
    b_asserts = claim("Sudanese forces hold Kordal", doc="d7", status="holding", claimant=MEDICS)
    assert only(relate([b_asserts], [a], documents=DOCS), a, b_asserts).type == "corroborates"


# -- precision rules: irrealis, background states, sides, time, what a rejection answers ---------------------------
def test_what_could_happen_neither_contradicts_nor_corroborates() -> None:
    feared = claim("the militia could capture Kordal within days", claimant=RSF, status="captured", doc="d2")
    feared.frame = {"status": "captured", "trigger": "capture"}
    held = claim("Sudanese troops are holding Kordal", status="holding", doc="d7")
    also = claim("RSF fighters captured Kordal", claimant=MEDICS, status="captured", doc="d1")
    rels = relate([feared], framed(held, also), documents=DOCS)
    assert between(rels, feared, held) == [] and between(rels, feared, also) == []


def test_background_occupation_does_not_contradict_a_capture() -> None:
    state = claim("aid reached RSF-held Kordal", claimant=MEDICS, status="occupied", doc="d2")
    state.frame = {"status": "occupied", "trigger": "RSF-held"}
    taken = claim("Sudanese forces captured Kordal", status="captured", doc="d7")
    assert between(relate([state], framed(taken), documents=DOCS), state, taken) == []


def test_same_side_claimants_do_not_contradict() -> None:
    taken = claim("RSF fighters captured Kordal", claimant=RSF, status="captured")
    ally = Actor("RSF spokesman", id="sd-rsf-spox", side="Rapid Support Forces", type="person")
    held = claim("Sudanese troops are holding Kordal", claimant=ally, status="holding", doc="d2")
    assert between(relate([held], framed(taken), documents=DOCS), taken, held) == []


def test_attacks_days_apart_do_not_corroborate() -> None:
    first = claim(
        "drones hit Kordal",
        claimant=MEDICS,
        event_type="attack",
        event_time=Interval("2024-05-01", "2024-05-01"),
    )
    week = claim(
        "Kordal was shelled this month",
        claimant=ANALYSTS,
        event_type="attack",
        doc="d2",
        event_time=Interval("2024-05-01", "2024-05-20"),
    )
    same_day = claim(
        "drones struck Kordal",
        claimant=ANALYSTS,
        event_type="attack",
        doc="d7",
        event_time=Interval("2024-05-01", "2024-05-01"),
    )
    rels = relate([week, same_day], framed(first), documents=DOCS)
    assert between(rels, first, week) == []
    assert only(rels, first, same_day).type == "corroborates"


def test_distances_are_not_counts_that_contradict() -> None:
    near = claim(
        "shelling hit Kordal 5 km from the front", event_type="attack", quantities=[Quantity("5 km", 5, unit="km")]
    )
    far = claim(
        "shelling hit Kordal 30 km from the front",
        claimant=RSF,
        event_type="attack",
        doc="d2",
        quantities=[Quantity("30 km", 30, unit="km")],
    )
    assert [r for r in relate([far], framed(near), documents=DOCS) if r.type == "contradicts"] == []


def test_rejection_elsewhere_must_answer_the_same_event() -> None:
    attack = claim("Azerbaijan shelled Shurabad", claimant=AM, event_type="attack", places=(SHUR,), doc="d6")
    # in its own article the rejection answers a claim about a capture, not about shelling
    capture = claim("Armenia says it took Shurabad", claimant=AM, status="captured", places=(SHUR,), doc="d7", at=0)
    lies = claim("That is a lie", claimant=AZ, event_type="statement_of_falsehood", places=(), doc="d7", at=40)
    rels = relate([capture, lies], framed(attack), documents=DOCS)
    assert between(rels, attack, lies) == []
    assert only(rels, capture, lies).type == "disputes"


def test_rejection_cannot_answer_a_claim_made_after_it() -> None:
    later = claim(
        "Armenian units took Shurabad", claimant=AM, status="captured", places=(SHUR,), doc="d7", stated="2024-05-12"
    )
    early_claim = claim(
        "Armenian units took Shurabad", claimant=AM_PM, status="captured", places=(SHUR,), doc="d1", at=0
    )
    lies = claim(
        "It is all lies",
        claimant=AZ,
        event_type="statement_of_falsehood",
        places=(),
        doc="d1",
        at=40,
        stated="2024-05-10",
    )
    rels = relate([early_claim, lies], framed(later), documents=DOCS)
    assert between(rels, later, lies) == []
    assert only(rels, early_claim, lies).type == "disputes"


def test_outlet_narrative_and_long_windows_do_not_contradict() -> None:
    taken = claim("RSF fighters captured Kordal", claimant=RSF, status="captured")
    narrative = claim("Sudanese troops are holding Kordal", claimant=None, status="holding", doc="d2")
    months = claim(
        "Sudanese troops have held Kordal since January",
        status="holding",
        doc="d7",
        event_time=Interval("2024-01-01", "2024-05-12"),
    )
    rels = relate([narrative, months], framed(taken), documents=DOCS)
    assert [r for r in rels if r.type == "contradicts"] == []


def test_denying_a_qualified_act_does_not_contradict_the_act() -> None:
    strike = claim("RSF drones struck Kordal", claimant=MEDICS, event_type="attack")
    denial = claim(
        "the RSF denies deliberately targeting civilians in Kordal",
        claimant=RSF,
        event_type="attack",
        doc="d2",
        cue="denies",
    )
    assert [r for r in relate([denial], framed(strike), documents=DOCS) if r.type == "contradicts"] == []
    plain = claim("the RSF denies striking Kordal", claimant=RSF, event_type="attack", doc="d7", cue="denies")
    assert only(relate([plain], framed(strike), documents=DOCS), strike, plain).type == "contradicts"


def test_one_claimant_carried_by_two_outlets_is_one_source() -> None:
    a = claim("Sudanese forces are holding Kordal", doc="d2", status="holding", claimant=MEDICS)
    again = claim("the Sudanese army still holds all of Kordal", doc="d7", status="holding", claimant=MEDICS)
    assert not [r for r in relate([again], framed(a), documents=DOCS) if r.type == "corroborates"]
    other = claim("Sudanese troops still hold the town of Kordal", doc="d7", status="holding", claimant=ANALYSTS)
    assert only(relate([other], framed(a), documents=DOCS), a, other).type == "corroborates"


def test_two_facts_that_fit_together_are_no_corroboration() -> None:
    ring = claim("RSF units have encircled Kordal", doc="d2", claimant=MEDICS, status="encircled")
    push = claim("RSF units are advancing on Kordal", doc="d7", claimant=ANALYSTS, status="advancing")
    assert not [r for r in relate([push], framed(ring), documents=DOCS) if r.type == "corroborates"]
    also = claim("Kordal is now fully encircled by RSF fighters", doc="d7", claimant=ANALYSTS, status="encircled")
    assert only(relate([also], framed(ring), documents=DOCS), ring, also).type == "corroborates"


def test_the_outlet_passing_on_an_accusation_is_no_second_source() -> None:
    day = Interval("2024-05-01", "2024-05-01")
    accusation = claim("RSF drones hit the depot in Kordal", claimant=MEDICS, event_type="attack", event_time=day)

    def outlet(text: str) -> Claim:
        return claim(text, doc="d7", claimant=None, cue=None, event_type="attack", event_time=day)

    relayed = outlet("The doctors accused RSF drones of hitting the depot in Kordal")
    assert not [r for r in relate([relayed], framed(accusation), documents=DOCS) if r.type == "corroborates"]
    own = outlet("On Wednesday RSF drones hit the Kordal fuel depot, setting it ablaze")
    assert only(relate([own], framed(accusation), documents=DOCS), accusation, own).type == "corroborates"


def test_a_repelled_attack_that_also_hit_does_not_contradict_the_strike() -> None:
    attack = claim("RSF drones struck the army base in Kordal", claimant=RSF, event_type="attack", status="attacked")
    partly = claim(
        "two drones hit the base in Kordal and Sudanese air defences shot down four others",
        doc="d2",
        event_type="attack",
        status="repelled",
    )
    assert all(r.type != "contradicts" for r in relate([partly], framed(attack), documents=DOCS))


def test_two_voices_of_no_party_do_not_contradict() -> None:
    yes = claim("drones struck Kordal", claimant=MEDICS, event_type="attack", status="attacked", doc="d2")
    no = claim("Kordal was not struck by drones", claimant=ANALYSTS, event_type="attack", status="attacked", doc="d7")
    no.negated = True
    assert all(r.type != "contradicts" for r in relate([no], framed(yes), documents=DOCS))
    party = claim("the RSF did not strike Kordal with drones", claimant=RSF, event_type="attack", status="attacked")
    party.negated = True
    party.document_id = "d7"
    found = relate([party], framed(yes), documents=DOCS)
    assert [r.type for r in between(found, yes, party)] == ["contradicts"]


def test_two_undated_claims_do_not_corroborate() -> None:
    docs = {
        **DOCS,
        "u1": DocInfo("u1", outlet="Desert Post", published=None),
        "u2": DocInfo("u2", outlet="Savanna News", published=None),
    }
    a = claim("drones struck the depot in Kordal", doc="u1", claimant=MEDICS, event_type="attack", stated=None)
    b = claim("a drone strike hit Kordal's fuel depot", doc="u2", claimant=ANALYSTS, event_type="attack", stated=None)
    assert not [r for r in relate([b], framed(a), documents=docs) if r.type == "corroborates"]
    dated = claim("a drone strike hit Kordal's fuel depot", doc="d2", claimant=ANALYSTS, event_type="attack")
    assert [r.type for r in between(relate([dated], framed(a), documents=docs), a, dated)] == ["corroborates"]
