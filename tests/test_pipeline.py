"""The orchestrator on short articles written for these tests: one document in, grounded claims out."""

from __future__ import annotations

import pytest

from crosscheck.pipeline import Pipeline
from crosscheck.records import Document


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


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
