"""The orchestrator on short articles written for these tests: one document in, grounded claims out."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from crosscheck.pipeline import Pipeline
from crosscheck.records import Analysis, Document, Relation
from crosscheck.relate import DocInfo, relate


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


def related(analyses: Iterable[Analysis], docs: list[Document]) -> list[Relation]:
    """The relations among the claims of analysed documents, as the reconciliation finds them."""
    info = {d.id: DocInfo(d.id, outlet=d.outlet, published=d.published) for d in docs}
    return relate([c for a in analyses for c in a.claims], [], documents=info)


def claim_with(analysis, words: str):  # type: ignore[no-untyped-def]
    found = [c for c in analysis.claims if words in c.text]
    assert found, f"no claim with {words!r}: {[c.text for c in analysis.claims]}"
    return found[0]


def test_a_quote_with_its_own_cue_is_not_the_previous_speakers(pipe: Pipeline) -> None:
    text = (
        "Defence Minister Ana Kovac spoke to officers in Zadar on Monday.\n\n"
        '"We lost nothing; we held the line!" she said, arguing that the river had always been the border. '
        '"It falls to us to keep it," General Tomo Radic concluded.'
    )
    a = pipe.analyse(Document(text=text, published="2024-05-06"))
    assert claim_with(a, "we held the line").claimant.name == "Ana Kovac"
    assert claim_with(a, "It falls to us").claimant.name == "Tomo Radic"


def test_you_and_we_inside_a_quote_are_the_speaker_not_new_claimants(pipe: Pipeline) -> None:
    text = 'Mayor Ivo Lasic said: "You might think they took the bridge. We will answer them."'
    a = pipe.analyse(Document(text=text, published="2024-05-06"))
    assert all((c.claimant.name if c.claimant else "").lower() not in {"you", "we"} for c in a.claims)


def test_he_after_a_registered_name_in_a_sentence_without_a_cue(pipe: Pipeline) -> None:
    text = (
        "President Volodymyr Zelensky celebrated the advance of his troops near Izium.\n\n"
        '"The movement of our soldiers continues," he said in a video address late on Saturday.'
    )
    a = pipe.analyse(Document(text=text, published="2022-09-11"))
    c = claim_with(a, "The movement of our soldiers continues")
    assert c.claimant is not None and c.claimant.id == "ua-zelenskyy"
    assert any(v.type == "channel" for v in c.via)


def test_a_denial_of_the_act_disputes_the_other_sides_account_of_what_it_did(pipe: Pipeline) -> None:
    # two parties of a border war that only the data files know; the accusation's frame is its deaths
    # ("killing two civilians"), the denial names the shelling
    docs = [
        Document(
            text="Cambodia's defence ministry said on Friday that Thai artillery shelled the town of Samraong "
            "overnight, killing two civilians and wounding seven.",
            outlet="Border Post",
            published="2025-07-25",
        ),
        Document(
            text="The Thai army denied shelling Samraong, saying its guns had fired only at military positions.",
            outlet="Gulf Ledger",
            published="2025-07-25",
        ),
    ]
    accusation, denial = (pipe.analyse(d) for d in docs)
    shelled = claim_with(accusation, "shelled the town of Samraong")
    denied = claim_with(denial, "shelling Samraong")
    assert (shelled.claimant.side, denied.claimant.side) == ("Cambodia", "Thailand")
    found = {(r.type, frozenset(r.claims)) for r in related((accusation, denial), docs)}
    assert ("disputes", frozenset((shelled.id, denied.id))) in found
    elsewhere = Document(
        text="The Thai army denied shelling Samraong, saying its guns had fired only at military positions.",
        outlet="Gulf Ledger",
        published="2025-07-25",
        title="A later day",
    )
    other_act = Document(
        text="Cambodia's defence ministry said on Friday that Thai troops captured a hill near Samraong overnight, "
        "killing two soldiers.",
        outlet="Border Post",
        published="2025-07-25",
    )
    captured, later = pipe.analyse(other_act), pipe.analyse(elsewhere)
    found = {r.type for r in related((captured, later), [other_act, elsewhere])}
    assert "disputes" not in found  # a denial of shelling says nothing of a hill taken


def test_a_rebel_groups_capture_contradicts_the_armys_hold_on_the_town(pipe: Pipeline) -> None:
    doc = Document(
        text="In eastern Congo, M23 rebels said on Thursday they had captured the town of Walikale. "
        "The Congolese army said its forces were still holding Walikale.",
        outlet="Wire Desk",
        published="2025-03-20",
    )
    a = pipe.analyse(doc)
    captured, holding = claim_with(a, "captured the town"), claim_with(a, "holding Walikale")
    assert (captured.claimant.side, holding.claimant.side) == ("M23", "Democratic Republic of the Congo")
    found = related((a,), [doc])
    assert {(r.type, frozenset(r.claims)) for r in found} >= {("contradicts", frozenset((captured.id, holding.id)))}


def test_a_claim_the_other_side_rejected_in_the_same_sentence_is_disputed(pipe: Pipeline) -> None:
    a = pipe.analyse(
        Document(
            text="The Pakistani military said it had shot down five Indian jets, a claim India rejected as false.",
            published="2025-05-08",
        )
    )
    shot, rejection = claim_with(a, "five Indian jets"), claim_with(a, "a claim")
    assert (shot.claimant.side, rejection.claimant.side) == ("Pakistan", "India")
    assert (rejection.frame or {}).get("answers", {}).get("id") == shot.id


def test_a_denial_answers_the_accusation_before_it(pipe: Pipeline) -> None:
    a = pipe.analyse(
        Document(
            text="Baku accused Armenian forces of shelling the village of Shurabad. Yerevan denied the accusation.",
            published="2024-05-10",
        )
    )
    accusation, denial = claim_with(a, "of shelling"), claim_with(a, "the accusation")
    assert accusation.claimant.side == "Azerbaijan" and accusation.cue == "accused"
    assert (denial.frame or {}).get("answers", {}).get("id") == accusation.id


def test_a_claim_noun_right_after_a_claim_rejects_that_claim(pipe: Pipeline) -> None:
    a = pipe.analyse(
        Document(
            text="President Sandu said in February that Russia was planning attacks on Moldova. "
            "Moscow claimed that Ukraine plotted to invade the breakaway region, a claim rejected by Kyiv. "
            "Moscow said saboteurs had blown up the pipelines. A claim refuted by British officials.",
            published="2023-03-11",
        )
    )
    plot, pipelines = claim_with(a, "Ukraine plotted"), claim_with(a, "blown up the pipelines")
    rejected, refuted = claim_with(a, "a claim"), claim_with(a, "A claim")
    assert (rejected.claimant.side, rejected.frame["answers"]["id"]) == ("Ukraine", plot.id)
    assert refuted.claimant.name.lower().startswith("british") and refuted.frame["answers"]["id"] == pipelines.id


def test_an_apposition_far_from_the_speaker_is_not_part_of_its_name(pipe: Pipeline) -> None:
    a = pipe.analyse(
        Document(
            text="Russia's defence ministry said on Sunday its cruise missiles had destroyed a large depot containing "
            "weapons in Ternopil in western Ukraine, a claim disputed by Ukrainian officials who said the strike hit "
            "a warehouse.",
            published="2022-06-12",
        )
    )
    depot = claim_with(a, "destroyed a large depot")
    assert depot.claimant.mention == "Russia's defence ministry" and depot.claimant.side == "Russia"
    assert claim_with(a, "a claim").frame["answers"]["id"] == depot.id


def disputed(doc: Document, a: Analysis) -> set[tuple[str, str]]:
    """(rejection, rejected) claim texts of the disputes inside one analysed document."""
    by_id = {c.id: c.text for c in a.claims}
    return {(by_id[r.claims[0]], by_id[r.claims[1]]) for r in related((a,), [doc]) if r.type == "disputes"}


def test_each_denial_answers_the_accusation_it_follows_not_a_clause_beside_it(pipe: Pipeline) -> None:
    # four accusations against one side, each denied: the charge hangs on the accused ("the Cambodian forces of
    # ..."), a "blamed ... for" needs no "that", a warning said with the charge is a claim of its own, and the
    # quotation closing the sentence before belongs to the one who said it there
    doc = Document(
        text="Meanwhile, the Malaysian envoy told his Thai counterpart that \u201cthe time has come for the region to "
        "act on a plan for safe border corridors.\u201d Bangkok and its allies have accused Cambodia of closing the "
        "border crossings, which they say has pushed up food prices. Phnom Penh denies the allegation.\n\n"
        "More than 30 people were killed in Tuesday's strike on a market in Surin. Thailand's prime minister "
        "blamed Cambodia for the attack, but Phnom Penh denied carrying it out.\n\n"
        "The governor said the town had been quiet. Thai authorities accused the Cambodian forces of many "
        "atrocities against civilians in the village, including the killing of children. Phnom Penh firmly "
        "denied the allegations of war crimes.\n\n"
        "Cambodia has repeatedly accused Thai forces of attacking the temple, warning that further shelling could "
        "destroy a heritage site. Bangkok, however, denies targeting the temple.",
        outlet="Wire Desk",
        published="2025-07-26",
    )
    a = pipe.analyse(doc)
    closing = claim_with(a, "closing the border crossings")
    assert "time has come" not in closing.text and closing.claimant.side == "Thailand"
    assert claim_with(a, "Cambodia for the attack").claimant.side == "Thailand"
    assert claim_with(a, "town had been quiet").claimant.name == "governor"
    warning = claim_with(a, "further shelling")
    assert warning.cue == "warning"
    found = disputed(doc, a)
    assert found == {
        ("the allegation", "Cambodia of closing the border crossings"),
        ("carrying it out", "Cambodia for the attack"),
        ("the allegations of war crimes", "the Cambodian forces of many atrocities against civilians"),
        ("targeting the temple", "Thai forces of attacking the temple"),
    }


def test_an_unresolved_they_themselves_rejects_nothing(pipe: Pipeline) -> None:
    # "allegations they themselves deny": "they" is the militia named just before, not a claimant to pair
    doc = Document(
        text="Thailand also claimed that the clinic had been taken over by the Red Lotus militia - a Cambodian armed "
        "group that has been linked with smuggling, allegations they themselves deny.",
        outlet="Wire Desk",
        published="2025-07-26",
    )
    a = pipe.analyse(doc)
    assert claim_with(a, "the clinic had been taken over").claimant.side == "Thailand"
    assert disputed(doc, a) == set()


def test_a_rejection_of_claims_with_a_warning_after_it_rejects_the_claims(pipe: Pipeline) -> None:
    doc = Document(
        text="Cambodian authorities accused Thailand of planning an attack on the temple. \u201cThe Defence Secretary "
        "refuted these claims and cautioned that such allegations should not be used as a pretext for escalation,"
        "\u201d the Thai ministry said.",
        outlet="Wire Desk",
        published="2025-07-26",
    )
    a = pipe.analyse(doc)
    assert {c.cue for c in a.claims if c.text == "these claims"} == {"refuted"}
    assert {c.cue for c in a.claims if c.text.startswith("such allegations should not")} == {"cautioned"}
    assert ("these claims", "Thailand of planning an attack on the temple") in disputed(doc, a)


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        ("Thailand, Malaysia and the United States rejected that claim as false.", "that claim"),
        ("The Cambodians also disputed Bangkok's statement that the market was crowded.", "the market was crowded"),
        ("The army denied the claim.", "the claim"),
    ],
)
def test_what_a_rejection_rejects(pipe: Pipeline, sentence: str, content: str) -> None:
    a = pipe.analyse(Document(text=sentence, published="2025-07-26"))
    assert content in {c.text for c in a.claims if c.cue in {"rejected", "disputed", "denied"}}
